package io.github.facenorm.benchmarks;

import io.github.facenorm.warp.internal.Phi;

/**
 * The spline inputs the warp builds from a {@link Workloads.Warp}, as plain arrays: centers = dest
 * points + TFA's 8 boundary points ({@code boundaryPoints(2)}, zero flow), values = dest − source,
 * and the {@code (N + 3) × (N + 3)} system {@code [[phi(|c_i − c_j|²), c_i, 1], [c_jᵀ, 1, 0]]}
 * exactly as {@code FittedSpline} assembles it (double precision, pixel-scale XY points).
 */
final class SplineSystems {

  /** Boundary points added per image: TFA's {@code num_boundary_points=2}, a 3×3 border grid. */
  static final int BOUNDARY = 8;

  private SplineSystems() {}

  /**
   * Centers {@code [B, n + 8, 2]} (XY): each batch element's dest points, then the boundary points.
   */
  static double[] centers(Workloads.Warp w) {
    long[] s = w.dest().shape();
    int batch = (int) s[0];
    int n = (int) s[1];
    int h = (int) w.image().size(1);
    int wd = (int) w.image().size(2);
    double[] dst = w.dest().data().asDouble();
    double[] border = boundaryXy(h, wd);
    int total = n + BOUNDARY;
    double[] c = new double[batch * total * 2];
    for (int b = 0; b < batch; b++) {
      System.arraycopy(dst, b * n * 2, c, b * total * 2, n * 2);
      System.arraycopy(border, 0, c, (b * total + n) * 2, BOUNDARY * 2);
    }
    return c;
  }

  /** Values {@code [B, n + 8, 2]}: dest − source, zero at the boundary points. */
  static double[] values(Workloads.Warp w) {
    long[] s = w.dest().shape();
    int batch = (int) s[0];
    int n = (int) s[1];
    double[] src = w.source().data().asDouble();
    double[] dst = w.dest().data().asDouble();
    int total = n + BOUNDARY;
    double[] v = new double[batch * total * 2];
    for (int b = 0; b < batch; b++) {
      for (int i = 0; i < n * 2; i++) {
        v[b * total * 2 + i] = dst[b * n * 2 + i] - src[b * n * 2 + i];
      }
    }
    return v;
  }

  /**
   * TFA {@code _get_boundary_locations(H, W, 1)} in XY order: the border of the 3×3 grid {@code
   * linspace(0, H − 1, 3) × linspace(0, W − 1, 3)}, row-major.
   */
  static double[] boundaryXy(int height, int width) {
    double[] ys = {0, 0.5 * (height - 1), height - 1};
    double[] xs = {0, 0.5 * (width - 1), width - 1};
    double[] out = new double[BOUNDARY * 2];
    int k = 0;
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        if (i != 1 || j != 1) {
          out[k++] = xs[j];
          out[k++] = ys[i];
        }
      }
    }
    return out;
  }

  /**
   * The system matrix of batch element {@code b}, row-major {@code [N + 3, N + 3]}.
   *
   * @param centers {@code [B, N, 2]}
   * @param b batch element
   * @param count N
   * @param order spline order
   * @return a fresh array
   */
  static double[] matrix(double[] centers, int b, int count, int order) {
    int size = count + 3;
    double[] m = new double[size * size];
    int off = b * count * 2;
    for (int i = 0; i < count; i++) {
      double xi = centers[off + 2 * i];
      double yi = centers[off + 2 * i + 1];
      for (int j = i; j < count; j++) {
        double dx = xi - centers[off + 2 * j];
        double dy = yi - centers[off + 2 * j + 1];
        double p = Phi.apply(order, dx * dx + dy * dy);
        m[i * size + j] = p;
        m[j * size + i] = p;
      }
      m[i * size + count] = xi;
      m[count * size + i] = xi;
      m[i * size + count + 1] = yi;
      m[(count + 1) * size + i] = yi;
      m[i * size + count + 2] = 1;
      m[(count + 2) * size + i] = 1;
    }
    return m;
  }

  /** The right-hand side of batch element {@code b}: its values, then three zero rows. */
  static double[] rhs(double[] values, int b, int count) {
    double[] r = new double[(count + 3) * 2];
    System.arraycopy(values, b * count * 2, r, 0, count * 2);
    return r;
  }

  /**
   * The backward-error residual {@code max|M x − r| / (max_i Σ_j |M_ij| · max|x| + max|r|)}: about
   * 1e-16 for a backward-stable solve, whatever the condition number.
   */
  static double relativeResidual(double[] m, double[] x, double[] r, int size, int k) {
    double worst = 0;
    double normM = 0;
    double normX = 0;
    double normR = 0;
    for (int i = 0; i < size; i++) {
      double rowSum = 0;
      for (int j = 0; j < size; j++) {
        rowSum += Math.abs(m[i * size + j]);
      }
      normM = Math.max(normM, rowSum);
      for (int c = 0; c < k; c++) {
        double s = -r[i * k + c];
        for (int j = 0; j < size; j++) {
          s += m[i * size + j] * x[j * k + c];
        }
        worst = Math.max(worst, Math.abs(s));
        normX = Math.max(normX, Math.abs(x[i * k + c]));
        normR = Math.max(normR, Math.abs(r[i * k + c]));
      }
    }
    return worst / (normM * normX + normR);
  }
}
