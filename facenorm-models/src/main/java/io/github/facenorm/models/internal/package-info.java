/**
 * Implementation details of {@code io.github.facenorm.models.nets}: a small JSON reader for tfjs
 * weight manifests, face-api's image preprocessing (padding to square, legacy bilinear resize) and
 * SameDiff layer helpers. Not an API: anything here may change without notice.
 */
package io.github.facenorm.models.internal;
