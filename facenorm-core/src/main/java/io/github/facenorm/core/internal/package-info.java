/**
 * Implementation of {@code io.github.facenorm.core}, shared by facenorm's other modules: the one
 * image decoder and encoder ({@code ImageCodec}, behind {@code FaceImage.read} / {@code write}),
 * EXIF orientation, similarity resampling, image statistics for the quality filters, the one JSON
 * reader and writer ({@code Json}, on Jackson, depth- and size-bounded) and the one atomic-file
 * helper ({@code AtomicFiles}). Not part of the API.
 */
package io.github.facenorm.core.internal;
