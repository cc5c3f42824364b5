package io.github.facenorm.warp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link LuSolver}: solutions with pivoting, and the two-column path against the general one. */
class LuSolverTest {

  @Test
  void twoRightHandSidesGiveTheBitsOfTheGeneralPathAndSolveTheSystem() {
    SplittableRandom r = new SplittableRandom(2);
    for (int n : new int[] {1, 2, 5, 17, 79}) {
      double[] m = new double[n * n];
      for (int i = 0; i < m.length; i++) {
        m[i] = r.nextDouble(-1, 1);
      }
      if (n > 1) {
        m[0] = 0; // the first pivot must come from another row
      }
      double[] b2 = new double[n * 2];
      double[] b3 = new double[n * 3];
      for (int i = 0; i < n; i++) {
        b2[2 * i] = b3[3 * i] = r.nextDouble(-5, 5);
        b2[2 * i + 1] = b3[3 * i + 1] = r.nextDouble(-5, 5);
        b3[3 * i + 2] = 1;
      }
      double[] x2 = b2.clone();
      double[] x3 = b3.clone();
      assertThat(LuSolver.factor(m.clone(), n).solve(x2, 2)).isTrue();
      assertThat(LuSolver.factor(m.clone(), n).solve(x3, 3)).isTrue();
      for (int i = 0; i < n; i++) {
        assertThat(x2[2 * i]).isEqualTo(x3[3 * i]);
        assertThat(x2[2 * i + 1]).isEqualTo(x3[3 * i + 1]);
      }
      // and it is the solution: M x = b
      for (int i = 0; i < n; i++) {
        for (int v = 0; v < 2; v++) {
          double s = 0;
          for (int j = 0; j < n; j++) {
            s += m[i * n + j] * x2[2 * j + v];
          }
          assertThat(s).as("n %d row %d column %d", n, i, v).isCloseTo(b2[2 * i + v], within(1e-8));
        }
      }
    }
  }

  @Test
  void aZeroPivotIsReported() {
    assertThat(LuSolver.factor(new double[] {1, 2, 2, 4}, 2)).isNull();
  }
}
