package io.github.facenorm.models.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** ROC points and areas on hand-computed cases; small distance means the same person. */
class RocCurveTest {

  @Test
  void separatedDistancesGiveAreaOneAndReversedGiveZero() {
    RocCurve good =
        RocCurve.of(new double[] {0.2, 0.3, 0.7, 0.9}, new boolean[] {true, true, false, false});
    assertThat(good.auc()).isEqualTo(1.0);
    // A sign error (large distance = same) would flip this to 0.
    RocCurve bad =
        RocCurve.of(new double[] {0.2, 0.3, 0.7, 0.9}, new boolean[] {false, false, true, true});
    assertThat(bad.auc()).isEqualTo(0.0);
    assertThat(good.points().get(0)).isEqualTo(new RocCurve.Point(0, 0, 0));
    RocCurve.Point last = good.points().get(good.points().size() - 1);
    assertThat(last.falsePositiveRate()).isEqualTo(1.0);
    assertThat(last.truePositiveRate()).isEqualTo(1.0);
  }

  @Test
  void pointsFollowTheThresholdAndTiesCountHalf() {
    // same: 0.1, 0.5; different: 0.5, 0.8. Pairs (s, d) with s < d: (0.1,0.5), (0.1,0.8),
    // (0.5,0.8) = 3, the tie (0.5,0.5) = 0.5: AUC = 3.5 / 4.
    RocCurve r =
        RocCurve.of(new double[] {0.5, 0.1, 0.8, 0.5}, new boolean[] {true, true, false, false});
    assertThat(r.auc()).isCloseTo(0.875, within(1e-12));
    assertThat(r.samePairs()).isEqualTo(2);
    assertThat(r.differentPairs()).isEqualTo(2);
    assertThat(r.points())
        .extracting(RocCurve.Point::falsePositiveRate, RocCurve.Point::truePositiveRate)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(0.0, 0.0),
            org.assertj.core.groups.Tuple.tuple(0.0, 0.5),
            org.assertj.core.groups.Tuple.tuple(0.5, 1.0),
            org.assertj.core.groups.Tuple.tuple(1.0, 1.0));
    // Thresholds sit between consecutive distinct distances: below 0.3 only 0.1 is called same.
    assertThat(r.points().get(1).threshold()).isCloseTo(0.3, within(1e-12));
    assertThat(r.points().get(2).threshold()).isCloseTo(0.65, within(1e-12));
    assertThat(r.points().get(3).threshold()).isGreaterThan(0.8);
  }

  @Test
  void aRocOfScoredPairsMatchesTheAccuracyAtItsThresholds() {
    PhotoId a = new PhotoId("A", 1);
    PhotoId b = new PhotoId("A", 2);
    PhotoId c = new PhotoId("C", 1);
    List<VerificationResult.ScoredPair> scored =
        List.of(
            new VerificationResult.ScoredPair(new VerificationPair(a, b, true), 0.4),
            new VerificationResult.ScoredPair(new VerificationPair(a, c, false), 0.55),
            new VerificationResult.ScoredPair(new VerificationPair(b, c, false), 0.9));
    RocCurve r = RocCurve.of(scored);
    double[] d = {0.4, 0.55, 0.9};
    boolean[] same = {true, false, false};
    for (RocCurve.Point p : r.points()) {
      double acc = PairVerification.accuracy(d, same, p.threshold());
      double expected = (p.truePositiveRate() * 1 + (1 - p.falsePositiveRate()) * 2) / 3;
      assertThat(acc).isCloseTo(expected, within(1e-12));
    }
  }

  @Test
  void aMissingClassOrABadDistanceIsRefused() {
    assertThatThrownBy(() -> RocCurve.of(new double[] {0.1, 0.2}, new boolean[] {true, true}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2 same and 0 different");
    assertThatThrownBy(
            () -> RocCurve.of(new double[] {0.1, Double.NaN}, new boolean[] {true, false}))
        .hasMessageContaining("finite")
        .hasMessageContaining("index 1");
    assertThatThrownBy(() -> RocCurve.of(new double[] {0.1}, new boolean[] {true, false}))
        .hasMessageContaining("equal lengths");
  }
}
