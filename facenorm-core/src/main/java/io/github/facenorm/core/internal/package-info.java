/**
 * Implementation of {@code io.github.facenorm.core}: image decoding and encoding, EXIF orientation.
 * Not part of the API.
 */
package io.github.facenorm.core.internal;
