/**
 * Implementation details of {@code io.github.facenorm.models.nets}: the input translator of
 * face-api's nets ({@code FaceImage} to 0..255 tensors: padding to square, legacy bilinear resize,
 * face-api's box clipping) and SameDiff layer helpers. Not an API: anything here may change without
 * notice.
 */
package io.github.facenorm.models.internal;
