package io.github.facenorm.core.dlib;

import io.github.facenorm.core.FaceImage;

/**
 * The slow, obvious version of dlib's {@code shape_predictor::operator()}, written from dlib's
 * source line by line for the tests: reads the model straight from {@link TinyModel} (not through
 * the file reader) and computes Umeyama's similarity with an explicit SVD.
 */
final class ReferencePredictor {

  private ReferencePredictor() {}

  static double[] predict(
      TinyModel m, FaceImage img, long left, long top, long right, long bottom) {
    float[] current = m.initial.clone();
    for (TinyModel.Level level : m.levels) {
      double[][] a = umeyamaLinear(m.initial, current);
      float[][] tform = {
        {(float) a[0][0], (float) a[0][1]},
        {(float) a[1][0], (float) a[1][1]}
      };
      int n = level.anchor().length;
      float[] feats = new float[n];
      for (int i = 0; i < n; i++) {
        float dx = level.deltas()[2 * i];
        float dy = level.deltas()[2 * i + 1];
        int anchor = level.anchor()[i];
        float px = tform[0][0] * dx + tform[0][1] * dy + current[2 * anchor];
        float py = tform[1][0] * dx + tform[1][1] * dy + current[2 * anchor + 1];
        double ix = left + px * (double) (right - left);
        double iy = top + py * (double) (bottom - top);
        long x = (long) Math.floor(ix + 0.5);
        long y = (long) Math.floor(iy + 0.5);
        boolean inside = x >= 0 && y >= 0 && x < img.width() && y < img.height();
        feats[i] = inside ? intensity(img, (int) x, (int) y) : 0;
      }
      for (TinyModel.Tree t : level.trees()) {
        int node = 0;
        while (node < t.idx1().length) {
          boolean goLeft = feats[t.idx1()[node]] - feats[t.idx2()[node]] > t.thresh()[node];
          node = goLeft ? 2 * node + 1 : 2 * node + 2;
        }
        float[] leaf = t.leaves()[node - t.idx1().length];
        for (int j = 0; j < current.length; j++) {
          current[j] += leaf[j];
        }
      }
    }
    double[] out = new double[current.length];
    for (int i = 0; i < current.length / 2; i++) {
      out[2 * i] = left + current[2 * i] * (double) (right - left);
      out[2 * i + 1] = top + current[2 * i + 1] * (double) (bottom - top);
    }
    return out;
  }

  /** dlib's get_pixel_intensity(rgb_pixel): the 8-bit channels' integer mean. */
  static int intensity(FaceImage img, int x, int y) {
    int r = Math.round(img.get(x, y, 0) * 255);
    int g = Math.round(img.get(x, y, 1) * 255);
    int b = Math.round(img.get(x, y, 2) * 255);
    return (r + g + b) / 3;
  }

  /** dlib's find_similarity_transform(from, to).get_m(), with a 2 x 2 SVD done explicitly. */
  static double[][] umeyamaLinear(float[] from, float[] to) {
    int n = from.length / 2;
    double[] mf = new double[2];
    double[] mt = new double[2];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < 2; k++) {
        mf[k] += from[2 * i + k];
        mt[k] += to[2 * i + k];
      }
    }
    for (int k = 0; k < 2; k++) {
      mf[k] /= n;
      mt[k] /= n;
    }
    double sigmaFrom = 0;
    double[][] cov = new double[2][2];
    for (int i = 0; i < n; i++) {
      double[] f = {from[2 * i] - mf[0], from[2 * i + 1] - mf[1]};
      double[] t = {to[2 * i] - mt[0], to[2 * i + 1] - mt[1]};
      sigmaFrom += f[0] * f[0] + f[1] * f[1];
      for (int r = 0; r < 2; r++) {
        for (int c = 0; c < 2; c++) {
          cov[r][c] += t[r] * f[c];
        }
      }
    }
    sigmaFrom /= n;
    for (int r = 0; r < 2; r++) {
      for (int c = 0; c < 2; c++) {
        cov[r][c] /= n;
      }
    }
    // SVD cov = U D V^T: V from the eigenvectors of cov^T cov, U_i = cov v_i / d_i.
    double p = cov[0][0] * cov[0][0] + cov[1][0] * cov[1][0];
    double q = cov[0][0] * cov[0][1] + cov[1][0] * cov[1][1];
    double s = cov[0][1] * cov[0][1] + cov[1][1] * cov[1][1];
    double theta = 0.5 * Math.atan2(2 * q, p - s);
    double[][] v = {{Math.cos(theta), -Math.sin(theta)}, {Math.sin(theta), Math.cos(theta)}};
    double[] d = new double[2];
    double[][] u = new double[2][2];
    for (int i = 0; i < 2; i++) {
      double ux = cov[0][0] * v[0][i] + cov[0][1] * v[1][i];
      double uy = cov[1][0] * v[0][i] + cov[1][1] * v[1][i];
      d[i] = Math.hypot(ux, uy);
      u[0][i] = ux / d[i];
      u[1][i] = uy / d[i];
    }
    double detCov = cov[0][0] * cov[1][1] - cov[0][1] * cov[1][0];
    double detU = u[0][0] * u[1][1] - u[0][1] * u[1][0];
    double detV = v[0][0] * v[1][1] - v[0][1] * v[1][0];
    double[] sDiag = {1, 1};
    if (detCov < 0 || (detCov == 0 && detU * detV < 0)) {
      if (d[1] < d[0]) {
        sDiag[1] = -1;
      } else {
        sDiag[0] = -1;
      }
    }
    double c = sigmaFrom != 0 ? 1.0 / sigmaFrom * (d[0] * sDiag[0] + d[1] * sDiag[1]) : 1;
    double[][] a = new double[2][2];
    for (int r = 0; r < 2; r++) {
      for (int col = 0; col < 2; col++) {
        double sum = 0;
        for (int k = 0; k < 2; k++) {
          sum += u[r][k] * sDiag[k] * v[col][k];
        }
        a[r][col] = c * sum;
      }
    }
    return a;
  }
}
