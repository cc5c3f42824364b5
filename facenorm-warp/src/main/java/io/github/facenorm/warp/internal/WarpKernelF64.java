package io.github.facenorm.warp.internal;

import java.util.Arrays;

// Generated from WarpKernel.java.template by GenerateWarpKernels; do not edit.
/**
 * The fused double-precision warp kernel: per image row, the spline flow is summed center by center
 * over the whole row (x innermost, so the loop vectorises), then the row is sampled bilinearly. No
 * {@code [B, H, W, n]} intermediate; the only allocations are row buffers per thread. The spline's
 * solve is done elsewhere, in double precision.
 *
 * <p>Layouts: images {@code [B, H, W, C]} row-major; flows {@code [B, H, W, 2]}; splines in XY
 * order with values {@code (dx, dy)} (see {@code PointOrder}).
 */
public final class WarpKernelF64 {

  private WarpKernelF64() {}

  /**
   * Sparse warp: evaluates each batch element's spline on the pixel grid and samples the image at
   * {@code p − flow(p)}.
   *
   * @param image {@code [B, H, W, C]}
   * @param batch B
   * @param height H
   * @param width W
   * @param channels C
   * @param spline B splines over 2-D XY centers with values {@code (dx, dy)}
   * @param flowYx whether {@code flowOut} stores {@code (dy, dx)} instead of {@code (dx, dy)}
   * @param threads maximum threads
   * @param out {@code [B, H, W, C]} output, or null for the flow alone
   * @param flowOut {@code [B, H, W, 2]} output, may be null
   */
  public static void sparseWarp(
      double[] image,
      int batch,
      int height,
      int width,
      int channels,
      FittedSpline spline,
      boolean flowYx,
      int threads,
      double[] out,
      double[] flowOut) {
    int n = spline.centerCount();
    int order = spline.order();
    double[] cx = new double[batch * n];
    double[] cy = new double[batch * n];
    double[] wx = new double[batch * n];
    double[] wy = new double[batch * n];
    double[] c = spline.centers();
    double[] wts = spline.weights();
    for (int i = 0; i < batch * n; i++) {
      cx[i] = c[2 * i];
      cy[i] = c[2 * i + 1];
      wx[i] = wts[2 * i];
      wy[i] = wts[2 * i + 1];
    }
    double[] affine = spline.affine();
    Parallel.forRange(
        batch * height,
        threads,
        (from, to) -> {
          double[] xs = new double[width];
          for (int x = 0; x < width; x++) {
            xs[x] = x;
          }
          double[] sx = new double[width];
          double[] sy = new double[width];
          double[] tmp = new double[width];
          double[] fx = new double[width];
          double[] fy = new double[width];
          for (int row = from; row < to; row++) {
            int b = row / height;
            int y = row - b * height;
            Arrays.fill(sx, 0);
            Arrays.fill(sy, 0);
            for (int j = b * n, end = j + n; j < end; j++) {
              double cxj = cx[j];
              double dy = y - cy[j];
              double dy2 = dy * dy;
              double wxj = wx[j];
              double wyj = wy[j];
              if (order == 1) {
                for (int x = 0; x < width; x++) {
                  double dx = xs[x] - cxj;
                  double p = Math.sqrt(Math.max(dx * dx + dy2, Phi.EPS));
                  sx[x] += p * wxj;
                  sy[x] += p * wyj;
                }
              } else {
                for (int x = 0; x < width; x++) {
                  double dx = xs[x] - cxj;
                  tmp[x] = dx * dx + dy2;
                }
                Phi.applyInPlace(order, tmp, width);
                for (int x = 0; x < width; x++) {
                  sx[x] += tmp[x] * wxj;
                  sy[x] += tmp[x] * wyj;
                }
              }
            }
            int a = b * 6;
            double baseX = affine[a + 2] * y + affine[a + 4];
            double baseY = affine[a + 3] * y + affine[a + 5];
            for (int x = 0; x < width; x++) {
              fx[x] = (sx[x] + (affine[a] * x + baseX));
              fy[x] = (sy[x] + (affine[a + 1] * x + baseY));
            }
            if (flowOut != null) {
              int f = row * width * 2;
              double[] first = flowYx ? fy : fx;
              double[] second = flowYx ? fx : fy;
              for (int x = 0; x < width; x++) {
                flowOut[f + 2 * x] = first[x];
                flowOut[f + 2 * x + 1] = second[x];
              }
            }
            if (out != null) {
              sampleRow(image, b, y, height, width, channels, fx, fy, out);
            }
          }
        });
  }

  /**
   * Dense warp: samples the image at {@code p − flow(p)}.
   *
   * @param image {@code [B, H, W, C]}
   * @param flow {@code [B, H, W, 2]}
   * @param flowYx whether flow stores {@code (dy, dx)} instead of {@code (dx, dy)}
   * @param batch B
   * @param height H
   * @param width W
   * @param channels C
   * @param threads maximum threads
   * @param out {@code [B, H, W, C]} output
   */
  public static void denseWarp(
      double[] image,
      double[] flow,
      boolean flowYx,
      int batch,
      int height,
      int width,
      int channels,
      int threads,
      double[] out) {
    int ix = flowYx ? 1 : 0;
    int iy = 1 - ix;
    Parallel.forRange(
        batch * height,
        threads,
        (from, to) -> {
          double[] fx = new double[width];
          double[] fy = new double[width];
          for (int row = from; row < to; row++) {
            int b = row / height;
            int y = row - b * height;
            int f = row * width * 2;
            for (int x = 0; x < width; x++) {
              fx[x] = flow[f + 2 * x + ix];
              fy[x] = flow[f + 2 * x + iy];
            }
            sampleRow(image, b, y, height, width, channels, fx, fy, out);
          }
        });
  }

  /**
   * TFA's bilinear sampling of one output row at {@code (x − fx[x], y − fy[x])}. The clamped floor
   * is computed as {@code clamp((int) q, 0, size − 2)}: for q in (−1, 0) truncation gives 0 where
   * floor gives −1, and both clamp to 0, so this equals TFA's {@code clamp(floor(q))}.
   *
   * @param image {@code [B, H, W, C]}
   * @param b batch element
   * @param y output row
   * @param height H
   * @param width W
   * @param channels C
   * @param fx the row's x flow, W values
   * @param fy the row's y flow, W values
   * @param out {@code [B, H, W, C]} output; row y of element b is written
   */
  public static void sampleRow(
      double[] image,
      int b,
      int y,
      int height,
      int width,
      int channels,
      double[] fx,
      double[] fy,
      double[] out) {
    int maxX = width - 2;
    int maxY = height - 2;
    int rowStride = width * channels;
    int imageBase = b * height * rowStride;
    int o = (b * height + y) * rowStride;
    for (int x = 0; x < width; x++) {
      double qx = x - fx[x];
      double qy = y - fy[x];
      int ix = Math.min(Math.max((int) qx, 0), maxX);
      int iy = Math.min(Math.max((int) qy, 0), maxY);
      double ax = clamp01(qx - ix);
      double ay = clamp01(qy - iy);
      int tl = imageBase + iy * rowStride + ix * channels;
      int bl = tl + rowStride;
      if (channels == 3) {
        // RGB unrolled: about 1.5x faster than the general loop below
        for (int ch = 0; ch < 3; ch++) {
          double top = ax * (image[tl + 3 + ch] - image[tl + ch]) + image[tl + ch];
          double bottom = ax * (image[bl + 3 + ch] - image[bl + ch]) + image[bl + ch];
          out[o + ch] = ay * (bottom - top) + top;
        }
        o += 3;
        continue;
      }
      for (int ch = 0; ch < channels; ch++) {
        double topLeft = image[tl + ch];
        double topRight = image[tl + channels + ch];
        double bottomLeft = image[bl + ch];
        double bottomRight = image[bl + channels + ch];
        double top = ax * (topRight - topLeft) + topLeft;
        double bottom = ax * (bottomRight - bottomLeft) + bottomLeft;
        out[o++] = ay * (bottom - top) + top;
      }
    }
  }

  /** Clamps to [0, 1] with branches, which C2 compiles tighter than {@code Math.min/max}. */
  private static double clamp01(double v) {
    return v < 0 ? 0 : (v > 1 ? 1 : v);
  }
}
