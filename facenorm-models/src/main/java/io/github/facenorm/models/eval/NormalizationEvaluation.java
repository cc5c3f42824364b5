package io.github.facenorm.models.eval;

import io.github.facenorm.core.AlignedFace;
import io.github.facenorm.core.FaceDecomposition;
import io.github.facenorm.core.FaceImage;
import io.github.facenorm.core.HeadPose;
import io.github.facenorm.core.Landmarks;
import io.github.facenorm.core.MeanShape;
import io.github.facenorm.core.PhotoAdjustment;
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
 *
 * <p>Beside each normalized face, {@link #measure} makes the paper's Fig. 8 baseline, a 2-D
 * frontalization by warping alone (the aligned photo warped from its landmarks to the model's mean
 * landmarks), describes it like the output, and fits the Sec. 7.4 {@link PhotoAdjustment} of the
 * aligned photo to the normalized face.
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
   * @param frontalized the descriptor of the 2-D frontalization (the Fig. 8 baseline)
   * @param yaw the normalized face's yaw, degrees
   * @param roll its roll, degrees
   */
  public record Measure(
      String person,
      String photo,
      float[] input,
      float[] output,
      float[] frontalized,
      double yaw,
      double roll) {
    /** Checks the components. */
    public Measure {
      Objects.requireNonNull(person, "person");
      Objects.requireNonNull(photo, "photo");
      Objects.requireNonNull(input, "input");
      Objects.requireNonNull(output, "output");
      Objects.requireNonNull(frontalized, "frontalized");
      if (output.length != input.length || frontalized.length != input.length) {
        throw new IllegalArgumentException(
            "descriptors: expected equal lengths, got input "
                + input.length
                + ", output "
                + output.length
                + ", frontalized "
                + frontalized.length);
      }
    }

    /** Input → output identity distance. */
    public double distance() {
      return l2(input, output);
    }

    /** Input → 2-D frontalization identity distance (the baseline's). */
    public double frontalizedDistance() {
      return l2(input, frontalized);
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
    AlignedFace aligned = normalizer.model().config().aligner().align(photo, face.photoLandmarks());
    Landmarks mean = normalizer.model().meanLandmarks();
    FaceImage frontalized = FaceDecomposition.decompose(aligned, MeanShape.of(mean, 1)).texture();
    float[][] d =
        encoder.encode(
            List.of(
                FaceChip.cut(photo, face.photoLandmarks()),
                FaceChip.cut(face.image(), face.landmarks()),
                FaceChip.cut(frontalized, mean)));
    HeadPose pose = HeadPose.estimate(face.landmarks());
    return new Measured(
        new Measure(person, name, d[0], d[1], d[2], pose.yaw(), pose.roll()),
        face,
        aligned,
        frontalized,
        PhotoAdjustment.fit(aligned.image(), face.image()));
  }

  /**
   * A measure with the images it measured.
   *
   * @param measure the numbers
   * @param face the normalized face
   * @param aligned the photo aligned to the model's frame ({@code [S, S, 3]}, the output's size)
   * @param frontalized the Fig. 8 baseline: {@code aligned} warped from its landmarks to the
   *     model's mean landmarks, {@code [S, S, 3]}
   * @param adjustment the Sec. 7.4 exposure and white balance fitted from {@code aligned} to the
   *     normalized face; {@code adjustment.apply(aligned.image())} is the adjusted crop
   */
  public record Measured(
      Measure measure,
      NormalizedFace face,
      AlignedFace aligned,
      FaceImage frontalized,
      PhotoAdjustment adjustment) {}

  /**
   * The summary numbers.
   *
   * @param photos photos measured
   * @param underThreshold fraction with input → output distance below {@link #THRESHOLD}
   * @param meanDistance mean input → output distance
   * @param frontalizedUnderThreshold the same fraction for the 2-D frontalization baseline
   * @param meanFrontalizedDistance mean input → frontalization distance
   * @param people people with at least two photos (photos without a person, {@code ""}, count as
   *     nobody's)
   * @param inputSpread mean over those people of the mean pairwise distance between their photos
   * @param outputSpread the same between their normalized faces
   * @param frontalizedSpread the same between their 2-D frontalizations
   * @param frontal fraction of normalized faces with |yaw| and |roll| ≤ {@link #FRONTAL_DEGREES}
   * @param meanAbsYaw mean |yaw| of the normalized faces
   * @param meanAbsRoll mean |roll| of the normalized faces
   */
  public record Summary(
      int photos,
      double underThreshold,
      double meanDistance,
      double frontalizedUnderThreshold,
      double meanFrontalizedDistance,
      int people,
      double inputSpread,
      double outputSpread,
      double frontalizedSpread,
      double frontal,
      double meanAbsYaw,
      double meanAbsRoll) {

    /** {@code outputSpread / inputSpread}: below 1 means the outputs of a person agree more. */
    public double spreadRatio() {
      return outputSpread / inputSpread;
    }

    /** {@code frontalizedSpread / inputSpread}: the same for the 2-D frontalization. */
    public double frontalizedSpreadRatio() {
      return frontalizedSpread / inputSpread;
    }

    @Override
    public String toString() {
      String spread =
          people == 0
              ? "no person with 2 photos"
              : String.format(
                  Locale.ROOT,
                  "%d people: output spread %.3f vs input %.3f (ratio %.3f; frontalization %.3f)",
                  people,
                  outputSpread,
                  inputSpread,
                  spreadRatio(),
                  frontalizedSpreadRatio());
      return String.format(
          Locale.ROOT,
          "%d photos: %.1f %% under %.1f (mean distance %.3f; 2-D frontalization %.1f %%, %.3f);"
              + " %s; frontal (|yaw|, |roll| ≤ %.0f°) %.1f %%, mean |yaw| %.2f°, |roll| %.2f°",
          photos,
          100 * underThreshold,
          THRESHOLD,
          meanDistance,
          100 * frontalizedUnderThreshold,
          meanFrontalizedDistance,
          spread,
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
    int frontalizedUnder = 0;
    int frontal = 0;
    double dist = 0;
    double frontalizedDist = 0;
    double yaw = 0;
    double roll = 0;
    Map<String, List<Measure>> byPerson = new LinkedHashMap<>();
    for (Measure m : measures) {
      double d = m.distance();
      dist += d;
      under += d < THRESHOLD ? 1 : 0;
      double f = m.frontalizedDistance();
      frontalizedDist += f;
      frontalizedUnder += f < THRESHOLD ? 1 : 0;
      frontal +=
          Math.abs(m.yaw()) <= FRONTAL_DEGREES && Math.abs(m.roll()) <= FRONTAL_DEGREES ? 1 : 0;
      yaw += Math.abs(m.yaw());
      roll += Math.abs(m.roll());
      if (!m.person().isEmpty()) {
        byPerson.computeIfAbsent(m.person(), k -> new ArrayList<>()).add(m);
      }
    }
    int people = 0;
    double in = 0;
    double out = 0;
    double fr = 0;
    for (List<Measure> ms : byPerson.values()) {
      Spread s = spread(ms);
      if (s == null) {
        continue;
      }
      in += s.input();
      out += s.output();
      fr += s.frontalized();
      people++;
    }
    int n = measures.size();
    return new Summary(
        n,
        (double) under / n,
        dist / n,
        (double) frontalizedUnder / n,
        frontalizedDist / n,
        people,
        people > 0 ? in / people : Double.NaN,
        people > 0 ? out / people : Double.NaN,
        people > 0 ? fr / people : Double.NaN,
        (double) frontal / n,
        yaw / n,
        roll / n);
  }

  /**
   * How far apart one person's photos, normalized faces and frontalizations are: the mean pairwise
   * descriptor distance of each.
   *
   * @param photos the person's photos measured
   * @param input mean pairwise distance of the photos' descriptors
   * @param output the same of the normalized faces
   * @param frontalized the same of the 2-D frontalizations
   */
  public record Spread(int photos, double input, double output, double frontalized) {
    /** {@code output / input}: below 1 means the normalized faces agree more than the photos. */
    public double ratio() {
      return output / input;
    }
  }

  /**
   * The spread of one person's measures.
   *
   * @param measures one person's measures
   * @return the spread, or null for fewer than two measures
   */
  public static Spread spread(List<Measure> measures) {
    if (measures.size() < 2) {
      return null;
    }
    double si = 0;
    double so = 0;
    double sf = 0;
    int n = 0;
    for (int i = 0; i < measures.size(); i++) {
      for (int j = i + 1; j < measures.size(); j++) {
        Measure a = measures.get(i);
        Measure b = measures.get(j);
        si += l2(a.input(), b.input());
        so += l2(a.output(), b.output());
        sf += l2(a.frontalized(), b.frontalized());
        n++;
      }
    }
    return new Spread(measures.size(), si / n, so / n, sf / n);
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

  /**
   * Scores pairs with given descriptors, for ROC curves ({@link RocCurve}).
   *
   * @param pairs the pairs
   * @param descriptors photo → descriptor; pairs with a missing photo are left out
   * @return the scored pairs with their descriptor distance, in input order
   */
  public static List<VerificationResult.ScoredPair> score(
      List<VerificationPair> pairs, Map<PhotoId, float[]> descriptors) {
    List<VerificationResult.ScoredPair> out = new ArrayList<>();
    for (VerificationPair p : pairs) {
      float[] a = descriptors.get(p.first());
      float[] b = descriptors.get(p.second());
      if (a != null && b != null) {
        out.add(new VerificationResult.ScoredPair(p, l2(a, b)));
      }
    }
    return out;
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
