package io.github.facenorm.warp.internal;

/**
 * The evaluation part of {@link SplineAdjoint} for the warp's case — 2-D centers, 2-D values,
 * queries = every pixel — as a fused row kernel: per row and center, loops over x with no
 * reductions (each center keeps per-column accumulators, summed once at the end), so C2 vectorizes
 * them. Same results as the generic loop up to summation order.
 */
final class GridAdjoint {

  private GridAdjoint() {}

  /**
   * Accumulates, for batch element b, {@code [dw (n·2) | dv (3·2) | dc (n·2)]} from {@code g =
   * dL/dflow} on the grid.
   */
  static double[] evaluationPart(
      FittedSpline s, int b, int height, int width, double[] g, int threads) {
    int n = s.centerCount();
    int order = s.order();
    double[] c = s.centers();
    double[] w = s.weights();
    int parts = Math.max(1, Math.min(threads, height / 8));
    double[][] partial = new double[parts][];
    Parallel.forRange(
        parts,
        parts,
        (p0, p1) -> {
          for (int part = p0; part < p1; part++) {
            int y0 = (int) ((long) height * part / parts);
            int y1 = (int) ((long) height * (part + 1) / parts);
            partial[part] =
                WarpKernels.get().gridAdjointRows(c, w, b, n, order, height, width, g, y0, y1);
          }
        });
    double[] acc = partial[0];
    for (int p = 1; p < parts; p++) {
      for (int i = 0; i < acc.length; i++) {
        acc[i] += partial[p][i];
      }
    }
    return acc;
  }

  /**
   * The scalar rows y0..y1 of {@link #evaluationPart} (see {@link WarpKernels#gridAdjointRows}).
   */
  static double[] rows(
      double[] c,
      double[] w,
      int b,
      int n,
      int order,
      int height,
      int width,
      double[] g,
      int y0,
      int y1) {
    // per center, per column: Σ_y phi gx, Σ phi gy, Σ coef dx, Σ coef dy
    double[] sumPhiGx = new double[n * width];
    double[] sumPhiGy = new double[n * width];
    double[] sumCoefDx = new double[n * width];
    double[] sumCoefDy = new double[n * width];
    double[] xs = new double[width];
    for (int x = 0; x < width; x++) {
      xs[x] = x;
    }
    double[] gx = new double[width];
    double[] gy = new double[width];
    double[] phi = new double[width];
    double[] dphi = new double[width];
    double[] dv = new double[6];
    int cOff = b * n * 2;
    for (int y = y0; y < y1; y++) {
      int row = (b * height + y) * width;
      boolean any = false;
      for (int x = 0; x < width; x++) {
        gx[x] = g[2 * (row + x)];
        gy[x] = g[2 * (row + x) + 1];
        any |= gx[x] != 0 || gy[x] != 0;
      }
      if (!any) {
        continue;
      }
      for (int x = 0; x < width; x++) {
        dv[0] += x * gx[x];
        dv[1] += x * gy[x];
        dv[2] += y * gx[x];
        dv[3] += y * gy[x];
        dv[4] += gx[x];
        dv[5] += gy[x];
      }
      for (int j = 0; j < n; j++) {
        double cx = c[cOff + 2 * j];
        double dy = y - c[cOff + 2 * j + 1];
        double dy2 = dy * dy;
        double wx = w[cOff + 2 * j];
        double wy = w[cOff + 2 * j + 1];
        int a = j * width;
        if (order == 1 && dy2 >= Phi.EPS) {
          // every r2 ≥ dy2 ≥ EPS, so no clamping: phi = r, 2 phi' = 1 / r, one fused loop
          for (int x = 0; x < width; x++) {
            double dx = xs[x] - cx;
            double r = Math.sqrt(dx * dx + dy2);
            double coef = (wx * gx[x] + wy * gy[x]) / r;
            sumPhiGx[a + x] += r * gx[x];
            sumPhiGy[a + x] += r * gy[x];
            sumCoefDx[a + x] += coef * dx;
            sumCoefDy[a + x] += coef * dy;
          }
          continue;
        }
        phiRow(order, xs, cx, dy2, width, phi, dphi);
        for (int x = 0; x < width; x++) {
          double p = phi[x];
          double dx = xs[x] - cx;
          double coef = 2 * dphi[x] * (wx * gx[x] + wy * gy[x]);
          sumPhiGx[a + x] += p * gx[x];
          sumPhiGy[a + x] += p * gy[x];
          sumCoefDx[a + x] += coef * dx;
          sumCoefDy[a + x] += coef * dy;
        }
      }
    }
    double[] acc = new double[n * 2 + 6 + n * 2];
    for (int j = 0; j < n; j++) {
      double ax = 0;
      double ay = 0;
      double cxs = 0;
      double cys = 0;
      int a = j * width;
      for (int x = 0; x < width; x++) {
        ax += sumPhiGx[a + x];
        ay += sumPhiGy[a + x];
        cxs += sumCoefDx[a + x];
        cys += sumCoefDy[a + x];
      }
      acc[2 * j] = ax;
      acc[2 * j + 1] = ay;
      // dc_j = −Σ coef (q − c_j)
      acc[n * 2 + 6 + 2 * j] = -cxs;
      acc[n * 2 + 6 + 2 * j + 1] = -cys;
    }
    // dv rows: x, y, 1; columns: value components (dx, dy)
    System.arraycopy(dv, 0, acc, n * 2, 6);
    return acc;
  }

  /** phi and d phi / d r2 along one row, r2 = (x − cx)² + dy2. */
  private static void phiRow(
      int order, double[] xs, double cx, double dy2, int width, double[] phi, double[] dphi) {
    for (int x = 0; x < width; x++) {
      double dx = xs[x] - cx;
      double r2 = dx * dx + dy2;
      phi[x] = Phi.apply(order, r2);
      dphi[x] = Phi.derivative(order, r2);
    }
  }
}
