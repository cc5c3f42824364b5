/**
 * The face-api.js networks ({@code @vladmandic/face-api@1.7.15}, MIT) ported to SameDiff, behind
 * core's interfaces: the 128-D face-recognition ResNet ({@link
 * io.github.facenorm.models.nets.FaceRecognitionNet}, a {@code FaceEncoder}), the 68-point landmark
 * net ({@link io.github.facenorm.models.nets.FaceLandmark68Net}, a {@code LandmarkDetector}) and
 * the tiny face detector ({@link io.github.facenorm.models.nets.TinyFaceDetector}, a {@code
 * FaceDetector}), with the tfjs weight reader ({@link io.github.facenorm.models.nets.TfjsWeights})
 * and their entries in core's model store ({@link io.github.facenorm.models.nets.FaceApiModels}).
 *
 * <p>Conventions, in one place: the face-level methods take core's {@code FaceImage} (values 0..1)
 * and return core's {@code FaceBox} and {@code Landmarks}; the translator beside the nets scales to
 * face-api's 0..255, pads and resizes exactly as face-api does. The net-level methods ({@code
 * build}, {@code predict}, {@code embed}, {@code pooledFeatures(INDArray)}) take tensors {@code [B,
 * S, S, 3]} RGB, channels last, values 0..255 as face-api's graphs expect (each class's {@code
 * preprocess} makes them). Points are {@code (x, y)} in pixels of the image they were computed on,
 * x to the right and y down, as face-api reports them; boxes are in the same pixel frame. Every
 * preprocessing step copies face-api's numerics, quirks included (see each class); the graphs
 * reproduce face-api's outputs to float32 rounding.
 */
package io.github.facenorm.models.nets;
