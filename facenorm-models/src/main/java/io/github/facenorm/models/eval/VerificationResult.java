package io.github.facenorm.models.eval;

import java.util.List;
import java.util.Locale;

/**
 * The outcome of {@link PairVerification#evaluate}. Accuracies are over the scored pairs (pairs
 * whose two photos both have a descriptor); {@code NaN} when there are none of the kind.
 *
 * @param threshold the decision threshold: same person when the distance is below it
 * @param pairs pairs given, scored or not
 * @param samePairs scored same-person pairs
 * @param differentPairs scored different-person pairs
 * @param failedPairs pairs left out because a photo has no descriptor
 * @param photos distinct photos embedded (each once)
 * @param fallbackPhotos photos with no detected face, described from a fallback region
 * @param failedPhotos photos with no descriptor at all
 * @param accuracy fraction of scored pairs classified correctly at {@code threshold}
 * @param sameAccuracy fraction of same-person pairs below the threshold (true positive rate)
 * @param differentAccuracy fraction of different-person pairs at or above it (true negative rate)
 * @param bestThreshold the threshold with the highest accuracy on these same pairs
 * @param bestAccuracy the accuracy at {@code bestThreshold} (optimistic: chosen on the test pairs)
 * @param meanSameDistance mean distance of the same-person pairs
 * @param meanDifferentDistance mean distance of the different-person pairs
 * @param embedSeconds wall time spent embedding the photos (reading and decoding included)
 * @param photosPerSecond {@code photos / embedSeconds}
 * @param scored every scored pair with its distance, in input order
 */
public record VerificationResult(
    double threshold,
    int pairs,
    int samePairs,
    int differentPairs,
    int failedPairs,
    int photos,
    List<PhotoId> fallbackPhotos,
    List<PhotoId> failedPhotos,
    double accuracy,
    double sameAccuracy,
    double differentAccuracy,
    double bestThreshold,
    double bestAccuracy,
    double meanSameDistance,
    double meanDifferentDistance,
    double embedSeconds,
    double photosPerSecond,
    List<ScoredPair> scored) {

  /**
   * A pair and the distance of its descriptors.
   *
   * @param pair the pair
   * @param distance the Euclidean distance of the two descriptors
   */
  public record ScoredPair(VerificationPair pair, double distance) {}

  /** Copies the lists. */
  public VerificationResult {
    fallbackPhotos = List.copyOf(fallbackPhotos);
    failedPhotos = List.copyOf(failedPhotos);
    scored = List.copyOf(scored);
  }

  /**
   * One line with every number (without the per-pair and per-photo lists).
   *
   * @return the summary
   */
  public String summary() {
    return String.format(
        Locale.ROOT,
        "%d pairs (%d same, %d different scored, %d failed); %d photos (%d fallback, %d failed);"
            + " accuracy %.4f at threshold %.3f (same %.4f, different %.4f); best %.4f at %.4f;"
            + " mean distance same %.4f, different %.4f; %.1f s, %.2f photos/s",
        pairs,
        samePairs,
        differentPairs,
        failedPairs,
        photos,
        fallbackPhotos.size(),
        failedPhotos.size(),
        accuracy,
        threshold,
        sameAccuracy,
        differentAccuracy,
        bestAccuracy,
        bestThreshold,
        meanSameDistance,
        meanDifferentDistance,
        embedSeconds,
        photosPerSecond);
  }

  @Override
  public String toString() {
    return "VerificationResult[" + summary() + "]";
  }
}
