package io.github.facenorm.models.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Bin edges, the overflow bin and the fraction under the threshold, counted by hand. */
class DistanceHistogramTest {

  @Test
  void valuesLandInTheirBinsAndTheLastBinTakesTheRest() {
    DistanceHistogram h =
        DistanceHistogram.of(new double[] {0.0, 0.09, 0.1, 0.55, 0.6, 0.61, 3.0}, 0.1, 8, 0.6);
    //                     bin:              0     0    1     5    6     6    7 (overflow)
    assertThat(h.counts()).containsExactly(2, 1, 0, 0, 0, 1, 2, 1);
    assertThat(h.total()).isEqualTo(7);
    // 0.6 itself is not under 0.6 (same-person means strictly below).
    assertThat(h.underThreshold()).isEqualTo(4.0 / 7);
    assertThat(h.lower(6)).isCloseTo(0.6, org.assertj.core.api.Assertions.within(1e-12));
  }

  @Test
  void badInputsAreRefused() {
    assertThatThrownBy(() -> DistanceHistogram.of(new double[0], 0.1, 8, 0.6))
        .hasMessageContaining("at least one");
    assertThatThrownBy(() -> DistanceHistogram.of(new double[] {-0.1}, 0.1, 8, 0.6))
        .hasMessageContaining("index 0");
    assertThatThrownBy(() -> DistanceHistogram.of(new double[] {0.1}, 0, 8, 0.6))
        .hasMessageContaining("binWidth");
    assertThatThrownBy(() -> DistanceHistogram.of(new double[] {0.1}, 0.1, 0, 0.6))
        .hasMessageContaining("bins");
  }
}
