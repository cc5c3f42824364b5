/**
 * Training-data generation after Cole et al. (2017), Sec. 5: random morphs between neighbouring
 * faces ({@link io.github.facenorm.augment.NeighbourTable}, {@link
 * io.github.facenorm.augment.RandomMorph}), gradient-domain compositing onto real backgrounds
 * ({@link io.github.facenorm.augment.GradientDomainCompositor}), and a seeded, resumable, sharded
 * dataset writer and reader ({@link io.github.facenorm.augment.DatasetWriter}, {@link
 * io.github.facenorm.augment.DatasetReader}); {@link io.github.facenorm.augment.AugmentJob} runs it
 * all in one call. Faces come in through the {@link io.github.facenorm.augment.FaceSet} interface.
 *
 * <p>Conventions: images are {@link io.github.facenorm.core.FaceImage}s ({@code [H, W, 3]}, values
 * in {@code [0, 1]}), landmarks are (x, y) pixel coordinates with pixel centers at integers,
 * textures are in the mean shape's geometry ({@link io.github.facenorm.core.FaceDecomposition}).
 */
package io.github.facenorm.augment;
