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
    SplineLimits.order(order, "order");
    int size = n + d + 1;
    LuSolver[] factors = keepFactors ? new LuSolver[batch] : null;
    double[] weights = new double[batch * n * k];
    double[] affine = new double[batch * (d + 1) * k];
    WarpKernels kernels = WarpKernels.get();
    Parallel.forRange(
        batch,
        threads,
        (from, to) -> {
          double[] r = new double[size * k];
          double[] m = keepFactors ? null : new double[size * size];
          double[] system = new double[size * size];
          double[] phiRow = new double[n];
          for (int b = from; b < to; b++) {
            if (keepFactors) {
              m = new double[size * size];
            }
            int cOff = b * n * d;
            if (regularization < MIN_SEPARATION * basisScale(order, centers, cOff, n, d)) {
              checkDistinct(centers, cOff, n, d, b, regularization, describe);
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
                phiRow[j] = r2;
              }
              kernels.phiInPlace(order, phiRow, i, n);
              for (int j = i; j < n; j++) {
                double p = phiRow[j];
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
            System.arraycopy(m, 0, system, 0, size * size);
            LuSolver lu = LuSolver.factor(m, size);
            if (keepFactors) {
              factors[b] = lu;
            }
            if (lu == null || !lu.solve(r, k)) {
              throw singular(
                  b,
                  centers,
                  cOff,
                  n,
                  d,
                  order,
                  regularization,
                  describe,
                  "a zero pivot or a non-finite solution");
            }
            String problem =
                checkSolution(
                    system, r, values, b * n * k, size, n, k, extent(centers, cOff, n, d));
            if (problem != null) {
              throw singular(b, centers, cOff, n, d, order, regularization, describe, problem);
            }
            System.arraycopy(r, 0, weights, b * n * k, n * k);
            System.arraycopy(r, n * k, affine, b * (d + 1) * k, (d + 1) * k);
          }
        });
    return new FittedSpline(
        batch, n, d, k, order, regularization, centers.clone(), weights, affine, factors);
  }

  /**
   * The largest relative residual a solution may leave: {@code |M x − r|} on the rows of the
   * centers must stay within this fraction of the largest value of its column.
   */
  static final double RESIDUAL_TOLERANCE = 1e-6;

  /**
   * Without effective regularization, two centers closer than this fraction of the centers' extent
   * (their bounding box's largest side) are refused: 0.0022 px in a 224-pixel image.
   */
  static final double MIN_SEPARATION = 1e-5;

  /**
   * The test a solved system must pass, the check after the LU solve: O(N² k) against the O(N³)
   * factorization, so it costs the hot path nothing measurable. The spline's values at its own
   * centers are recomputed from the unfactored system in double precision, {@code M x} (for λ > 0
   * the regularized equations of the smoothing fit), and must match the values within {@link
   * #RESIDUAL_TOLERANCE} of the larger of the centers' extent and the largest value. LU with
   * partial pivoting leaves a residual of about {@code ε Σ_j |M_ij x_j|}: it grows past the
   * tolerance when the solution's terms are so large that they cancel to give the values (nearly
   * coinciding centers with different values, too high an order), which is when the evaluated flow
   * is garbage. Measured on FACE-224 systems (68 + 8 centers): healthy orders 1–5 leave at most
   * 9e-8 of the extent (order 6 up to 3e-6, refused); near duplicates with different flows 1e-6 …
   * 1e-12 px apart leave 4e-3 … 0.7.
   *
   * @param system the unfactored {@code [N, N]} system
   * @param x the solution {@code [N, k]}
   * @param values all values; this element's start at {@code vOff}
   * @param extent the centers' extent
   * @return null if the solution passes, else what failed
   */
  static String checkSolution(
      double[] system,
      double[] x,
      double[] values,
      int vOff,
      int size,
      int n,
      int k,
      double extent) {
    double[] scale = new double[k];
    double[] worst = new double[k];
    int[] at = new int[k];
    double[] sum = new double[k];
    for (int v = 0; v < k; v++) {
      scale[v] = extent;
      for (int i = 0; i < n; i++) {
        scale[v] = Math.max(scale[v], Math.abs(values[vOff + i * k + v]));
      }
    }
    // one pass over the system's center rows for all k columns
    for (int i = 0; i < n; i++) {
      int row = i * size;
      if (k == 2) { // the warps' case (x and y flow): the sums in registers, same order
        double s0 = 0;
        double s1 = 0;
        for (int j = 0; j < size; j++) {
          double mij = system[row + j];
          s0 += mij * x[2 * j];
          s1 += mij * x[2 * j + 1];
        }
        sum[0] = s0;
        sum[1] = s1;
      } else {
        java.util.Arrays.fill(sum, 0);
        for (int j = 0; j < size; j++) {
          double mij = system[row + j];
          for (int v = 0; v < k; v++) {
            sum[v] += mij * x[j * k + v];
          }
        }
      }
      for (int v = 0; v < k; v++) {
        double miss = Math.abs(sum[v] - values[vOff + i * k + v]);
        if (!(miss <= worst[v])) {
          worst[v] = miss;
          at[v] = i;
        }
      }
    }
    for (int v = 0; v < k; v++) {
      if (!(worst[v] <= RESIDUAL_TOLERANCE * scale[v])) {
        return String.format(
            java.util.Locale.ROOT,
            "the solved spline misses its own value at center %d by %.3g (allowed %.1g: %.0e of"
                + " the centers' extent or the largest value)",
            at[v],
            worst[v],
            RESIDUAL_TOLERANCE * scale[v],
            RESIDUAL_TOLERANCE);
      }
    }
    return null;
  }

  /** The largest side of the centers' bounding box. */
  private static double extent(double[] c, int off, int n, int d) {
    double extent = 0;
    for (int a = 0; a < d; a++) {
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < n; i++) {
        lo = Math.min(lo, c[off + i * d + a]);
        hi = Math.max(hi, c[off + i * d + a]);
      }
      extent = Math.max(extent, hi - lo);
    }
    return extent;
  }

  /** {i, j} of the two closest centers. */
  private static int[] closestPair(double[] c, int off, int n, int d) {
    int[] best = {0, 1};
    double bestD2 = Double.POSITIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        double d2 = 0;
        for (int a = 0; a < d; a++) {
          double diff = c[off + i * d + a] - c[off + j * d + a];
          d2 += diff * diff;
        }
        if (d2 < bestD2) {
          bestD2 = d2;
          best[0] = i;
          best[1] = j;
        }
      }
    }
    return best;
  }

  private static double distance(double[] c, int off, int d, int i, int j) {
    double d2 = 0;
    for (int a = 0; a < d; a++) {
      double diff = c[off + i * d + a] - c[off + j * d + a];
      d2 += diff * diff;
    }
    return Math.sqrt(d2);
  }

  private static String at(double[] c, int off, int d, int i) {
    StringBuilder at = new StringBuilder("(");
    for (int a = 0; a < d; a++) {
      at.append(a == 0 ? "" : ", ").append(c[off + i * d + a]);
    }
    return at.append(')').toString();
  }

  /**
   * The error for a system that cannot be used, naming its likely cause: the two closest centers
   * when they are close for the centers' extent, else the order.
   */
  private static IllegalArgumentException singular(
      int b,
      double[] c,
      int off,
      int n,
      int d,
      int order,
      double regularization,
      IntFunction<String> describe,
      String problem) {
    int[] pair = closestPair(c, off, n, d);
    double dist = distance(c, off, d, pair[0], pair[1]);
    double extent = extent(c, off, n, d);
    String where =
        String.format(
            java.util.Locale.ROOT,
            "the closest points are %s %s and %s %s, %.3g apart in centers spanning %.3g",
            describe.apply(pair[0]),
            at(c, off, d, pair[0]),
            describe.apply(pair[1]),
            at(c, off, d, pair[1]),
            dist,
            extent);
    boolean close = dist <= 1e-3 * extent;
    return new IllegalArgumentException(
        "batch element "
            + b
            + ": the spline system (order "
            + order
            + ", regularization "
            + regularization
            + ", "
            + n
            + " centers in "
            + d
            + "-D) is numerically singular: "
            + problem
            + "; "
            + where
            + (close
                ? ": these points are too close together; move them apart or merge them"
                    + (regularization == 0 ? ", or use a regularization > 0" : "")
                : "; the order "
                    + order
                    + " may be unusable for these points (try a lower order or a larger"
                    + " regularization)"));
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

  /**
   * The basis' scale over the centers: {@code |phi|} at the diagonal of their bounding box. A λ
   * below {@link #MIN_SEPARATION} of it does not regularize centers closer than that fraction of
   * the extent: the system is then as singular as without it.
   */
  private static double basisScale(int order, double[] c, int off, int n, int d) {
    double e = extent(c, off, n, d);
    return Math.abs(Phi.apply(order, d * e * e));
  }

  /**
   * Without effective regularization (λ = 0, or below {@link #MIN_SEPARATION} of the basis' scale):
   * throws if two centers coincide, or are closer than {@link #MIN_SEPARATION} of the centers'
   * extent (their two rows of the system then agree to within about that fraction, and the solve
   * returns weights that cancel each other, of the size of the values over it).
   */
  private static void checkDistinct(
      double[] c,
      int off,
      int n,
      int d,
      int b,
      double regularization,
      IntFunction<String> describe) {
    int[] pair = closestPair(c, off, n, d);
    double dist = distance(c, off, d, pair[0], pair[1]);
    String fix =
        regularization == 0
            ? "remove one or use regularization > 0"
            : "remove one or use a larger regularization ("
                + regularization
                + " is too small to"
                + " separate them)";
    if (dist == 0) {
      throw new IllegalArgumentException(
          "batch element "
              + b
              + ": "
              + describe.apply(pair[0])
              + " and "
              + describe.apply(pair[1])
              + " coincide at "
              + at(c, off, d, pair[0])
              + ", which makes the spline system singular with regularization "
              + regularization
              + "; "
              + fix);
    }
    double extent = extent(c, off, n, d);
    if (dist < MIN_SEPARATION * extent) {
      throw new IllegalArgumentException(
          String.format(
              java.util.Locale.ROOT,
              "batch element %d: %s %s and %s %s are too close together: %.3g apart in centers"
                  + " spanning %.3g (less than %.0e of it), which makes the spline system"
                  + " numerically singular with regularization %s; %s",
              b,
              describe.apply(pair[0]),
              at(c, off, d, pair[0]),
              describe.apply(pair[1]),
              at(c, off, d, pair[1]),
              dist,
              extent,
              MIN_SEPARATION,
              regularization,
              fix.replace("remove one", "merge them, move them apart")));
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
