/**
 * Implementation of {@code io.github.facenorm.core}: image decoding and encoding, EXIF orientation,
 * similarity resampling, image statistics for the quality filters, and a minimal JSON reader and
 * writer for per-photo files. Not part of the API.
 */
package io.github.facenorm.core.internal;
