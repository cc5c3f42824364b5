package io.github.facenorm.models.face3d.internal;

/**
 * Eigen-decomposition of a small dense symmetric matrix by cyclic Jacobi rotations (exact to
 * rounding; O(n³) per sweep, fine up to a few hundred).
 */
public final class SymmetricEigen {
  private SymmetricEigen() {}

  /**
   * Eigenvalues (descending) and unit eigenvectors.
   *
   * @param a {@code [n, n]} row-major, symmetric (only read)
   * @param n the order
   * @param vectors output {@code [n, n]}: column {@code j} is the eigenvector of value {@code j}
   * @return the eigenvalues, descending
   */
  public static double[] decompose(double[] a, int n, double[] vectors) {
    double[] m = a.clone();
    double[] v = new double[n * n];
    for (int i = 0; i < n; i++) {
      v[i * n + i] = 1;
    }
    for (int sweep = 0; sweep < 100; sweep++) {
      double off = 0;
      double diag = 0;
      for (int i = 0; i < n; i++) {
        diag += m[i * n + i] * m[i * n + i];
        for (int j = i + 1; j < n; j++) {
          off += m[i * n + j] * m[i * n + j];
        }
      }
      if (off <= 1e-30 * Math.max(diag, 1e-300)) {
        break;
      }
      for (int p = 0; p < n; p++) {
        for (int q = p + 1; q < n; q++) {
          double apq = m[p * n + q];
          if (apq == 0) {
            continue;
          }
          double theta = (m[q * n + q] - m[p * n + p]) / (2 * apq);
          double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
          if (theta == 0) {
            t = 1;
          }
          double c = 1 / Math.sqrt(t * t + 1);
          double s = t * c;
          for (int k = 0; k < n; k++) {
            double mkp = m[k * n + p];
            double mkq = m[k * n + q];
            m[k * n + p] = c * mkp - s * mkq;
            m[k * n + q] = s * mkp + c * mkq;
          }
          for (int k = 0; k < n; k++) {
            double mpk = m[p * n + k];
            double mqk = m[q * n + k];
            m[p * n + k] = c * mpk - s * mqk;
            m[q * n + k] = s * mpk + c * mqk;
          }
          for (int k = 0; k < n; k++) {
            double vkp = v[k * n + p];
            double vkq = v[k * n + q];
            v[k * n + p] = c * vkp - s * vkq;
            v[k * n + q] = s * vkp + c * vkq;
          }
        }
      }
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    double[] d = new double[n];
    for (int i = 0; i < n; i++) {
      d[i] = m[i * n + i];
    }
    java.util.Arrays.sort(order, (x, y) -> Double.compare(d[y], d[x]));
    double[] values = new double[n];
    for (int j = 0; j < n; j++) {
      values[j] = d[order[j]];
      for (int k = 0; k < n; k++) {
        vectors[k * n + j] = v[k * n + order[j]];
      }
    }
    return values;
  }

  /**
   * Solves {@code A x = b} for a symmetric positive definite {@code A} (Cholesky).
   *
   * @param a {@code [n, n]}
   * @param b {@code [n]}
   * @param n the order
   * @return x
   * @throws IllegalStateException if {@code A} is not positive definite
   */
  public static double[] solveSpd(double[] a, double[] b, int n) {
    double[] l = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        double s = a[i * n + j];
        for (int k = 0; k < j; k++) {
          s -= l[i * n + k] * l[j * n + k];
        }
        if (i == j) {
          if (!(s > 0)) {
            throw new IllegalStateException("matrix not positive definite at row " + i);
          }
          l[i * n + i] = Math.sqrt(s);
        } else {
          l[i * n + j] = s / l[j * n + j];
        }
      }
    }
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      double s = b[i];
      for (int k = 0; k < i; k++) {
        s -= l[i * n + k] * y[k];
      }
      y[i] = s / l[i * n + i];
    }
    double[] x = new double[n];
    for (int i = n - 1; i >= 0; i--) {
      double s = y[i];
      for (int k = i + 1; k < n; k++) {
        s -= l[k * n + i] * x[k];
      }
      x[i] = s / l[i * n + i];
    }
    return x;
  }
}
