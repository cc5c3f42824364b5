/**
 * The face-api.js networks ({@code @vladmandic/face-api@1.7.15}, MIT) ported to SameDiff: the 128-D
 * face-recognition ResNet ({@link io.github.facenorm.models.nets.FaceRecognitionNet}), the 68-point
 * landmark net ({@link io.github.facenorm.models.nets.FaceLandmark68Net}) and the tiny face
 * detector ({@link io.github.facenorm.models.nets.TinyFaceDetector}), with the tfjs weight reader
 * ({@link io.github.facenorm.models.nets.TfjsWeights}) and the cache that holds the weights ({@link
 * io.github.facenorm.models.nets.FaceApiModels}).
 *
 * <p>Conventions, in one place: images are RGB, channels last ({@code [H, W, 3]} or {@code [B, H,
 * W, 3]}), values 0..255 as face-api expects them (not [0, 1]). Points are {@code (x, y)} in pixels
 * of the image they were computed on, x to the right and y down, the origin at the top-left corner
 * of the top-left pixel, exactly as face-api reports them. Boxes are {@code (x, y, width, height)}
 * in the same pixel frame. Every preprocessing step copies face-api's numerics, quirks included
 * (see each class); the graphs reproduce face-api's outputs to float32 rounding.
 */
package io.github.facenorm.models.nets;
