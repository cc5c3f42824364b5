/**
 * The {@code facenorm} command line: {@code warp} (a spline warp of a real photo) for now; {@code
 * normalize}, {@code train}, {@code prepare}, {@code evaluate} and {@code bench} as the library
 * grows.
 */
package io.github.facenorm.models.cli;
