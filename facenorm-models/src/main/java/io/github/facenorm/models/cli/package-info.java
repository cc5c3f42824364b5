/**
 * The {@code facenorm} command line: {@code warp} (a spline warp of a real photo) and {@code
 * prepare} (landmarks, quality filters and alignment for already-cropped photos); {@code
 * normalize}, {@code train}, {@code prepare}, {@code evaluate} and {@code bench} as the library
 * grows.
 */
package io.github.facenorm.models.cli;
