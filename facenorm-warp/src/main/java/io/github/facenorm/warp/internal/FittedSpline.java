package io.github.facenorm.warp.internal;

import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * A batch of solved polyharmonic splines: for each batch element {@code b}, {@code f(q) = Σ_j
 * phi(|q − c_j|²) w_j + [q, 1] v}, all in double precision.
 *
 * <p>Layouts, all row-major: centers {@code [B, n, d]}, weights {@code [B, n, k]}, affine {@code
 * [B, d + 1, k]} (the rows for the d coordinates, then the constant).
 */
public final class FittedSpline {

  private final int batch;
  private final int n;
  private final int d;
  private final int k;
  private final int order;
  private final double[] centers;
  private final double[] weights;
  private final double[] affine;
  private final double regularization;
  private final LuSolver[] factors;

  private FittedSpline(
      int batch,
      int n,
      int d,
      int k,
      int order,
      double regularization,
      double[] centers,
      double[] weights,
      double[] affine,
      LuSolver[] factors) {
    this.batch = batch;
    this.n = n;
    this.d = d;
    this.k = k;
    this.order = order;
    this.centers = centers;
    this.weights = weights;
    this.affine = affine;
    this.regularization = regularization;
    this.factors = factors;
  }

  /**
   * Solves {@code [[A + λI, B], [Bᵀ, 0]] [w; v] = [f; 0]} for every batch element, with {@code A =
   * phi(|c_i − c_j|²)} and {@code B = [c, 1]}; λI is added only when λ > 0.
   *
   * @param centers {@code [B, n, d]}
   * @param values {@code [B, n, k]}
   * @param batch B
   * @param n number of centers
   * @param d dimension
   * @param k value width
   * @param order spline order
   * @param regularization λ ≥ 0
   * @param threads maximum threads
   * @param describe names center {@code j} of a batch element for error messages
   * @return the fitted splines
   * @throws IllegalArgumentException if a system is singular, naming the batch element and the
   *     coinciding centers where that is the cause
   */
  public static FittedSpline fit(
      double[] centers,
      double[] values,
      int batch,
      int n,
      int d,
      int k,
      int order,
      double regularization,
      int threads,
      IntFunction<String> describe) {
    return fit(centers, values, batch, n, d, k, order, regularization, threads, describe, false);
  }

  /**
   * As {@link #fit(double[], double[], int, int, int, int, int, double, int, IntFunction)}, and
   * keeps the LU factors of each system for {@link #solveTransposed} when {@code keepFactors}.
   *
   * @param centers {@code [B, n, d]}
   * @param values {@code [B, n, k]}
   * @param batch B
   * @param n number of centers
   * @param d dimension
   * @param k value width
   * @param order spline order
   * @param regularization λ ≥ 0
   * @param threads maximum threads
   * @param describe names center {@code j} of a batch element for error messages
   * @param keepFactors whether to keep the factors (memory {@code B (n + d + 1)²} doubles)
   * @return the fitted splines
   */
  public static FittedSpline fit(
      double[] centers,
      double[] values,
      int batch,
      int n,
      int d,
      int k,
      int order,
      double regularization,
      int threads,
      IntFunction<String> describe,
      boolean keepFactors) {
    int size = n + d + 1;
    LuSolver[] factors = keepFactors ? new LuSolver[batch] : null;
    double[] weights = new double[batch * n * k];
    double[] affine = new double[batch * (d + 1) * k];
    Parallel.forRange(
        batch,
        threads,
        (from, to) -> {
          double[] r = new double[size * k];
          double[] m = keepFactors ? null : new double[size * size];
          for (int b = from; b < to; b++) {
            if (keepFactors) {
              m = new double[size * size];
            }
            int cOff = b * n * d;
            if (regularization == 0) {
              checkDistinct(centers, cOff, n, d, b, describe);
            }
            checkAffinelyIndependent(centers, cOff, n, d, b);
            Arrays.fill(m, 0);
            Arrays.fill(r, 0);
            for (int i = 0; i < n; i++) {
              for (int j = i; j < n; j++) {
                double r2 = 0;
                for (int a = 0; a < d; a++) {
                  double diff = centers[cOff + i * d + a] - centers[cOff + j * d + a];
                  r2 += diff * diff;
                }
                double p = Phi.apply(order, r2);
                m[i * size + j] = p;
                m[j * size + i] = p;
              }
              if (regularization > 0) {
                m[i * size + i] += regularization;
              }
              for (int a = 0; a < d; a++) {
                double c = centers[cOff + i * d + a];
                m[i * size + n + a] = c;
                m[(n + a) * size + i] = c;
              }
              m[i * size + n + d] = 1;
              m[(n + d) * size + i] = 1;
              System.arraycopy(values, (b * n + i) * k, r, i * k, k);
            }
            LuSolver lu = LuSolver.factor(m, size);
            if (keepFactors) {
              factors[b] = lu;
            }
            if (lu == null || !lu.solve(r, k)) {
              throw new IllegalArgumentException(
                  "the spline system of batch element "
                      + b
                      + " is numerically singular (a zero pivot or a non-finite solution) for "
                      + n
                      + " centers in "
                      + d
                      + "-D; nearly coinciding centers or extreme coordinates are the usual"
                      + " cause");
            }
            System.arraycopy(r, 0, weights, b * n * k, n * k);
            System.arraycopy(r, n * k, affine, b * (d + 1) * k, (d + 1) * k);
          }
        });
    return new FittedSpline(
        batch, n, d, k, order, regularization, centers.clone(), weights, affine, factors);
  }

  /**
   * Throws unless the centers span all d dimensions ({@code [c, 1]} has rank d + 1): otherwise the
   * affine block makes the system singular whatever the RBF part.
   */
  private static void checkAffinelyIndependent(double[] c, int off, int n, int d, int b) {
    double[][] cols = new double[d][n];
    double scale = 0;
    for (int a = 0; a < d; a++) {
      double mean = 0;
      for (int i = 0; i < n; i++) {
        mean += c[off + i * d + a];
      }
      mean /= n;
      double norm2 = 0;
      for (int i = 0; i < n; i++) {
        double v = c[off + i * d + a] - mean;
        cols[a][i] = v;
        norm2 += v * v;
      }
      scale = Math.max(scale, Math.sqrt(norm2));
    }
    // modified Gram-Schmidt on the centred coordinate columns
    for (int a = 0; a < d; a++) {
      for (int p = 0; p < a; p++) {
        double dot = 0;
        for (int i = 0; i < n; i++) {
          dot += cols[a][i] * cols[p][i];
        }
        for (int i = 0; i < n; i++) {
          cols[a][i] -= dot * cols[p][i];
        }
      }
      double norm2 = 0;
      for (int i = 0; i < n; i++) {
        norm2 += cols[a][i] * cols[a][i];
      }
      double norm = Math.sqrt(norm2);
      if (!(norm > 1e-9 * scale)) {
        throw new IllegalArgumentException(
            "batch element "
                + b
                + ": the "
                + n
                + " centers do not span "
                + d
                + "-D space (they are "
                + (d == 2 ? "collinear" : d == 1 ? "all equal" : "on a lower-dimensional plane")
                + "), so the spline's affine part is undetermined; a "
                + d
                + "-D spline needs "
                + (d + 1)
                + " affinely independent points");
      }
      for (int i = 0; i < n; i++) {
        cols[a][i] /= norm;
      }
    }
  }

  private static void checkDistinct(
      double[] c, int off, int n, int d, int b, IntFunction<String> describe) {
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        boolean same = true;
        for (int a = 0; a < d && same; a++) {
          same = c[off + i * d + a] == c[off + j * d + a];
        }
        if (same) {
          StringBuilder at = new StringBuilder("(");
          for (int a = 0; a < d; a++) {
            at.append(a == 0 ? "" : ", ").append(c[off + i * d + a]);
          }
          throw new IllegalArgumentException(
              "batch element "
                  + b
                  + ": "
                  + describe.apply(i)
                  + " and "
                  + describe.apply(j)
                  + " coincide at "
                  + at
                  + "), which makes the spline system singular with regularization 0; remove"
                  + " one or use regularization > 0");
        }
      }
    }
  }

  /**
   * Evaluates every batch element's spline at its own queries.
   *
   * @param queries {@code [B, m, d]}
   * @param m queries per batch element
   * @param threads maximum threads
   * @return {@code [B, m, k]}
   */
  public double[] evaluate(double[] queries, int m, int threads) {
    double[] out = new double[batch * m * k];
    int blocks = (m + BLOCK - 1) / BLOCK;
    Parallel.forRange(
        batch * blocks,
        threads,
        (from, to) -> {
          double[][] q = new double[d][BLOCK];
          double[][] acc = new double[k][BLOCK];
          double[] phi = new double[BLOCK];
          for (int task = from; task < to; task++) {
            int b = task / blocks;
            int q0 = (task - b * blocks) * BLOCK;
            int len = Math.min(BLOCK, m - q0);
            evaluateBlock(queries, m, b, q0, len, q, acc, phi, out);
          }
        });
    return out;
  }

  /** Queries per block: the inner loops run over a block, so they vectorize. */
  private static final int BLOCK = 256;

  private void evaluateBlock(
      double[] queries,
      int m,
      int b,
      int q0,
      int len,
      double[][] q,
      double[][] acc,
      double[] phi,
      double[] out) {
    for (int i = 0; i < len; i++) {
      for (int a = 0; a < d; a++) {
        q[a][i] = queries[((b * m) + q0 + i) * d + a];
      }
    }
    for (double[] row : acc) {
      Arrays.fill(row, 0, len, 0);
    }
    int cOff = b * n * d;
    int wOff = b * n * k;
    for (int j = 0; j < n; j++) {
      Arrays.fill(phi, 0, len, 0);
      for (int a = 0; a < d; a++) {
        double c = centers[cOff + j * d + a];
        double[] qa = q[a];
        for (int i = 0; i < len; i++) {
          double diff = qa[i] - c;
          phi[i] += diff * diff;
        }
      }
      Phi.applyInPlace(order, phi, len);
      for (int v = 0; v < k; v++) {
        double w = weights[wOff + j * k + v];
        double[] av = acc[v];
        for (int i = 0; i < len; i++) {
          av[i] += phi[i] * w;
        }
      }
    }
    int aOff = b * (d + 1) * k;
    for (int v = 0; v < k; v++) {
      for (int i = 0; i < len; i++) {
        double s = acc[v][i] + affine[aOff + d * k + v];
        for (int a = 0; a < d; a++) {
          s += q[a][i] * affine[aOff + a * k + v];
        }
        out[((b * m) + q0 + i) * k + v] = s;
      }
    }
  }

  /**
   * Solves {@code Mᵀ Y = R} for batch element b with the kept factors; M is symmetric, so this is
   * {@code M⁻¹ R}: the adjoint of the fit.
   *
   * @param b batch element
   * @param r {@code [n + d + 1, k]}, overwritten by the solution
   */
  public void solveTransposed(int b, double[] r) {
    if (factors == null) {
      throw new IllegalStateException("fit(..., keepFactors = true) is needed for the adjoint");
    }
    factors[b].solve(r, k);
  }

  /** The regularization λ the splines were fitted with. */
  public double regularization() {
    return regularization;
  }

  /** Batch size B. */
  public int batch() {
    return batch;
  }

  /** Number of centers n. */
  public int centerCount() {
    return n;
  }

  /** Dimension d. */
  public int dimension() {
    return d;
  }

  /** Value width k. */
  public int valueWidth() {
    return k;
  }

  /** Spline order. */
  public int order() {
    return order;
  }

  /** The centers {@code [B, n, d]} (shared, do not modify). */
  public double[] centers() {
    return centers;
  }

  /** The RBF weights {@code [B, n, k]} (shared, do not modify). */
  public double[] weights() {
    return weights;
  }

  /** The affine part {@code [B, d + 1, k]} (shared, do not modify). */
  public double[] affine() {
    return affine;
  }
}
