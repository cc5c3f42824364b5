package io.github.facenorm.models.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The summary numbers on made-up 2-D descriptors whose distances are known. */
class NormalizationEvaluationTest {

  private static NormalizationEvaluation.Measure m(
      String person, float[] in, float[] out, float[] fr, double yaw) {
    return new NormalizationEvaluation.Measure(person, person + "/x.jpg", in, out, fr, yaw, 0);
  }

  private static float[] v(double x, double y) {
    return new float[] {(float) x, (float) y};
  }

  @Test
  void summaryCountsDistancesSpreadsAndFrontality() {
    List<NormalizationEvaluation.Measure> ms =
        List.of(
            // A: photos 1.0 apart, outputs 0.5 apart, frontalizations 0.8 apart.
            m("A", v(0, 0), v(0.3, 0), v(0, 0.7), 1),
            m("A", v(1, 0), v(0.8, 0), v(0.8, 0.7), 4),
            // B: photos 0.4 apart, outputs 0.6 apart.
            m("B", v(5, 0), v(5, 0.5), v(5, 0), 0),
            m("B", v(5.4, 0), v(5, 1.1), v(5.4, 0), 0),
            // No person: counts for identity, not for spread.
            m("", v(9, 9), v(9, 10), v(9, 9), 0));
    NormalizationEvaluation.Summary s = NormalizationEvaluation.summarize(ms);
    assertThat(s.photos()).isEqualTo(5);
    // input → output distances: 0.3, 0.2, 0.5, sqrt(0.16 + 1.21), 1.0 → three under 0.6.
    assertThat(s.underThreshold()).isCloseTo(3 / 5.0, within(1e-12));
    assertThat(s.meanDistance()).isCloseTo((2.0 + Math.sqrt(1.37)) / 5, within(1e-6));
    // frontalization distances: 0.7, sqrt(0.04 + 0.49), 0, 0, 0.
    assertThat(s.frontalizedUnderThreshold()).isCloseTo(3 / 5.0, within(1e-12));
    assertThat(s.people()).isEqualTo(2);
    assertThat(s.inputSpread()).isCloseTo((1.0 + 0.4) / 2, within(1e-6));
    assertThat(s.outputSpread()).isCloseTo((0.5 + 0.6) / 2, within(1e-6));
    assertThat(s.frontalizedSpread()).isCloseTo((0.8 + 0.4) / 2, within(1e-6));
    assertThat(s.spreadRatio()).isCloseTo(0.55 / 0.7, within(1e-6));
    assertThat(s.frontal()).isCloseTo(4 / 5.0, within(1e-12));
    assertThat(s.meanAbsYaw()).isCloseTo(1.0, within(1e-12));
    NormalizationEvaluation.Spread a = NormalizationEvaluation.spread(ms.subList(0, 2));
    assertThat(a.ratio()).isCloseTo(0.5, within(1e-6));
    assertThat(NormalizationEvaluation.spread(ms.subList(0, 1))).isNull();
    assertThat(s.toString()).contains("2 people: output spread 0.550 vs input 0.700");
    NormalizationEvaluation.Summary alone = NormalizationEvaluation.summarize(ms.subList(4, 5));
    assertThat(alone.people()).isZero();
    assertThat(alone.toString()).contains("no person with 2 photos").doesNotContain("NaN");
  }

  @Test
  void pairsAreScoredByTheirDescriptorsAndMissingPhotosLeftOut() {
    PhotoId a1 = new PhotoId("A", 1);
    PhotoId a2 = new PhotoId("A", 2);
    PhotoId b1 = new PhotoId("B", 1);
    PhotoId gone = new PhotoId("C", 1);
    List<VerificationPair> pairs =
        List.of(
            new VerificationPair(a1, a2, true),
            new VerificationPair(a1, b1, false),
            new VerificationPair(a1, gone, false));
    Map<PhotoId, float[]> d = Map.of(a1, v(0, 0), a2, v(0.3, 0.4), b1, v(0, 2));
    List<VerificationResult.ScoredPair> s = NormalizationEvaluation.score(pairs, d);
    assertThat(s).hasSize(2);
    assertThat(s.get(0).distance()).isCloseTo(0.5, within(1e-6));
    assertThat(s.get(1).distance()).isCloseTo(2.0, within(1e-6));
    assertThat(NormalizationEvaluation.verify(pairs, d)).containsExactly(1.0, 2.0);
  }

  @Test
  void descriptorsOfDifferentLengthsAreRefused() {
    assertThatThrownBy(() -> m("A", v(0, 0), new float[] {0}, v(0, 0), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("output 1");
  }
}
