package io.github.facenorm.core.batch;

/**
 * Counts during a run.
 *
 * @param done items finished (processed, skipped or failed)
 * @param total items in the run
 * @param skipped items whose outputs already existed
 * @param failed items that failed
 * @param elapsedNanos time since the run started
 */
public record BatchStatus(int done, int total, int skipped, int failed, long elapsedNanos) {

  /** Items actually processed (not skipped) per second so far. */
  public double itemsPerSecond() {
    return elapsedNanos > 0 ? (done - skipped) / (elapsedNanos / 1e9) : 0;
  }

  /** Estimated seconds to finish at the current rate, or NaN before any item was processed. */
  public double etaSeconds() {
    double rate = itemsPerSecond();
    return rate > 0 ? (total - done) / rate : Double.NaN;
  }
}
