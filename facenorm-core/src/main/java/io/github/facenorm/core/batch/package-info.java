/**
 * One batch runner for every command that turns many input files into output files: {@link
 * io.github.facenorm.core.batch.BatchRunner}.
 *
 * <p>The seam: {@link io.github.facenorm.core.batch.BatchInputs} lists the inputs as {@link
 * io.github.facenorm.core.batch.BatchItem}s (a source path and the name its outputs get), a {@link
 * io.github.facenorm.core.batch.BatchStep} turns one item into a value and the bytes of its output
 * files (no file writing of its own), and the runner does the rest: threads, resume, atomic writes,
 * progress with rate and ETA ({@link io.github.facenorm.core.batch.BatchProgress}), the failures
 * list and a {@link io.github.facenorm.core.batch.BatchSummary}. {@code prepare} plugs in {@link
 * io.github.facenorm.core.PrepareStep}; {@code normalize}, {@code augment} and {@code evaluate}
 * plug in their own steps the same way.
 */
package io.github.facenorm.core.batch;
