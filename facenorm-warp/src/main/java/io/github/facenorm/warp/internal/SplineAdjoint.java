package io.github.facenorm.warp.internal;

/**
 * Reverse-mode derivative of {@code s = interpolate(c, f, q)}: given {@code G = dL/ds}, the
 * gradients with respect to the centers, the values and (optionally) the queries, in double
 * precision.
 *
 * <p>With {@code s(q) = Σ_j phi(|q − c_j|²) w_j + [q, 1] v} and {@code [w; v] = M⁻¹ [f; 0]}:
 *
 * <ul>
 *   <li>through the evaluation: {@code dw_j = Σ_q phi_qj G_q}, {@code dv = Σ_q [q, 1]ᵀ G_q}, {@code
 *       dc_j += Σ_q phi'_qj 2 (c_j − q) (w_j · G_q)}, {@code dq = Σ_j phi'_qj 2 (q − c_j) (w_j ·
 *       G_q) + v_{1..d} G_q};
 *   <li>through the solve ({@code M} symmetric): {@code dR = M⁻¹ [dw; dv]}, {@code df = dR_{1..n}},
 *       {@code dM = −dR Xᵀ}, and {@code dc_i += Σ_j (dM_ij + dM_ji) phi'_ij 2 (c_i − c_j) + dM_{i,
 *       n+a} + dM_{n+a, i}}.
 * </ul>
 *
 * phi' follows TensorFlow's gradient of {@code max(r2, EPS)} ({@link Phi#derivative}).
 */
public final class SplineAdjoint {

  private SplineAdjoint() {}

  /** The gradients; {@code queries} is null when not requested. */
  public record Gradients(double[] centers, double[] values, double[] queries) {}

  /** Where the queries come from: explicit points, or every pixel of an H×W grid in XY order. */
  public interface Queries {
    /** Queries per batch element. */
    int count();

    /**
     * Writes query {@code i} of batch element {@code b} into {@code out[0..d)}.
     *
     * @param b batch element
     * @param i query index
     * @param out destination
     */
    void get(int b, int i, double[] out);
  }

  /**
   * Explicit queries {@code [B, m, d]}.
   *
   * @param q the queries
   * @param m queries per batch element
   * @param d dimension
   * @return the query source
   */
  public static Queries points(double[] q, int m, int d) {
    return new Queries() {
      @Override
      public int count() {
        return m;
      }

      @Override
      public void get(int b, int i, double[] out) {
        System.arraycopy(q, (b * m + i) * d, out, 0, d);
      }
    };
  }

  /**
   * Every pixel of an H×W image, row-major, as (x, y) = (column, row).
   *
   * @param height H
   * @param width W
   * @return the query source
   */
  public static Queries grid(int height, int width) {
    return new Grid(height, width);
  }

  /** The pixel grid; recognised by {@link #backward} to take the fused 2-D kernel. */
  private static final class Grid implements Queries {
    final int height;
    final int width;

    Grid(int height, int width) {
      this.height = height;
      this.width = width;
    }

    @Override
    public int count() {
      return height * width;
    }

    @Override
    public void get(int b, int i, double[] out) {
      out[0] = i % width;
      out[1] = i / width;
    }
  }

  /**
   * Computes the gradients.
   *
   * @param s the fitted splines, fitted with {@code keepFactors}
   * @param queries where s was evaluated
   * @param g {@code dL/ds}, {@code [B, m, k]}
   * @param wantQueries whether to compute {@code dL/dq}
   * @param threads maximum threads
   * @return {@code dL/dc [B, n, d]}, {@code dL/df [B, n, k]}, {@code dL/dq [B, m, d]} or null
   */
  public static Gradients backward(
      FittedSpline s, Queries queries, double[] g, boolean wantQueries, int threads) {
    int batch = s.batch();
    int n = s.centerCount();
    int d = s.dimension();
    int k = s.valueWidth();
    int m = queries.count();
    int size = n + d + 1;
    int order = s.order();
    double[] c = s.centers();
    double[] w = s.weights();
    double[] v = s.affine();
    double[] dc = new double[batch * n * d];
    double[] df = new double[batch * n * k];
    double[] dq = wantQueries ? new double[batch * m * d] : null;
    boolean grid2d = queries instanceof Grid && d == 2 && k == 2 && !wantQueries;
    for (int b = 0; b < batch; b++) {
      final int bb = b;
      double[] acc;
      if (grid2d) {
        Grid grid = (Grid) queries;
        acc = GridAdjoint.evaluationPart(s, bb, grid.height, grid.width, g, threads);
      } else {
        int chunks = Math.max(1, Math.min(threads, m / 256));
        double[][] partial = new double[chunks][];
        Parallel.forRange(
            chunks,
            chunks,
            (from, to) -> {
              for (int chunk = from; chunk < to; chunk++) {
                // [dw (n·k) | dv ((d+1)·k) | dc (n·d)]
                double[] a = new double[n * k + (d + 1) * k + n * d];
                int q0 = (int) ((long) m * chunk / chunks);
                int q1 = (int) ((long) m * (chunk + 1) / chunks);
                evaluationPart(s, queries, g, dq, bb, q0, q1, a, c, w, v, order);
                partial[chunk] = a;
              }
            });
        acc = partial[0];
        for (int p = 1; p < chunks; p++) {
          for (int i = 0; i < acc.length; i++) {
            acc[i] += partial[p][i];
          }
        }
      }
      // dR = M⁻¹ [dw; dv]
      double[] dr = new double[size * k];
      System.arraycopy(acc, 0, dr, 0, size * k);
      s.solveTransposed(b, dr);
      System.arraycopy(dr, 0, df, b * n * k, n * k);
      int cOff = b * n * d;
      System.arraycopy(acc, size * k, dc, cOff, n * d);
      // X = [w; v]; dM = −dR Xᵀ, so dM_ij = −Σ_v dR_iv X_jv
      double[] x = new double[size * k];
      System.arraycopy(w, b * n * k, x, 0, n * k);
      System.arraycopy(v, b * (d + 1) * k, x, n * k, (d + 1) * k);
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          if (i == j) {
            continue;
          }
          double r2 = 0;
          for (int a = 0; a < d; a++) {
            double diff = c[cOff + i * d + a] - c[cOff + j * d + a];
            r2 += diff * diff;
          }
          double dphi = Phi.derivative(order, r2);
          if (dphi == 0) {
            continue;
          }
          double sym = 0;
          for (int t = 0; t < k; t++) {
            sym -= dr[i * k + t] * x[j * k + t] + dr[j * k + t] * x[i * k + t];
          }
          double coef = sym * dphi * 2;
          for (int a = 0; a < d; a++) {
            dc[cOff + i * d + a] += coef * (c[cOff + i * d + a] - c[cOff + j * d + a]);
          }
        }
        for (int a = 0; a < d; a++) {
          double sym = 0;
          for (int t = 0; t < k; t++) {
            sym -= dr[i * k + t] * x[(n + a) * k + t] + dr[(n + a) * k + t] * x[i * k + t];
          }
          dc[cOff + i * d + a] += sym;
        }
      }
    }
    return new Gradients(dc, df, dq);
  }

  private static void evaluationPart(
      FittedSpline s,
      Queries queries,
      double[] g,
      double[] dq,
      int b,
      int q0,
      int q1,
      double[] acc,
      double[] c,
      double[] w,
      double[] v,
      int order) {
    int n = s.centerCount();
    int d = s.dimension();
    int k = s.valueWidth();
    int m = queries.count();
    int dvOff = n * k;
    int dcOff = n * k + (d + 1) * k;
    int cOff = b * n * d;
    int wOff = b * n * k;
    int vOff = b * (d + 1) * k;
    double[] q = new double[d];
    for (int i = q0; i < q1; i++) {
      queries.get(b, i, q);
      int gOff = (b * m + i) * k;
      boolean zero = true;
      for (int t = 0; t < k; t++) {
        zero &= g[gOff + t] == 0;
      }
      if (zero) {
        continue;
      }
      for (int j = 0; j < n; j++) {
        double r2 = 0;
        for (int a = 0; a < d; a++) {
          double diff = q[a] - c[cOff + j * d + a];
          r2 += diff * diff;
        }
        double phi = Phi.apply(order, r2);
        double wg = 0;
        for (int t = 0; t < k; t++) {
          double gt = g[gOff + t];
          acc[j * k + t] += phi * gt;
          wg += w[wOff + j * k + t] * gt;
        }
        double coef = 2 * Phi.derivative(order, r2) * wg;
        if (coef != 0) {
          for (int a = 0; a < d; a++) {
            double diff = q[a] - c[cOff + j * d + a];
            acc[dcOff + j * d + a] -= coef * diff;
            if (dq != null) {
              dq[(b * m + i) * d + a] += coef * diff;
            }
          }
        }
      }
      for (int t = 0; t < k; t++) {
        double gt = g[gOff + t];
        for (int a = 0; a < d; a++) {
          acc[dvOff + a * k + t] += q[a] * gt;
          if (dq != null) {
            dq[(b * m + i) * d + a] += v[vOff + a * k + t] * gt;
          }
        }
        acc[dvOff + d * k + t] += gt;
      }
    }
  }
}
