package io.github.facenorm.augment.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link GridSolver}: the three-channel loops against the general one-channel loops. */
class GridSolverTest {

  /**
   * Three interleaved channels take the branch-free interior-row loops; one channel takes the
   * general loops with explicit borders. Each channel's arithmetic is the same sequence, so the
   * solutions must agree bit for bit (a wrong neighbour offset or border weight would not).
   */
  @ParameterizedTest
  @CsvSource({"3, 3, 1", "17, 9, 2", "64, 48, 3", "130, 127, 4"})
  void threeChannelsEqualThreeSingleChannelSolvesBitForBit(int w, int h, long seed) {
    Random r = new Random(seed);
    int n = w * h;
    double[] d = new double[n];
    for (int i = 0; i < n; i++) {
      d[i] = r.nextInt(3) == 0 ? 0 : r.nextDouble();
    }
    d[n / 2] = 1;
    GridSolver solver = new GridSolver(w, h, d);
    double[] b = new double[3 * n];
    double[] x0 = new double[3 * n];
    for (int i = 0; i < b.length; i++) {
      b[i] = r.nextGaussian();
      x0[i] = r.nextDouble();
    }
    double[] x = x0.clone();
    int[] its = new int[3];
    solver.solve(b, x, 3, 1e-8, 300, its);
    for (int q = 0; q < 3; q++) {
      double[] bq = new double[n];
      double[] xq = new double[n];
      for (int i = 0; i < n; i++) {
        bq[i] = b[3 * i + q];
        xq[i] = x0[3 * i + q];
      }
      int it = solver.solve(bq, xq, 1e-8, 300);
      assertThat(it).as("iterations, channel %d", q).isEqualTo(its[q]);
      for (int i = 0; i < n; i++) {
        assertThat(x[3 * i + q]).as("pixel %d channel %d", i, q).isEqualTo(xq[i]);
      }
    }
  }
}
