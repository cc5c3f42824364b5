package io.github.facenorm.core.batch;

import java.nio.file.Path;
import java.util.List;

/**
 * What a batch does to one item, for {@link BatchRunner}: read the input, compute, and hand back
 * the bytes of every output file. The step writes no files itself (the runner writes them
 * atomically, in {@link #outputExtensions()} order), so the same step runs unchanged in a cluster
 * job. Implementations must be thread-safe: the runner calls them from several threads.
 *
 * @param <R> what one item yields (measurements, a verdict, a descriptor)
 */
public interface BatchStep<R> {

  /**
   * The extensions of the files every item writes, with their dots, e.g. {@code [".png", ".json"]}.
   * The last one is the sidecar: it is written last, so an item counts as done only when every one
   * of these files exists and is not empty.
   *
   * @return one or more extensions, fixed for the step
   */
  List<String> outputExtensions();

  /**
   * Processes one item.
   *
   * @param item the input
   * @return the value and the bytes of each output file
   * @throws Exception anything; the runner records it as the item's failure and goes on
   */
  Result<R> process(BatchItem item) throws Exception;

  /**
   * Reads back the value of an item whose outputs a previous run wrote, instead of processing it
   * again (resume).
   *
   * @param item the input
   * @param outputs the existing, non-empty output files, in {@link #outputExtensions()} order
   * @return the value
   * @throws Exception if the outputs are unusable; the runner then processes the item again
   */
  R resume(BatchItem item, List<Path> outputs) throws Exception;

  /**
   * What {@link #process} yields for one item.
   *
   * @param value the item's value
   * @param files the bytes of each output file, in {@link #outputExtensions()} order
   */
  record Result<R>(R value, List<byte[]> files) {

    /**
     * Copies the list.
     *
     * @throws NullPointerException if a file is null
     */
    public Result {
      files = List.copyOf(files);
    }
  }
}
