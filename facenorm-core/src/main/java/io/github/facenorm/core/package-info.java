/**
 * The face domain, without training: face images, the 68-point iBUG landmark scheme, dlib's shape
 * predictor, alignment, texture/landmark decomposition, quality filters and photo adjustment.
 *
 * <ul>
 *   <li>Images and landmarks: {@link io.github.facenorm.core.FaceImage} (float RGB {@code [H, W,
 *       3]} in {@code [0, 1]}; its Javadoc defines the pixel and coordinate conventions for the
 *       module), {@link io.github.facenorm.core.FaceBox}, {@link io.github.facenorm.core.Landmarks}
 *       (which defines left and right as the subject's), and the {@link
 *       io.github.facenorm.core.FaceDetector}, {@link io.github.facenorm.core.LandmarkDetector} and
 *       {@link io.github.facenorm.core.FaceEncoder} interfaces, which every model in facenorm
 *       implements (face-api's nets in {@code facenorm-models}). dlib's shape predictor is in
 *       {@code io.github.facenorm.core.dlib}.
 *   <li>Pretrained and trained models: the checksummed model store in {@code
 *       io.github.facenorm.core.models}.
 *   <li>Alignment (paper Sec. 6.1): {@link io.github.facenorm.core.Aligner} → {@link
 *       io.github.facenorm.core.AlignedFace}, with the photo → crop {@link
 *       io.github.facenorm.core.SimilarityTransform}.
 *   <li>Texture and landmarks (Sec. 2.2): {@link io.github.facenorm.core.MeanShape}, {@link
 *       io.github.facenorm.core.FaceDecomposition}.
 *   <li>Quality filters (Sec. 6.1): {@link io.github.facenorm.core.QualityFilters} → {@link
 *       io.github.facenorm.core.QualityReport}; {@link io.github.facenorm.core.HeadPose}.
 *   <li>Exposure and white balance from a normalized face (Sec. 7.4): {@link
 *       io.github.facenorm.core.PhotoAdjustment}.
 *   <li>Preparing training photos: {@link io.github.facenorm.core.FacePreparer} (one photo, in
 *       memory) and {@link io.github.facenorm.core.PrepareStep} (the same as a step of the batch
 *       runner in {@code io.github.facenorm.core.batch}).
 * </ul>
 *
 * <p>Built on {@code io.github.facenorm.warp}.
 */
package io.github.facenorm.core;
