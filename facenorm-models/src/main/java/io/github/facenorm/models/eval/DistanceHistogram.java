package io.github.facenorm.models.eval;

import java.util.Objects;

/**
 * A histogram of identity distances (the paper's Fig. 12): bin {@code i} counts the values in
 * {@code [i · binWidth, (i + 1) · binWidth)} (edges within 1e-9 bins, so that decimal edges such as
 * 0.6 start their bin despite rounding); the last bin also counts everything above it.
 *
 * @param binWidth the width of a bin, positive
 * @param counts the count of each bin
 * @param total how many values were counted
 * @param underThreshold fraction of the values strictly below {@code threshold} (from the values,
 *     not the bins)
 * @param threshold the threshold {@code underThreshold} refers to
 */
public record DistanceHistogram(
    double binWidth, long[] counts, int total, double underThreshold, double threshold) {

  /** Copies the counts. */
  public DistanceHistogram {
    counts = counts.clone();
  }

  /** The counts, a copy. */
  @Override
  public long[] counts() {
    return counts.clone();
  }

  /**
   * Counts values.
   *
   * @param values distances, finite and non-negative (at least one)
   * @param binWidth bin width, positive
   * @param bins number of bins, at least 1
   * @param threshold the threshold whose fraction is reported
   * @return the histogram
   * @throws IllegalArgumentException on an empty array, a negative or non-finite value, or bad bins
   */
  public static DistanceHistogram of(double[] values, double binWidth, int bins, double threshold) {
    Objects.requireNonNull(values, "values");
    if (values.length == 0) {
      throw new IllegalArgumentException("values: expected at least one distance");
    }
    if (!(binWidth > 0) || Double.isInfinite(binWidth)) {
      throw new IllegalArgumentException("binWidth: expected a positive width, got " + binWidth);
    }
    if (bins < 1) {
      throw new IllegalArgumentException("bins: expected at least 1, got " + bins);
    }
    long[] counts = new long[bins];
    int under = 0;
    for (int i = 0; i < values.length; i++) {
      double v = values[i];
      if (!(v >= 0) || Double.isInfinite(v)) {
        throw new IllegalArgumentException(
            "values: expected finite distances >= 0, got " + v + " at index " + i);
      }
      counts[bin(v, binWidth, bins)]++;
      under += v < threshold ? 1 : 0;
    }
    return new DistanceHistogram(
        binWidth, counts, values.length, (double) under / values.length, threshold);
  }

  /**
   * The bin of a value. {@code v / binWidth} alone would put 0.6 in the bin below 0.6 with a width
   * of 0.1 (0.6 / 0.1 = 5.999...), left of a threshold it is not under; a value within 1e-9 of a
   * bin's upper edge counts in the next bin.
   */
  private static int bin(double v, double binWidth, int bins) {
    return (int) Math.min(bins - 1, (long) Math.floor(v / binWidth + 1e-9));
  }

  /**
   * The lower edge of a bin.
   *
   * @param bin the bin index
   * @return {@code bin · binWidth}
   */
  public double lower(int bin) {
    Objects.checkIndex(bin, counts.length);
    return bin * binWidth;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DistanceHistogram h
        && binWidth == h.binWidth
        && java.util.Arrays.equals(counts, h.counts)
        && total == h.total
        && underThreshold == h.underThreshold
        && threshold == h.threshold;
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(counts) * 31 + Double.hashCode(binWidth);
  }

  @Override
  public String toString() {
    return String.format(
        java.util.Locale.ROOT,
        "DistanceHistogram[%d values, %d bins of %.3f, %.1f %% under %.3f]",
        total,
        counts.length,
        binWidth,
        100 * underThreshold,
        threshold);
  }
}
