package io.github.facenorm.warp.internal;

import io.github.facenorm.warp.PointOrder;

/**
 * The spline of a sparse warp, shared by the eager and the graph paths: centers = dest points plus
 * TFA's boundary points, values = {@code dest − source} (zero at the boundary), all converted to XY
 * so the kernels see one convention.
 */
public final class WarpSpline {

  private WarpSpline() {}

  /**
   * Fits the warp's spline for every batch element.
   *
   * @param source {@code [B, n, 2]} in {@code order}
   * @param dest {@code [B, n, 2]} in {@code order}
   * @param batch B
   * @param n user points per batch element
   * @param height H
   * @param width W
   * @param splineOrder spline order
   * @param regularization λ
   * @param boundaryPoints p; {@code 4p} points are appended
   * @param order the point order of {@code source} and {@code dest}
   * @param threads maximum threads
   * @param keepFactors keep the LU factors for the adjoint
   * @return splines over {@code n + 4p} XY centers with values {@code (dx, dy)}
   */
  public static FittedSpline fit(
      double[] source,
      double[] dest,
      int batch,
      int n,
      int height,
      int width,
      int splineOrder,
      double regularization,
      int boundaryPoints,
      PointOrder order,
      int threads,
      boolean keepFactors) {
    int extra = 4 * boundaryPoints;
    int total = n + extra;
    double[] border = boundaryLocationsXy(height, width, boundaryPoints);
    double[] centers = new double[batch * total * 2];
    double[] values = new double[batch * total * 2];
    int xi = order.xIndex();
    int yi = order.yIndex();
    for (int b = 0; b < batch; b++) {
      for (int j = 0; j < n; j++) {
        int in = (b * n + j) * 2;
        int o = (b * total + j) * 2;
        centers[o] = dest[in + xi];
        centers[o + 1] = dest[in + yi];
        values[o] = dest[in + xi] - source[in + xi];
        values[o + 1] = dest[in + yi] - source[in + yi];
      }
      System.arraycopy(border, 0, centers, (b * total + n) * 2, extra * 2);
    }
    return FittedSpline.fit(
        centers,
        values,
        batch,
        total,
        2,
        2,
        splineOrder,
        regularization,
        threads,
        j -> j < n ? "dest point " + j : "boundary point " + (j - n) + " (added by the warp)",
        keepFactors);
  }

  /**
   * TFA's boundary points for an image, in XY order: {@code _get_boundary_locations(H, W, p − 1)} —
   * the border points of the {@code (p + 1) × (p + 1)} grid {@code linspace(0, H − 1, p + 1) ×
   * linspace(0, W − 1, p + 1)}, row-major.
   *
   * @param height H
   * @param width W
   * @param p boundary points per edge
   * @return {@code [4p, 2]} row-major, empty for p = 0
   */
  public static double[] boundaryLocationsXy(int height, int width, int p) {
    if (p == 0) {
      return new double[0];
    }
    double[] ys = linspace(height - 1, p + 1);
    double[] xs = linspace(width - 1, p + 1);
    double[] out = new double[8 * p];
    int k = 0;
    for (int i = 0; i <= p; i++) {
      for (int j = 0; j <= p; j++) {
        if (i == 0 || i == p || j == 0 || j == p) {
          out[k++] = xs[j];
          out[k++] = ys[i];
        }
      }
    }
    return out;
  }

  /** numpy's {@code linspace(0, stop, num)}: {@code i · (stop / (num − 1))}, last exactly stop. */
  private static double[] linspace(double stop, int num) {
    double step = stop / (num - 1);
    double[] v = new double[num];
    for (int i = 0; i < num; i++) {
      v[i] = i * step;
    }
    v[num - 1] = stop;
    return v;
  }
}
