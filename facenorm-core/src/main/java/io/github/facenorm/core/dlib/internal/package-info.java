/**
 * Implementation of {@code io.github.facenorm.core.dlib}: dlib's serialization primitives, the
 * shape predictor's file layout and the similarity transform. Not part of the API.
 */
package io.github.facenorm.core.dlib.internal;
