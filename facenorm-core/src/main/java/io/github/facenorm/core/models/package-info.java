/**
 * The model store: one checksummed, cached lookup for every pretrained asset (dlib's shape
 * predictor, face-api's weights) and for the normalizer models trained with facenorm. A model is
 * named by a {@link io.github.facenorm.core.models.ModelId} (name, version, directory, and the
 * SHA-256 of each {@link io.github.facenorm.core.models.ModelFile}); {@link
 * io.github.facenorm.core.models.ModelStore#resolve} finds it under the one cache root and checks
 * every file; {@link io.github.facenorm.core.models.PretrainedModels} holds the pins the fetch
 * scripts use too.
 */
package io.github.facenorm.core.models;
