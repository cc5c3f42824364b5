package io.github.facenorm.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SmileModelTest {

  @Test
  void javaFeaturesGiveTheGeneratorsScores() {
    // A feature out of order, a sign flipped or an axis swapped moves these far beyond 1e-9.
    for (int c = 0; c < 2; c++) {
      assertThat(SmileModel.score(SmileModel.RECORDED_LANDMARKS[c]))
          .isCloseTo(SmileModel.RECORDED_SCORES[c], within(1e-9));
    }
    assertThat(SmileModel.RECORDED_SCORES[0]).isLessThan(SmileModel.TUNED_THRESHOLD);
    assertThat(SmileModel.RECORDED_SCORES[1]).isGreaterThan(SmileModel.TUNED_THRESHOLD);
  }

  @Test
  void scoreIgnoresPlacementRotationAndScale() {
    double[] xy = SmileModel.RECORDED_LANDMARKS[1];
    double a = Math.toRadians(17);
    double k = 1.7;
    double[] moved = new double[xy.length];
    for (int i = 0; i < 68; i++) {
      double x = xy[2 * i];
      double y = xy[2 * i + 1];
      moved[2 * i] = k * (Math.cos(a) * x - Math.sin(a) * y) + 31;
      moved[2 * i + 1] = k * (Math.sin(a) * x + Math.cos(a) * y) - 12;
    }
    assertThat(SmileModel.score(moved)).isCloseTo(SmileModel.score(xy), within(1e-9));
  }

  @Test
  void liftingTheMouthCornersRaisesTheScore() {
    double[] xy = SmileModel.RECORDED_LANDMARKS[0].clone();
    double before = SmileModel.score(xy);
    double iod = Math.abs(xy[2 * 45] - xy[2 * 36]) * 0.8;
    xy[2 * 48 + 1] -= 0.06 * iod; // image y points down: corners up
    xy[2 * 54 + 1] -= 0.06 * iod;
    assertThat(SmileModel.score(xy)).isGreaterThan(before + 0.2);
  }

  @Test
  void coincidentEyesAreRejected() {
    double[] xy = new double[136];
    assertThatThrownBy(() -> SmileModel.score(xy))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("eye centres");
    assertThatThrownBy(() -> SmileModel.score(new double[10]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("136");
  }
}
