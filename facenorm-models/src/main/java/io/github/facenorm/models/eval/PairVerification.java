package io.github.facenorm.models.eval;

import io.github.facenorm.core.FaceImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Same/different-person verification accuracy on a list of pairs: every distinct photo is read once
 * (in order of first appearance) with {@link FaceImage#read} and described by a function of the
 * image (e.g. {@link SubjectDescriber}), each pair is scored by the Euclidean distance of its two
 * descriptors, and a pair is called the same person when that distance is strictly below the
 * threshold.
 *
 * <p>A photo whose descriptor cannot be computed (it cannot be read, or the describer returns
 * empty) is a failure; pairs that contain one are left out of the accuracies and counted in {@link
 * VerificationResult#failedPairs()}. The best threshold is chosen on the same pairs it is scored
 * on, so its accuracy is optimistic (LFW's protocol picks it by cross validation over folds).
 */
public final class PairVerification {
  /** dlib's (and face-api's) same-person threshold for the 128-D descriptor. */
  public static final double DLIB_THRESHOLD = 0.6;

  private static final Logger LOG = LoggerFactory.getLogger(PairVerification.class);

  private final double threshold;

  /**
   * Reports progress of the embedding step.
   *
   * <p>Called after each photo, from the thread that runs {@link #evaluate}.
   */
  @FunctionalInterface
  public interface Progress {
    /**
     * One more photo is done.
     *
     * @param done photos embedded (or failed) so far
     * @param total distinct photos
     */
    void update(int done, int total);
  }

  /**
   * The threshold that maximizes accuracy on a set of scored pairs.
   *
   * @param threshold the midpoint between the two distances around the best cut
   * @param accuracy the accuracy there, in [0, 1]
   */
  public record BestThreshold(double threshold, double accuracy) {}

  /**
   * An evaluator with a decision threshold.
   *
   * @param threshold same person when the distance is below this; positive and finite
   */
  public PairVerification(double threshold) {
    if (!(threshold > 0) || Double.isInfinite(threshold)) {
      throw new IllegalArgumentException(
          "threshold: expected a positive finite distance, got " + threshold);
    }
    this.threshold = threshold;
  }

  /**
   * An evaluator at dlib's threshold 0.6.
   *
   * @return the evaluator
   */
  public static PairVerification atDlibThreshold() {
    return new PairVerification(DLIB_THRESHOLD);
  }

  /**
   * The decision threshold.
   *
   * @return the threshold
   */
  public double threshold() {
    return threshold;
  }

  /**
   * Evaluates without progress reports.
   *
   * @param pairs the pairs (at least one)
   * @param root the dataset root: photo {@code id} is {@code root/<id.relativePath()>}
   * @param describer the descriptor of a photo, or empty when none can be computed
   * @return the result
   */
  public VerificationResult evaluate(
      List<VerificationPair> pairs,
      Path root,
      Function<? super FaceImage, Optional<PhotoDescriptor>> describer) {
    return evaluate(pairs, root, describer, (done, total) -> {});
  }

  /**
   * Reads and describes every distinct photo once, scores every pair and measures accuracy.
   *
   * @param pairs the pairs (at least one)
   * @param root the dataset root: photo {@code id} is {@code root/<id.relativePath()>}
   * @param describer the descriptor of a photo, or empty when none can be computed
   * @param progress called after each photo
   * @return the result
   */
  public VerificationResult evaluate(
      List<VerificationPair> pairs,
      Path root,
      Function<? super FaceImage, Optional<PhotoDescriptor>> describer,
      Progress progress) {
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(describer, "describer");
    Objects.requireNonNull(progress, "progress");
    if (pairs == null || pairs.isEmpty()) {
      throw new IllegalArgumentException("pairs: expected at least one pair");
    }
    List<PhotoId> photos = LfwPairs.photos(pairs);
    Map<PhotoId, PhotoDescriptor> descriptors = new HashMap<>();
    List<PhotoId> fallbacks = new ArrayList<>();
    List<PhotoId> failed = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < photos.size(); i++) {
      PhotoId id = photos.get(i);
      Optional<PhotoDescriptor> d;
      try {
        d = describer.apply(FaceImage.read(root.resolve(id.relativePath())));
      } catch (IOException e) {
        LOG.warn("{}: cannot read the photo: {}", id, e.getMessage());
        d = Optional.empty();
      }
      if (d.isPresent()) {
        descriptors.put(id, d.get());
        if (d.get().fallback()) {
          fallbacks.add(id);
        }
      } else {
        failed.add(id);
      }
      progress.update(i + 1, photos.size());
      if ((i + 1) % 500 == 0) {
        LOG.info("embedded {} of {} photos", i + 1, photos.size());
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;

    List<VerificationResult.ScoredPair> scored = new ArrayList<>();
    int failedPairs = 0;
    for (VerificationPair p : pairs) {
      PhotoDescriptor a = descriptors.get(p.first());
      PhotoDescriptor b = descriptors.get(p.second());
      if (a == null || b == null) {
        failedPairs++;
      } else {
        scored.add(new VerificationResult.ScoredPair(p, a.distance(b)));
      }
    }
    double[] dist = new double[scored.size()];
    boolean[] same = new boolean[scored.size()];
    int sameCount = 0;
    int sameRight = 0;
    int diffRight = 0;
    double sameSum = 0;
    double diffSum = 0;
    for (int i = 0; i < dist.length; i++) {
      dist[i] = scored.get(i).distance();
      same[i] = scored.get(i).pair().same();
      if (same[i]) {
        sameCount++;
        sameSum += dist[i];
        sameRight += dist[i] < threshold ? 1 : 0;
      } else {
        diffSum += dist[i];
        diffRight += dist[i] < threshold ? 0 : 1;
      }
    }
    int diffCount = dist.length - sameCount;
    BestThreshold best =
        dist.length == 0 ? new BestThreshold(Double.NaN, Double.NaN) : bestThreshold(dist, same);
    int embedded = photos.size();
    return new VerificationResult(
        threshold,
        pairs.size(),
        sameCount,
        diffCount,
        failedPairs,
        photos.size(),
        fallbacks,
        failed,
        dist.length == 0 ? Double.NaN : (double) (sameRight + diffRight) / dist.length,
        sameCount == 0 ? Double.NaN : (double) sameRight / sameCount,
        diffCount == 0 ? Double.NaN : (double) diffRight / diffCount,
        best.threshold(),
        best.accuracy(),
        sameCount == 0 ? Double.NaN : sameSum / sameCount,
        diffCount == 0 ? Double.NaN : diffSum / diffCount,
        seconds,
        seconds > 0 ? embedded / seconds : Double.NaN,
        scored);
  }

  /**
   * Accuracy of the rule "same person when {@code distance < threshold}".
   *
   * @param distances pair distances
   * @param same the true labels, same length
   * @param threshold the threshold
   * @return the fraction of pairs classified correctly
   */
  public static double accuracy(double[] distances, boolean[] same, double threshold) {
    checkScores(distances, same);
    int right = 0;
    for (int i = 0; i < distances.length; i++) {
      right += (distances[i] < threshold) == same[i] ? 1 : 0;
    }
    return (double) right / distances.length;
  }

  /**
   * The threshold with the highest accuracy: every cut between two consecutive distinct distances
   * is tried (and one below the smallest and one above the largest); the threshold returned is the
   * midpoint of the first best cut (the smallest best threshold).
   *
   * @param distances pair distances, finite
   * @param same the true labels, same length
   * @return the best threshold and its accuracy
   */
  public static BestThreshold bestThreshold(double[] distances, boolean[] same) {
    checkScores(distances, same);
    int n = distances.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (x, y) -> Double.compare(distances[x], distances[y]));
    // Threshold below everything: every pair called different.
    int right = 0;
    for (boolean s : same) {
      right += s ? 0 : 1;
    }
    int bestRight = right;
    double bestT = distances[order[0]] / 2;
    for (int k = 0; k < n; k++) {
      right += same[order[k]] ? 1 : -1;
      boolean lastOfTie = k == n - 1 || distances[order[k + 1]] > distances[order[k]];
      if (lastOfTie && right > bestRight) {
        bestRight = right;
        double lo = distances[order[k]];
        bestT = k == n - 1 ? Math.nextUp(lo) : (lo + distances[order[k + 1]]) / 2;
      }
    }
    return new BestThreshold(bestT, (double) bestRight / n);
  }

  private static void checkScores(double[] distances, boolean[] same) {
    if (distances.length == 0 || distances.length != same.length) {
      throw new IllegalArgumentException(
          "distances, same: expected two non-empty arrays of equal length, got "
              + distances.length
              + " and "
              + same.length);
    }
    for (int i = 0; i < distances.length; i++) {
      if (!Double.isFinite(distances[i])) {
        throw new IllegalArgumentException(
            "distances: expected finite values, got " + distances[i] + " at index " + i);
      }
    }
  }

  @Override
  public String toString() {
    return "PairVerification[threshold=" + threshold + "]";
  }
}
