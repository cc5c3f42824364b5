package io.github.facenorm.core.internal;

/**
 * Fits the 3-D head model of {@link FaceShapeModels} to 68 landmarks under a scaled orthographic
 * camera: {@code x ≈ s · P · R · (X̄ + Σ c_k B_k) + t}, with {@code R} a rotation, {@code P} the
 * projection onto x, y, {@code X̄} the mean head and {@code B_k} the identity modes (in-plane, with
 * a Gaussian prior of the modes' variances). Alternates Gauss–Newton steps on {@code (R, s)} with a
 * ridge solve for {@code c}. Coordinates: image x right, y down; the model's z points toward the
 * camera. Thread-safe (no state).
 */
public final class HeadModelFit {

  private static final int N = 68;
  private static final int OUTER = 10;
  private static final int INNER = 3;

  private HeadModelFit() {}

  /** The mean head, {@code [68][3]} (cm; x right, y down, z toward the camera); a copy. */
  public static double[][] meanShape() {
    double[][] m = new double[N][3];
    for (int i = 0; i < N; i++) {
      for (int a = 0; a < 3; a++) {
        m[i][a] = FaceShapeModels.MEAN_SHAPE[3 * i + a];
      }
    }
    return m;
  }

  /**
   * Fits the model.
   *
   * @param xy 68 points, interleaved x, y (image coordinates)
   * @return {@code {yaw, pitch}} in degrees: yaw positive when the nose turns toward the image's
   *     right, pitch positive when the face looks up
   */
  public static double[] yawPitch(double[] xy) {
    double[][] x = new double[N][2];
    double mx = 0;
    double my = 0;
    for (int i = 0; i < N; i++) {
      mx += xy[2 * i];
      my += xy[2 * i + 1];
    }
    mx /= N;
    my /= N;
    for (int i = 0; i < N; i++) {
      x[i][0] = xy[2 * i] - mx;
      x[i][1] = xy[2 * i + 1] - my;
    }
    double[][] mean = centered3(meanShape());
    int k = FaceShapeModels.MODE_VARIANCES.length;
    double[][][] modes = new double[k][][];
    for (int m = 0; m < k; m++) {
      double[][] b = new double[N][3];
      for (int i = 0; i < N; i++) {
        b[i][0] = FaceShapeModels.MODES[(m * N + i) * 2];
        b[i][1] = FaceShapeModels.MODES[(m * N + i) * 2 + 1];
      }
      modes[m] = centered3(b);
    }
    double obs = 0;
    double mod = 0;
    for (int i = 0; i < N; i++) {
      obs += x[i][0] * x[i][0] + x[i][1] * x[i][1];
      mod += mean[i][0] * mean[i][0] + mean[i][1] * mean[i][1];
    }
    double s = Math.sqrt(obs / mod);
    double[][] r = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
    double[] c = new double[k];
    double[][] shape = new double[N][3];
    for (int outer = 0; outer < OUTER; outer++) {
      for (int i = 0; i < N; i++) {
        for (int a = 0; a < 3; a++) {
          double v = mean[i][a];
          for (int m = 0; m < k; m++) {
            v += c[m] * modes[m][i][a];
          }
          shape[i][a] = v;
        }
      }
      for (int inner = 0; inner < INNER; inner++) {
        s = rotationStep(x, shape, r, s);
      }
      c = shapeStep(x, mean, modes, r, s);
    }
    double yaw = Math.toDegrees(Math.asin(clamp(-r[2][0])));
    double pitch = Math.toDegrees(Math.asin(clamp(r[2][1])));
    return new double[] {yaw, pitch};
  }

  private static double clamp(double v) {
    return Math.max(-1, Math.min(1, v));
  }

  private static double[][] centered3(double[][] p) {
    double[] m = new double[3];
    for (double[] q : p) {
      for (int a = 0; a < 3; a++) {
        m[a] += q[a] / p.length;
      }
    }
    double[][] out = new double[p.length][3];
    for (int i = 0; i < p.length; i++) {
      for (int a = 0; a < 3; a++) {
        out[i][a] = p[i][a] - m[a];
      }
    }
    return out;
  }

  /** One Gauss–Newton step on (rotation, scale); updates r in place, returns the new scale. */
  private static double rotationStep(double[][] x, double[][] shape, double[][] r, double s) {
    double[][] jtj = new double[4][4];
    double[] jtr = new double[4];
    double[] col = new double[4];
    for (int i = 0; i < N; i++) {
      double[] p = shape[i];
      // R·p, and R·[e_a]×·p = R·(e_a × p)
      double[] rp = mul(r, p);
      double[][] d = {
        mul(r, new double[] {0, -p[2], p[1]}),
        mul(r, new double[] {p[2], 0, -p[0]}),
        mul(r, new double[] {-p[1], p[0], 0})
      };
      for (int u = 0; u < 2; u++) {
        double res = x[i][u] - s * rp[u];
        for (int a = 0; a < 3; a++) {
          col[a] = s * d[a][u];
        }
        col[3] = rp[u];
        for (int a = 0; a < 4; a++) {
          jtr[a] += col[a] * res;
          for (int b = 0; b < 4; b++) {
            jtj[a][b] += col[a] * col[b];
          }
        }
      }
    }
    double[] delta = solve(jtj, jtr);
    double th = Math.sqrt(delta[0] * delta[0] + delta[1] * delta[1] + delta[2] * delta[2]);
    if (th > 0) {
      double[] n = {delta[0] / th, delta[1] / th, delta[2] / th};
      double[][] kk = {{0, -n[2], n[1]}, {n[2], 0, -n[0]}, {-n[1], n[0], 0}};
      double[][] rod = new double[3][3];
      double sn = Math.sin(th);
      double cs = 1 - Math.cos(th);
      for (int a = 0; a < 3; a++) {
        for (int b = 0; b < 3; b++) {
          double k2 = 0;
          for (int q = 0; q < 3; q++) {
            k2 += kk[a][q] * kk[q][b];
          }
          rod[a][b] = (a == b ? 1 : 0) + sn * kk[a][b] + cs * k2;
        }
      }
      double[][] nr = new double[3][3];
      for (int a = 0; a < 3; a++) {
        for (int b = 0; b < 3; b++) {
          for (int q = 0; q < 3; q++) {
            nr[a][b] += r[a][q] * rod[q][b];
          }
        }
      }
      for (int a = 0; a < 3; a++) {
        r[a] = nr[a];
      }
    }
    return s + delta[3];
  }

  /** The ridge solve for the identity coefficients, given the pose. */
  private static double[] shapeStep(
      double[][] x, double[][] mean, double[][][] modes, double[][] r, double s) {
    int k = modes.length;
    double[][] jtj = new double[k][k];
    double[] jtr = new double[k];
    double[][] proj = new double[k][];
    for (int i = 0; i < N; i++) {
      double[] rp = mul(r, mean[i]);
      for (int m = 0; m < k; m++) {
        proj[m] = mul(r, modes[m][i]);
      }
      for (int u = 0; u < 2; u++) {
        double res = x[i][u] - s * rp[u];
        for (int a = 0; a < k; a++) {
          double ja = s * proj[a][u];
          jtr[a] += ja * res;
          for (int b = 0; b < k; b++) {
            jtj[a][b] += ja * s * proj[b][u];
          }
        }
      }
    }
    for (int a = 0; a < k; a++) {
      jtj[a][a] += FaceShapeModels.RIDGE * s * s / FaceShapeModels.MODE_VARIANCES[a];
    }
    return solve(jtj, jtr);
  }

  private static double[] mul(double[][] r, double[] p) {
    return new double[] {
      r[0][0] * p[0] + r[0][1] * p[1] + r[0][2] * p[2],
      r[1][0] * p[0] + r[1][1] * p[1] + r[1][2] * p[2],
      r[2][0] * p[0] + r[2][1] * p[1] + r[2][2] * p[2]
    };
  }

  /** Gaussian elimination with partial pivoting on a small dense system (copies its inputs). */
  static double[] solve(double[][] a0, double[] b0) {
    int n = b0.length;
    double[][] a = new double[n][];
    for (int i = 0; i < n; i++) {
      a[i] = a0[i].clone();
    }
    double[] b = b0.clone();
    for (int p = 0; p < n; p++) {
      int best = p;
      for (int i = p + 1; i < n; i++) {
        if (Math.abs(a[i][p]) > Math.abs(a[best][p])) {
          best = i;
        }
      }
      double[] t = a[p];
      a[p] = a[best];
      a[best] = t;
      double tb = b[p];
      b[p] = b[best];
      b[best] = tb;
      if (a[p][p] == 0) {
        return new double[n];
      }
      for (int i = p + 1; i < n; i++) {
        double f = a[i][p] / a[p][p];
        for (int j = p; j < n; j++) {
          a[i][j] -= f * a[p][j];
        }
        b[i] -= f * b[p];
      }
    }
    double[] out = new double[n];
    for (int i = n - 1; i >= 0; i--) {
      double v = b[i];
      for (int j = i + 1; j < n; j++) {
        v -= a[i][j] * out[j];
      }
      out[i] = v / a[i][i];
    }
    return out;
  }
}
