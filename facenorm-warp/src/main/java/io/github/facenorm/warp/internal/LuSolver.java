package io.github.facenorm.warp.internal;

/**
 * Dense LU decomposition with partial pivoting in double precision, for the symmetric indefinite
 * spline systems (zero diagonal for order ≥ 2, so Cholesky does not apply).
 *
 * <p>No relative singularity threshold: polyharmonic systems at pixel scale are badly scaled
 * (entries from 1 to 1e10) yet well determined, so callers check geometric degeneracy themselves
 * and this class reports only exact zero pivots and non-finite solutions.
 */
public final class LuSolver {

  private final double[] lu;
  private final int[] pivots;
  private final int size;

  private LuSolver(double[] lu, int[] pivots, int size) {
    this.lu = lu;
    this.pivots = pivots;
    this.size = size;
  }

  /**
   * Factors {@code P M = L U} in place.
   *
   * @param m the {@code [N, N]} matrix, row-major; taken over and overwritten by the factors
   * @param size N
   * @return the factors, or null if a pivot is exactly zero
   */
  public static LuSolver factor(double[] m, int size) {
    return factor(m, size, WarpKernels.get());
  }

  /**
   * Factors {@code P M = L U} in place with the given kernels' elimination step.
   *
   * @param m the {@code [N, N]} matrix, row-major; overwritten by the factors
   * @param size N
   * @param kernels the kernels
   * @return the factors, or null if a pivot is exactly zero
   */
  static LuSolver factor(double[] m, int size, WarpKernels kernels) {
    int[] pivots = new int[size];
    for (int col = 0; col < size; col++) {
      int pivot = col;
      double best = Math.abs(m[col * size + col]);
      for (int row = col + 1; row < size; row++) {
        double a = Math.abs(m[row * size + col]);
        if (a > best) {
          best = a;
          pivot = row;
        }
      }
      if (!(best > 0)) {
        return null;
      }
      pivots[col] = pivot;
      if (pivot != col) {
        swapRows(m, size, pivot, col);
      }
      kernels.eliminate(m, size, col);
    }
    return new LuSolver(m, pivots, size);
  }

  /**
   * One elimination step, below pivot {@code col}: each row's multiplier {@code m[row][col] /
   * m[col][col]} is stored in its column {@code col}, and that multiple of the pivot row is
   * subtracted from the rest of the row (multiply, then subtract: no fused multiply-add, so every
   * implementation of {@link WarpKernels#eliminate} gives these bits).
   *
   * @param m the {@code [N, N]} matrix, row-major
   * @param size N
   * @param col the pivot's column (its row is already swapped in)
   */
  static void eliminate(double[] m, int size, int col) {
    double inv = 1.0 / m[col * size + col];
    int colOff = col * size;
    for (int row = col + 1; row < size; row++) {
      int rowOff = row * size;
      double factor = m[rowOff + col] * inv;
      m[rowOff + col] = factor;
      if (factor == 0) {
        continue;
      }
      for (int j = col + 1; j < size; j++) {
        m[rowOff + j] -= factor * m[colOff + j];
      }
    }
  }

  /**
   * Solves {@code M X = R} with the factors.
   *
   * @param r the {@code [N, k]} right-hand side, row-major; overwritten by the solution
   * @param k number of right-hand-side columns
   * @return false if the solution is not finite
   */
  public boolean solve(double[] r, int k) {
    for (int i = 0; i < size; i++) {
      if (pivots[i] != i) {
        swapRows(r, k, pivots[i], i);
      }
    }
    if (k == 2) {
      substitute2(r);
    } else {
      for (int row = 1; row < size; row++) {
        int rowOff = row * size;
        for (int c = 0; c < row; c++) {
          double l = lu[rowOff + c];
          if (l != 0) {
            for (int j = 0; j < k; j++) {
              r[row * k + j] -= l * r[c * k + j];
            }
          }
        }
      }
      for (int row = size - 1; row >= 0; row--) {
        int rowOff = row * size;
        double inv = 1.0 / lu[rowOff + row];
        for (int j = 0; j < k; j++) {
          double s = r[row * k + j];
          for (int c = row + 1; c < size; c++) {
            s -= lu[rowOff + c] * r[c * k + j];
          }
          r[row * k + j] = s * inv;
        }
      }
    }
    for (int i = 0; i < size * k; i++) {
      if (!Double.isFinite(r[i])) {
        return false;
      }
    }
    return true;
  }

  /**
   * The substitutions of {@link #solve} for two right-hand sides (a warp's x and y), both columns
   * in registers: the same operations in the same order, so the same bits.
   */
  private void substitute2(double[] r) {
    for (int row = 1; row < size; row++) {
      int rowOff = row * size;
      double r0 = r[2 * row];
      double r1 = r[2 * row + 1];
      for (int c = 0; c < row; c++) {
        double l = lu[rowOff + c];
        if (l != 0) {
          r0 -= l * r[2 * c];
          r1 -= l * r[2 * c + 1];
        }
      }
      r[2 * row] = r0;
      r[2 * row + 1] = r1;
    }
    for (int row = size - 1; row >= 0; row--) {
      int rowOff = row * size;
      double inv = 1.0 / lu[rowOff + row];
      double s0 = r[2 * row];
      double s1 = r[2 * row + 1];
      for (int c = row + 1; c < size; c++) {
        double u = lu[rowOff + c];
        s0 -= u * r[2 * c];
        s1 -= u * r[2 * c + 1];
      }
      r[2 * row] = s0 * inv;
      r[2 * row + 1] = s1 * inv;
    }
  }

  /**
   * Factors and solves {@code M X = R} in place.
   *
   * @param m the {@code [N, N]} matrix, row-major; overwritten by its LU factors
   * @param r the {@code [N, k]} right-hand side, row-major; overwritten by the solution
   * @param size N
   * @param k number of right-hand-side columns
   * @return false if a pivot is exactly zero or the solution is not finite, true otherwise
   */
  public static boolean solveInPlace(double[] m, double[] r, int size, int k) {
    LuSolver f = factor(m, size);
    return f != null && f.solve(r, k);
  }

  private static void swapRows(double[] a, int width, int i, int j) {
    int oi = i * width;
    int oj = j * width;
    for (int c = 0; c < width; c++) {
      double t = a[oi + c];
      a[oi + c] = a[oj + c];
      a[oj + c] = t;
    }
  }
}
