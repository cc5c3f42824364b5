package io.github.facenorm.core.batch;

import java.nio.file.Path;
import java.util.List;

/**
 * The result of {@link BatchRunner#run}.
 *
 * @param outcomes one per item, in the order given
 * @param seconds wall time of the run
 * @param failures the failures CSV written ({@value BatchRunner#FAILURES_FILE}: {@code
 *     path,reason}, a header only when nothing failed)
 * @param <R> the step's value type
 */
public record BatchSummary<R>(List<BatchOutcome<R>> outcomes, double seconds, Path failures) {

  /** Copies the list. */
  public BatchSummary {
    outcomes = List.copyOf(outcomes);
  }

  /** Items in the run. */
  public int total() {
    return outcomes.size();
  }

  /** Items whose outputs existed already. */
  public int skipped() {
    return (int) outcomes.stream().filter(BatchOutcome::skipped).count();
  }

  /** Items that failed. */
  public int failed() {
    return (int) outcomes.stream().filter(o -> !o.ok()).count();
  }

  /** Items with a value: processed now or read back. */
  public int succeeded() {
    return total() - failed();
  }

  /** Items processed (not skipped) per second. */
  public double itemsPerSecond() {
    return seconds > 0 ? (total() - skipped()) / seconds : 0;
  }
}
