/**
 * The {@code facenorm} command line ({@code scripts/facenorm}): {@code warp} (a spline warp of a
 * real photo) and {@code prepare} (landmarks, quality filters and alignment for already-cropped
 * photos, run by {@link io.github.facenorm.core.batch.BatchRunner}); {@code normalize}, {@code
 * train} and {@code evaluate} as the library grows. The only module with a command-line parser, an
 * ND4J backend and an SLF4J binding.
 */
package io.github.facenorm.cli;
