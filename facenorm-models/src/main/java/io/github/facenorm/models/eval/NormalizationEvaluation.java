package io.github.facenorm.models.eval;

import io.github.facenorm.core.FaceImage;
import io.github.facenorm.core.HeadPose;
import io.github.facenorm.models.nets.FaceRecognitionNet;
import io.github.facenorm.models.normalize.FaceChip;
import io.github.facenorm.models.normalize.FaceNormalizer;
import io.github.facenorm.models.normalize.NormalizedFace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The paper's Sec. 7 measurements of a normalizer on real photos: identity preservation (L2
 * distance of the recognition net's 128-D descriptors of each photo and of its normalized face,
 * both read from a {@link FaceChip}; dlib's same-person threshold {@value #THRESHOLD}),
 * normalization (for people with several photos, how far apart their normalized faces are compared
 * with their photos) and frontality (yaw and roll of the normalized face's landmarks).
 *
 * <p>A normalizer that returned its input crop would score perfect identity but a spread ratio of
 * about 1 and the photos' poses: the three numbers are read together.
 */
public final class NormalizationEvaluation {

  /** dlib's same-person threshold for its 128-D descriptor. */
  public static final double THRESHOLD = 0.6;

  /** The frontality tolerance of the issue, degrees. */
  public static final double FRONTAL_DEGREES = 3;

  private NormalizationEvaluation() {}

  /**
   * One photo measured.
   *
   * @param person the person (the photo's folder)
   * @param photo the photo's name within its collection
   * @param input the photo's descriptor
   * @param output the normalized face's descriptor
   * @param yaw the normalized face's yaw, degrees
   * @param roll its roll, degrees
   */
  public record Measure(
      String person, String photo, float[] input, float[] output, double yaw, double roll) {
    /** Checks the components. */
    public Measure {
      Objects.requireNonNull(person, "person");
      Objects.requireNonNull(photo, "photo");
      Objects.requireNonNull(input, "input");
      Objects.requireNonNull(output, "output");
    }

    /** Input → output identity distance. */
    public double distance() {
      return l2(input, output);
    }
  }

  /**
   * Normalizes a photo and measures it.
   *
   * @param normalizer the normalizer
   * @param encoder the recognition net (for descriptors)
   * @param photo the photo
   * @param person its person
   * @param name its name
   * @return the measure and the normalized face
   */
  public static Measured measure(
      FaceNormalizer normalizer,
      FaceRecognitionNet encoder,
      FaceImage photo,
      String person,
      String name) {
    NormalizedFace face = normalizer.normalize(photo);
    float[][] d =
        encoder.encode(
            List.of(
                FaceChip.cut(photo, face.photoLandmarks()),
                FaceChip.cut(face.image(), face.landmarks())));
    HeadPose pose = HeadPose.estimate(face.landmarks());
    return new Measured(new Measure(person, name, d[0], d[1], pose.yaw(), pose.roll()), face);
  }

  /**
   * A measure with the face it measured.
   *
   * @param measure the numbers
   * @param face the normalized face
   */
  public record Measured(Measure measure, NormalizedFace face) {}

  /**
   * The summary numbers.
   *
   * @param photos photos measured
   * @param underThreshold fraction with input → output distance below {@link #THRESHOLD}
   * @param meanDistance mean input → output distance
   * @param people people with at least two photos
   * @param inputSpread mean over those people of the mean pairwise distance between their photos
   * @param outputSpread the same between their normalized faces
   * @param frontal fraction of normalized faces with |yaw| and |roll| ≤ {@link #FRONTAL_DEGREES}
   * @param meanAbsYaw mean |yaw| of the normalized faces
   * @param meanAbsRoll mean |roll| of the normalized faces
   */
  public record Summary(
      int photos,
      double underThreshold,
      double meanDistance,
      int people,
      double inputSpread,
      double outputSpread,
      double frontal,
      double meanAbsYaw,
      double meanAbsRoll) {

    /** {@code outputSpread / inputSpread}: below 1 means the outputs of a person agree more. */
    public double spreadRatio() {
      return outputSpread / inputSpread;
    }

    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "%d photos: %.1f %% under %.1f (mean distance %.3f); %d people: output spread %.3f vs"
              + " input %.3f (ratio %.3f); frontal (|yaw|, |roll| ≤ %.0f°) %.1f %%, mean |yaw|"
              + " %.2f°, |roll| %.2f°",
          photos,
          100 * underThreshold,
          THRESHOLD,
          meanDistance,
          people,
          outputSpread,
          inputSpread,
          spreadRatio(),
          FRONTAL_DEGREES,
          100 * frontal,
          meanAbsYaw,
          meanAbsRoll);
    }
  }

  /**
   * Summarizes measures.
   *
   * @param measures the measures (at least one)
   * @return the summary
   */
  public static Summary summarize(List<Measure> measures) {
    if (measures.isEmpty()) {
      throw new IllegalArgumentException("measures: expected at least one");
    }
    int under = 0;
    int frontal = 0;
    double dist = 0;
    double yaw = 0;
    double roll = 0;
    Map<String, List<Measure>> byPerson = new LinkedHashMap<>();
    for (Measure m : measures) {
      double d = m.distance();
      dist += d;
      under += d < THRESHOLD ? 1 : 0;
      frontal +=
          Math.abs(m.yaw()) <= FRONTAL_DEGREES && Math.abs(m.roll()) <= FRONTAL_DEGREES ? 1 : 0;
      yaw += Math.abs(m.yaw());
      roll += Math.abs(m.roll());
      byPerson.computeIfAbsent(m.person(), k -> new ArrayList<>()).add(m);
    }
    int people = 0;
    double in = 0;
    double out = 0;
    for (List<Measure> ms : byPerson.values()) {
      if (ms.size() < 2) {
        continue;
      }
      double si = 0;
      double so = 0;
      int n = 0;
      for (int i = 0; i < ms.size(); i++) {
        for (int j = i + 1; j < ms.size(); j++) {
          si += l2(ms.get(i).input(), ms.get(j).input());
          so += l2(ms.get(i).output(), ms.get(j).output());
          n++;
        }
      }
      in += si / n;
      out += so / n;
      people++;
    }
    int n = measures.size();
    return new Summary(
        n,
        (double) under / n,
        dist / n,
        people,
        people > 0 ? in / people : Double.NaN,
        people > 0 ? out / people : Double.NaN,
        (double) frontal / n,
        yaw / n,
        roll / n);
  }

  /**
   * Pair verification at {@link #THRESHOLD} with given descriptors.
   *
   * @param pairs the pairs
   * @param descriptors photo → descriptor; pairs with a missing photo are skipped
   * @return {@code {accuracy, pairs scored}}
   */
  public static double[] verify(List<VerificationPair> pairs, Map<PhotoId, float[]> descriptors) {
    int right = 0;
    int n = 0;
    for (VerificationPair p : pairs) {
      float[] a = descriptors.get(p.first());
      float[] b = descriptors.get(p.second());
      if (a == null || b == null) {
        continue;
      }
      n++;
      right += (l2(a, b) < THRESHOLD) == p.same() ? 1 : 0;
    }
    return new double[] {n > 0 ? (double) right / n : Double.NaN, n};
  }

  static double l2(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      double d = a[i] - b[i];
      s += d * d;
    }
    return Math.sqrt(s);
  }
}
