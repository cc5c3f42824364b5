package io.github.facenorm.warp;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * The slow, obvious implementation of TFA's algorithms in double precision, written from TFA's
 * Python line by line (points in TFA's (y, x) order, TFA's |x|² − 2x·y + |y|² distances,
 * commons-math3 LU). Independent of the production kernels: tests compare the two.
 */
final class ReferenceWarp {

  private ReferenceWarp() {}

  static double phi(double r, int order) {
    double eps = 1e-10;
    if (order == 1) {
      return Math.sqrt(Math.max(r, eps));
    } else if (order == 2) {
      return 0.5 * r * Math.log(Math.max(r, eps));
    } else if (order == 4) {
      return 0.5 * r * r * Math.log(Math.max(r, eps));
    } else if (order % 2 == 0) {
      double m = Math.max(r, eps);
      return 0.5 * Math.pow(m, 0.5 * order) * Math.log(m);
    } else {
      return Math.pow(Math.max(r, eps), 0.5 * order);
    }
  }

  private static double sqDist(double[] x, double[] y) {
    double xx = 0;
    double yy = 0;
    double xy = 0;
    for (int a = 0; a < x.length; a++) {
      xx += x[a] * x[a];
      yy += y[a] * y[a];
      xy += x[a] * y[a];
    }
    return xx - 2 * xy + yy;
  }

  /** interpolate_spline for one batch element: c [n][d], f [n][k], q [m][d] → [m][k]. */
  static double[][] interpolate(
      double[][] c, double[][] f, double[][] q, int order, double lambda) {
    int n = c.length;
    int d = c[0].length;
    int k = f[0].length;
    int size = n + d + 1;
    double[][] lhs = new double[size][size];
    double[][] rhs = new double[size][k];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        lhs[i][j] = i == j ? phi(0, order) : phi(sqDist(c[i], c[j]), order);
      }
      if (lambda > 0) {
        lhs[i][i] += lambda;
      }
      for (int a = 0; a < d; a++) {
        lhs[i][n + a] = c[i][a];
        lhs[n + a][i] = c[i][a];
      }
      lhs[i][n + d] = 1;
      lhs[n + d][i] = 1;
      rhs[i] = f[i].clone();
    }
    RealMatrix x =
        new LUDecomposition(new Array2DRowRealMatrix(lhs))
            .getSolver()
            .solve(new Array2DRowRealMatrix(rhs));
    double[][] out = new double[q.length][k];
    for (int p = 0; p < q.length; p++) {
      for (int v = 0; v < k; v++) {
        double s = x.getEntry(n + d, v);
        for (int j = 0; j < n; j++) {
          s += phi(sqDist(q[p], c[j]), order) * x.getEntry(j, v);
        }
        for (int a = 0; a < d; a++) {
          s += q[p][a] * x.getEntry(n + a, v);
        }
        out[p][v] = s;
      }
    }
    return out;
  }

  /** dense_image_warp for one image [h][w][c] with flow [h][w][2] = (dy, dx). */
  static double[][][] denseWarp(double[][][] image, double[][][] flow) {
    int h = image.length;
    int w = image[0].length;
    int ch = image[0][0].length;
    double[][][] out = new double[h][w][ch];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double qy = y - flow[y][x][0];
        double qx = x - flow[y][x][1];
        double fy = Math.min(Math.max(0, Math.floor(qy)), h - 2);
        double fx = Math.min(Math.max(0, Math.floor(qx)), w - 2);
        double ay = Math.min(Math.max(0, qy - fy), 1);
        double ax = Math.min(Math.max(0, qx - fx), 1);
        int iy = (int) fy;
        int ix = (int) fx;
        for (int c = 0; c < ch; c++) {
          double tl = image[iy][ix][c];
          double tr = image[iy][ix + 1][c];
          double bl = image[iy + 1][ix][c];
          double br = image[iy + 1][ix + 1][c];
          double top = ax * (tr - tl) + tl;
          double bottom = ax * (br - bl) + bl;
          out[y][x][c] = ay * (bottom - top) + top;
        }
      }
    }
    return out;
  }

  /** Result of {@link #sparseWarp}: image [h][w][c] and flow [h][w][2] = (dy, dx). */
  record Result(double[][][] image, double[][][] flow) {}

  /** sparse_image_warp for one image; points [n][2] in (y, x). */
  static Result sparseWarp(
      double[][][] image,
      double[][] source,
      double[][] dest,
      int order,
      double lambda,
      int boundaryPoints) {
    int h = image.length;
    int w = image[0].length;
    int n = source.length;
    int extra = boundaryPoints > 0 ? 4 * boundaryPoints : 0;
    double[][] centers = new double[n + extra][];
    double[][] flows = new double[n + extra][];
    for (int i = 0; i < n; i++) {
      centers[i] = dest[i].clone();
      flows[i] = new double[] {dest[i][0] - source[i][0], dest[i][1] - source[i][1]};
    }
    if (boundaryPoints > 0) {
      int per = boundaryPoints - 1;
      double[] ys = linspace(0, h - 1, per + 2);
      double[] xs = linspace(0, w - 1, per + 2);
      int idx = n;
      for (double yv : ys) {
        for (double xv : xs) {
          if (xv == 0 || xv == w - 1 || yv == 0 || yv == h - 1) {
            centers[idx] = new double[] {yv, xv};
            flows[idx++] = new double[2];
          }
        }
      }
    }
    double[][] grid = new double[h * w][];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        grid[y * w + x] = new double[] {y, x};
      }
    }
    double[][] dense = interpolate(centers, flows, grid, order, lambda);
    double[][][] flow = new double[h][w][];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        flow[y][x] = dense[y * w + x];
      }
    }
    return new Result(denseWarp(image, flow), flow);
  }

  private static double[] linspace(double start, double stop, int num) {
    double[] v = new double[num];
    double step = (stop - start) / (num - 1);
    for (int i = 0; i < num; i++) {
      v[i] = start + i * step;
    }
    v[num - 1] = stop;
    return v;
  }
}
