package io.github.facenorm.models.face3d.internal;

import java.util.Arrays;

/**
 * A triangle rasterizer with a depth buffer: for every pixel centre (pixel {@code (c, r)} sits at
 * {@code (x, y) = (c, r)}) the nearest covering triangle and the barycentric weights of the point.
 * Plain loops over primitive arrays; no anti-aliasing.
 */
public final class Raster {
  /** Image width. */
  public final int width;

  /** Image height. */
  public final int height;

  /** {@code [H, W]}: the triangle covering the pixel, or -1. */
  public final int[] triangle;

  /** {@code [H, W, 3]}: barycentric weights of the triangle's three corners. */
  public final float[] weights;

  /** {@code [H, W]}: the interpolated depth (larger is nearer), -inf where uncovered. */
  public final float[] depth;

  private Raster(int width, int height) {
    this.width = width;
    this.height = height;
    this.triangle = new int[width * height];
    this.weights = new float[width * height * 3];
    this.depth = new float[width * height];
    Arrays.fill(triangle, -1);
    Arrays.fill(depth, Float.NEGATIVE_INFINITY);
  }

  /**
   * Rasterizes triangles.
   *
   * @param width image width
   * @param height image height
   * @param xy {@code [N, 2]} vertex positions in pixels
   * @param z {@code [N]} vertex depths, larger nearer; {@code null}: no depth test (later triangles
   *     win)
   * @param triangles {@code [T, 3]}
   * @return the raster
   */
  public static Raster render(int width, int height, double[] xy, double[] z, int[] triangles) {
    Raster r = new Raster(width, height);
    for (int t = 0; t < triangles.length / 3; t++) {
      int i0 = triangles[3 * t];
      int i1 = triangles[3 * t + 1];
      int i2 = triangles[3 * t + 2];
      double x0 = xy[2 * i0];
      double y0 = xy[2 * i0 + 1];
      double x1 = xy[2 * i1];
      double y1 = xy[2 * i1 + 1];
      double x2 = xy[2 * i2];
      double y2 = xy[2 * i2 + 1];
      double area = (x1 - x0) * (y2 - y0) - (x2 - x0) * (y1 - y0);
      if (Math.abs(area) < 1e-12) {
        continue;
      }
      int cx0 = Math.max(0, (int) Math.ceil(Math.min(x0, Math.min(x1, x2))));
      int cx1 = Math.min(width - 1, (int) Math.floor(Math.max(x0, Math.max(x1, x2))));
      int cy0 = Math.max(0, (int) Math.ceil(Math.min(y0, Math.min(y1, y2))));
      int cy1 = Math.min(height - 1, (int) Math.floor(Math.max(y0, Math.max(y1, y2))));
      for (int py = cy0; py <= cy1; py++) {
        for (int px = cx0; px <= cx1; px++) {
          double w0 = ((x1 - px) * (y2 - py) - (x2 - px) * (y1 - py)) / area;
          double w1 = ((x2 - px) * (y0 - py) - (x0 - px) * (y2 - py)) / area;
          double w2 = 1 - w0 - w1;
          if (w0 < -1e-9 || w1 < -1e-9 || w2 < -1e-9) {
            continue;
          }
          int p = py * width + px;
          if (z != null) {
            double d = w0 * z[i0] + w1 * z[i1] + w2 * z[i2];
            if (d <= r.depth[p]) {
              continue;
            }
            r.depth[p] = (float) d;
          } else {
            r.depth[p] = 0;
          }
          r.triangle[p] = t;
          r.weights[3 * p] = (float) w0;
          r.weights[3 * p + 1] = (float) w1;
          r.weights[3 * p + 2] = (float) w2;
        }
      }
    }
    return r;
  }

  /**
   * Interpolates per-vertex values at a covered pixel.
   *
   * @param p pixel index {@code r * W + c}, covered
   * @param triangles the triangles rendered
   * @param values {@code [N, k]} per-vertex values
   * @param k values per vertex
   * @param out receives {@code k} values
   */
  public void interpolate(int p, int[] triangles, double[] values, int k, double[] out) {
    int t = triangle[p];
    int i0 = triangles[3 * t];
    int i1 = triangles[3 * t + 1];
    int i2 = triangles[3 * t + 2];
    double w0 = weights[3 * p];
    double w1 = weights[3 * p + 1];
    double w2 = weights[3 * p + 2];
    for (int j = 0; j < k; j++) {
      out[j] = w0 * values[k * i0 + j] + w1 * values[k * i1 + j] + w2 * values[k * i2 + j];
    }
  }

  /**
   * Bilinear sample of an {@code [H, W, 3]} image at {@code (x, y)}, border clamped.
   *
   * @param rgb the image
   * @param w its width
   * @param h its height
   * @param x column coordinate
   * @param y row coordinate
   * @param out receives 3 values
   */
  public static void sample(float[] rgb, int w, int h, double x, double y, double[] out) {
    int fx = (int) Math.floor(x);
    int fy = (int) Math.floor(y);
    double ax = x - fx;
    double ay = y - fy;
    int x0 = Math.min(Math.max(fx, 0), w - 1);
    int x1 = Math.min(Math.max(fx + 1, 0), w - 1);
    int y0 = Math.min(Math.max(fy, 0), h - 1);
    int y1 = Math.min(Math.max(fy + 1, 0), h - 1);
    for (int c = 0; c < 3; c++) {
      out[c] =
          (1 - ay) * ((1 - ax) * rgb[(y0 * w + x0) * 3 + c] + ax * rgb[(y0 * w + x1) * 3 + c])
              + ay * ((1 - ax) * rgb[(y1 * w + x0) * 3 + c] + ax * rgb[(y1 * w + x1) * 3 + c]);
    }
  }
}
