package io.github.facenorm.models.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The receiver operating characteristic of same/different-person verification by descriptor
 * distance: a pair is called the same person when its distance is below a threshold, and the curve
 * follows the threshold from below every distance (nothing called same) to above every distance
 * (everything called same).
 *
 * <p>Each point is the true positive rate (same-person pairs called same) against the false
 * positive rate (different-person pairs called same) at one threshold; pairs with equal distances
 * move together, so ties give diagonal segments. The area under the curve is the probability that a
 * random same-person pair is closer than a random different-person pair, ties counting one half.
 *
 * @param points from {@code (0, 0)} to {@code (1, 1)}, the false positive rate non-decreasing
 * @param auc the area under the curve, in {@code [0, 1]}
 * @param samePairs same-person pairs (positives)
 * @param differentPairs different-person pairs (negatives)
 */
public record RocCurve(List<Point> points, double auc, int samePairs, int differentPairs) {

  /**
   * One operating point.
   *
   * @param threshold pairs with distance strictly below it are called the same person; {@code 0}
   *     for the first point (nothing called same)
   * @param falsePositiveRate fraction of different-person pairs called the same
   * @param truePositiveRate fraction of same-person pairs called the same
   */
  public record Point(double threshold, double falsePositiveRate, double truePositiveRate) {}

  /** Copies the list. */
  public RocCurve {
    points = List.copyOf(points);
  }

  /**
   * The curve of scored pairs.
   *
   * @param scored pairs with their distances; at least one same-person and one different-person
   *     pair, finite distances
   * @return the curve
   * @throws IllegalArgumentException if a class is missing or a distance is not finite
   */
  public static RocCurve of(List<VerificationResult.ScoredPair> scored) {
    Objects.requireNonNull(scored, "scored");
    double[] d = new double[scored.size()];
    boolean[] same = new boolean[scored.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = scored.get(i).distance();
      same[i] = scored.get(i).pair().same();
    }
    return of(d, same);
  }

  /**
   * The curve of distances and labels.
   *
   * @param distances pair distances, finite
   * @param same true for same-person pairs, the same length
   * @return the curve
   * @throws IllegalArgumentException if the lengths differ, a class is missing or a distance is not
   *     finite
   */
  public static RocCurve of(double[] distances, boolean[] same) {
    Objects.requireNonNull(distances, "distances");
    Objects.requireNonNull(same, "same");
    if (distances.length != same.length) {
      throw new IllegalArgumentException(
          "distances, same: expected equal lengths, got "
              + distances.length
              + " and "
              + same.length);
    }
    int n = distances.length;
    int positives = 0;
    for (int i = 0; i < n; i++) {
      if (!Double.isFinite(distances[i])) {
        throw new IllegalArgumentException(
            "distances: expected finite values, got " + distances[i] + " at index " + i);
      }
      positives += same[i] ? 1 : 0;
    }
    int negatives = n - positives;
    if (positives == 0 || negatives == 0) {
      throw new IllegalArgumentException(
          "same: expected at least one same-person and one different-person pair, got "
              + positives
              + " same and "
              + negatives
              + " different");
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(distances[a], distances[b]));
    List<Point> points = new ArrayList<>();
    points.add(new Point(0, 0, 0));
    int tp = 0;
    int fp = 0;
    double auc = 0;
    double prevFpr = 0;
    double prevTpr = 0;
    for (int k = 0; k < n; ) {
      double v = distances[order[k]];
      while (k < n && distances[order[k]] == v) {
        if (same[order[k]]) {
          tp++;
        } else {
          fp++;
        }
        k++;
      }
      double fpr = (double) fp / negatives;
      double tpr = (double) tp / positives;
      auc += (fpr - prevFpr) * (tpr + prevTpr) / 2;
      double threshold = k < n ? (v + distances[order[k]]) / 2 : Math.nextUp(v);
      points.add(new Point(threshold, fpr, tpr));
      prevFpr = fpr;
      prevTpr = tpr;
    }
    return new RocCurve(points, auc, positives, negatives);
  }
}
