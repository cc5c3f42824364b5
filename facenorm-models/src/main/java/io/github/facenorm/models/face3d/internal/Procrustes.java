package io.github.facenorm.models.face3d.internal;

/**
 * Similarity Procrustes in 3-D (Umeyama 1991): the scale, rotation and translation that best map
 * one point set onto another in least squares, reflections excluded.
 */
public final class Procrustes {
  private Procrustes() {}

  /**
   * Maps {@code source} onto {@code target}.
   *
   * @param source {@code [N, 3]}
   * @param target {@code [N, 3]}
   * @return {@code source} transformed: {@code s R p + t}, {@code [N, 3]}
   */
  public static double[] align(double[] source, double[] target) {
    int n = source.length / 3;
    double[] ms = new double[3];
    double[] mt = new double[3];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < 3; k++) {
        ms[k] += source[3 * i + k] / n;
        mt[k] += target[3 * i + k] / n;
      }
    }
    double[] cov = new double[9]; // sum (t - mt)(s - ms)^T
    double varS = 0;
    for (int i = 0; i < n; i++) {
      for (int a = 0; a < 3; a++) {
        double sa = source[3 * i + a] - ms[a];
        varS += sa * sa;
        for (int b = 0; b < 3; b++) {
          cov[b * 3 + a] += (target[3 * i + b] - mt[b]) * sa;
        }
      }
    }
    // SVD of the 3x3 covariance via the eigen-decomposition of C^T C.
    double[] ctc = new double[9];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        double s = 0;
        for (int k = 0; k < 3; k++) {
          s += cov[k * 3 + i] * cov[k * 3 + j];
        }
        ctc[i * 3 + j] = s;
      }
    }
    double[] v = new double[9];
    double[] ev = SymmetricEigen.decompose(ctc, 3, v);
    double[] sig = new double[3];
    double[] u = new double[9];
    for (int j = 0; j < 3; j++) {
      sig[j] = Math.sqrt(Math.max(ev[j], 0));
      for (int i = 0; i < 3; i++) {
        double s = 0;
        for (int k = 0; k < 3; k++) {
          s += cov[i * 3 + k] * v[k * 3 + j];
        }
        u[i * 3 + j] = sig[j] > 1e-12 * Math.max(sig[0], 1e-300) ? s / sig[j] : 0;
      }
    }
    if (sig[2] <= 1e-12 * Math.max(sig[0], 1e-300)) {
      // Complete U's third column as the cross product of the first two.
      u[2] = u[3 + 0] * u[6 + 1] - u[6 + 0] * u[3 + 1];
      u[5] = u[6 + 0] * u[1] - u[0] * u[6 + 1];
      u[8] = u[0] * u[3 + 1] - u[3 + 0] * u[1];
    }
    double detU = det(u);
    double detV = det(v);
    double d = detU * detV < 0 ? -1 : 1;
    double[] r = new double[9];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        r[i * 3 + j] =
            u[i * 3] * v[j * 3] + u[i * 3 + 1] * v[j * 3 + 1] + d * u[i * 3 + 2] * v[j * 3 + 2];
      }
    }
    double scale = (sig[0] + sig[1] + d * sig[2]) / varS;
    double[] out = new double[source.length];
    for (int i = 0; i < n; i++) {
      for (int a = 0; a < 3; a++) {
        double s = 0;
        for (int b = 0; b < 3; b++) {
          s += r[a * 3 + b] * (source[3 * i + b] - ms[b]);
        }
        out[3 * i + a] = scale * s + mt[a];
      }
    }
    return out;
  }

  private static double det(double[] m) {
    return m[0] * (m[4] * m[8] - m[5] * m[7])
        - m[1] * (m[3] * m[8] - m[5] * m[6])
        + m[2] * (m[3] * m[7] - m[4] * m[6]);
  }
}
