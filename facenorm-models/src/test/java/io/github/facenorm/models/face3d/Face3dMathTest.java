package io.github.facenorm.models.face3d;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.facenorm.models.face3d.internal.Procrustes;
import io.github.facenorm.models.face3d.internal.SymmetricEigen;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Procrustes, the eigen solver and the cameras on known answers. */
class Face3dMathTest {

  static double[] rotation(double ax, double ay, double az, double angle) {
    double n = Math.sqrt(ax * ax + ay * ay + az * az);
    ax /= n;
    ay /= n;
    az /= n;
    double c = Math.cos(angle);
    double s = Math.sin(angle);
    double t = 1 - c;
    return new double[] {
      t * ax * ax + c,
      t * ax * ay - s * az,
      t * ax * az + s * ay,
      t * ax * ay + s * az,
      t * ay * ay + c,
      t * ay * az - s * ax,
      t * ax * az - s * ay,
      t * ay * az + s * ax,
      t * az * az + c
    };
  }

  static double[] transform(double[] pts, double[] r, double s, double[] t) {
    double[] out = new double[pts.length];
    for (int i = 0; i < pts.length; i += 3) {
      for (int a = 0; a < 3; a++) {
        out[i + a] =
            s * (r[3 * a] * pts[i] + r[3 * a + 1] * pts[i + 1] + r[3 * a + 2] * pts[i + 2]) + t[a];
      }
    }
    return out;
  }

  @Test
  void procrustesUndoesASimilarityButNotAReflection() {
    Random rnd = new Random(7);
    double[] p = new double[3 * 50];
    for (int i = 0; i < p.length; i++) {
      p[i] = rnd.nextGaussian() * 3;
    }
    double[] moved = transform(p, rotation(1, -2, 0.5, 2.1), 2.5, new double[] {4, -1, 7});
    double[] back = Procrustes.align(moved, p);
    for (int i = 0; i < p.length; i++) {
      assertThat(back[i]).isCloseTo(p[i], within(1e-9));
    }
    double[] mirrored = p.clone();
    for (int i = 0; i < p.length; i += 3) {
      mirrored[i] = -mirrored[i];
    }
    double[] m = Procrustes.align(mirrored, p);
    double err = 0;
    for (int i = 0; i < p.length; i++) {
      err = Math.max(err, Math.abs(m[i] - p[i]));
    }
    assertThat(err).isGreaterThan(0.5);
  }

  @Test
  void eigenDecompositionAndCholesky() {
    Random rnd = new Random(3);
    int n = 7;
    double[] a = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        double v = rnd.nextGaussian();
        a[i * n + j] = v;
        a[j * n + i] = v;
      }
    }
    double[] vec = new double[n * n];
    double[] val = SymmetricEigen.decompose(a, n, vec);
    for (int j = 0; j < n; j++) {
      if (j > 0) {
        assertThat(val[j]).isLessThanOrEqualTo(val[j - 1]);
      }
      for (int i = 0; i < n; i++) {
        double av = 0;
        for (int k = 0; k < n; k++) {
          av += a[i * n + k] * vec[k * n + j];
        }
        assertThat(av).isCloseTo(val[j] * vec[i * n + j], within(1e-10));
      }
    }
    double[] spd = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        for (int k = 0; k < n; k++) {
          spd[i * n + j] += a[i * n + k] * a[j * n + k];
        }
      }
      spd[i * n + i] += 0.1;
    }
    double[] b = {1, -2, 3, 0.5, 0, 4, -1};
    double[] x = SymmetricEigen.solveSpd(spd, b, n);
    for (int i = 0; i < n; i++) {
      double s = 0;
      for (int k = 0; k < n; k++) {
        s += spd[i * n + k] * x[k];
      }
      assertThat(s).isCloseTo(b[i], within(1e-9));
    }
  }
}
