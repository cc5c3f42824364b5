/**
 * Polyharmonic-spline interpolation and image warping with the numerics of TensorFlow Addons'
 * {@code interpolate_spline}, {@code sparse_image_warp} and {@code dense_image_warp}.
 */
package io.github.facenorm.warp;
