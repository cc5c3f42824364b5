/**
 * Implementation of {@code io.github.facenorm.core}, shared by facenorm's other modules: the one
 * image decoder and encoder ({@code ImageCodec}, behind {@code FaceImage.read} / {@code write}),
 * EXIF orientation, similarity resampling, image statistics for the quality filters, the one JSON
 * reader and writer ({@code Json}, on Jackson, depth- and size-bounded), the one atomic-file helper
 * ({@code AtomicFiles}) and the input size limits every entry point checks ({@code Limits}: pixels
 * per image, points per spline warp). Not part of the API.
 */
package io.github.facenorm.core.internal;
