package io.github.facenorm.warp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The check after the solve notices a solution that misses its own centers, and only then. */
class SolutionCheckTest {

  /** A 2-D order-1 system of 4 centers: {@code [[A, B], [Bᵀ, 0]]}, N = 7. */
  private static double[] system(double[] c) {
    int n = c.length / 2;
    int size = n + 3;
    double[] m = new double[size * size];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double dx = c[2 * i] - c[2 * j];
        double dy = c[2 * i + 1] - c[2 * j + 1];
        m[i * size + j] = Phi.apply(1, dx * dx + dy * dy);
      }
      m[i * size + n] = m[n * size + i] = c[2 * i];
      m[i * size + n + 1] = m[(n + 1) * size + i] = c[2 * i + 1];
      m[i * size + n + 2] = m[(n + 2) * size + i] = 1;
    }
    return m;
  }

  @Test
  void aSolutionThatMissesACenterIsNamed() {
    double[] c = {0, 0, 10, 0, 0, 10, 10, 10};
    double[] values = {1, -2, 3, 0.5};
    double[] m = system(c);
    double[] x = new double[7];
    System.arraycopy(values, 0, x, 0, 4);
    assertThat(LuSolver.solveInPlace(m.clone(), x, 7, 1)).isTrue();
    assertThat(FittedSpline.checkSolution(m, x, values, 0, 7, 4, 1, 10)).isNull();

    // a weight off by 1e-4: the value at every center moves by ~1e-4 · phi ≈ 1e-3 > 1e-6 · 10
    double[] off = x.clone();
    off[2] += 1e-4;
    assertThat(FittedSpline.checkSolution(m, off, values, 0, 7, 4, 1, 10))
        .contains("misses its own value at center")
        .contains("allowed 1e-05");
    // within the tolerance: an error of 1e-9 in a weight passes
    double[] close = x.clone();
    close[2] += 1e-9;
    assertThat(FittedSpline.checkSolution(m, close, values, 0, 7, 4, 1, 10)).isNull();
    // a non-finite solution fails too
    double[] nan = x.clone();
    nan[0] = Double.NaN;
    assertThat(FittedSpline.checkSolution(m, nan, values, 0, 7, 4, 1, 10)).isNotNull();
  }
}
