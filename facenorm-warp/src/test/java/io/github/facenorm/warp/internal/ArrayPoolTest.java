package io.github.facenorm.warp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ArrayPoolTest {

  @BeforeEach
  @AfterEach
  void empty() {
    ArrayPool.clear();
  }

  @Test
  void reusesAnArrayOfTheSameLengthOnly() {
    float[] a = ArrayPool.floats(100, false);
    ArrayPool.give(a);
    assertThat(ArrayPool.idleBytes()).isEqualTo(400);
    assertThat(ArrayPool.floats(99, false)).isNotSameAs(a);
    assertThat(ArrayPool.doubles(100, false)).isNotNull();
    float[] b = ArrayPool.floats(100, false);
    assertThat(b).isSameAs(a);
    assertThat(ArrayPool.idleBytes()).isZero();
  }

  @Test
  void zeroedArraysAreZeroAndOthersKeepWhatWasLeft() {
    double[] a = ArrayPool.doubles(8, false);
    a[3] = 7;
    ArrayPool.give(a);
    double[] b = ArrayPool.doubles(8, false);
    assertThat(b).isSameAs(a);
    assertThat(b[3]).isEqualTo(7);
    ArrayPool.give(b);
    double[] c = ArrayPool.doubles(8, true);
    assertThat(c).isSameAs(a).containsOnly(0.0);
  }

  @Test
  void keepsAtMostTheByteBudgetAndNoHugeArrays() {
    int big = (int) (ArrayPool.MAX_ARRAY_BYTES / 4);
    ArrayPool.give(new float[big + 1]);
    assertThat(ArrayPool.idleBytes()).isZero();
    for (int i = 0; i < 10; i++) {
      ArrayPool.give(new float[big]);
    }
    assertThat(ArrayPool.idleBytes()).isLessThanOrEqualTo(ArrayPool.MAX_BYTES).isPositive();
  }

  @Test
  void anArrayGivenBackTwiceIsRefused() {
    float[] a = ArrayPool.floats(16, false);
    ArrayPool.give(a);
    assertThatThrownBy(() -> ArrayPool.give(a))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("twice");
  }
}
