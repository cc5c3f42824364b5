/**
 * The face domain, without training: face images, the 68-point iBUG landmark scheme, dlib's shape
 * predictor, alignment, texture/landmark decomposition, quality filters and photo adjustment.
 *
 * <p>Here so far: {@link io.github.facenorm.core.FaceImage} (float RGB {@code [H, W, 3]} in {@code
 * [0, 1]}; its Javadoc defines the pixel and coordinate conventions for the module), {@link
 * io.github.facenorm.core.FaceBox}, {@link io.github.facenorm.core.Landmarks} (which defines left
 * and right as the subject's), and the {@link io.github.facenorm.core.FaceDetector}, {@link
 * io.github.facenorm.core.LandmarkDetector} and {@link io.github.facenorm.core.FaceEncoder}
 * interfaces. dlib's shape predictor is in {@code io.github.facenorm.core.dlib}. Built on {@code
 * io.github.facenorm.warp}.
 */
package io.github.facenorm.core;
