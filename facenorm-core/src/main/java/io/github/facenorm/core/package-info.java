/**
 * The face domain, without training: face images, the 68-point iBUG landmark scheme, dlib's shape
 * predictor, alignment, texture/landmark decomposition, quality filters and photo adjustment.
 *
 * <p>Built on {@code io.github.facenorm.warp}. Nothing here yet: see the project's issues.
 */
package io.github.facenorm.core;
