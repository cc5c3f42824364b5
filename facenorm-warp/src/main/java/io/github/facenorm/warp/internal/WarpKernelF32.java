package io.github.facenorm.warp.internal;

import java.util.Arrays;

// Generated from WarpKernel.java.template by GenerateWarpKernels; do not edit.
/**
 * The fused single-precision warp kernel: per image row, the spline flow is summed center by center
 * over the whole row (x innermost, so the loop vectorises), then the row is sampled bilinearly. No
 * {@code [B, H, W, n]} intermediate; the only allocations are row buffers per thread. The spline's
 * solve is done elsewhere, in double precision.
 *
 * <p>Layouts: images {@code [B, H, W, C]} row-major; flows {@code [B, H, W, 2]}; splines in XY
 * order with values {@code (dx, dy)} (see {@code PointOrder}).
 */
public final class WarpKernelF32 {

  private WarpKernelF32() {}

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
      float[] image,
      int batch,
      int height,
      int width,
      int channels,
      FittedSpline spline,
      boolean flowYx,
      int threads,
      float[] out,
      float[] flowOut) {
    int n = spline.centerCount();
    int order = spline.order();
    float[] cx = new float[batch * n];
    float[] cy = new float[batch * n];
    float[] wx = new float[batch * n];
    float[] wy = new float[batch * n];
    double[] c = spline.centers();
    double[] wts = spline.weights();
    for (int i = 0; i < batch * n; i++) {
      cx[i] = (float) c[2 * i];
      cy[i] = (float) c[2 * i + 1];
      wx[i] = (float) wts[2 * i];
      wy[i] = (float) wts[2 * i + 1];
    }
    double[] affine = spline.affine();
    Parallel.forRange(
        batch * height,
        threads,
        (from, to) -> {
          float[] xs = new float[width];
          for (int x = 0; x < width; x++) {
            xs[x] = x;
          }
          float[] sx = new float[width];
          float[] sy = new float[width];
          float[] tmp = new float[width];
          float[] fx = new float[width];
          float[] fy = new float[width];
          for (int row = from; row < to; row++) {
            int b = row / height;
            int y = row - b * height;
            Arrays.fill(sx, 0);
            Arrays.fill(sy, 0);
            for (int j = b * n, end = j + n; j < end; j++) {
              float cxj = cx[j];
              float dy = y - cy[j];
              float dy2 = dy * dy;
              float wxj = wx[j];
              float wyj = wy[j];
              if (order == 1) {
                for (int x = 0; x < width; x++) {
                  float dx = xs[x] - cxj;
                  float p = (float) Math.sqrt(Math.max(dx * dx + dy2, Phi.EPS_F));
                  sx[x] += p * wxj;
                  sy[x] += p * wyj;
                }
              } else {
                for (int x = 0; x < width; x++) {
                  float dx = xs[x] - cxj;
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
              fx[x] = (float) (sx[x] + (affine[a] * x + baseX));
              fy[x] = (float) (sy[x] + (affine[a + 1] * x + baseY));
            }
            if (flowOut != null) {
              int f = row * width * 2;
              float[] first = flowYx ? fy : fx;
              float[] second = flowYx ? fx : fy;
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
      float[] image,
      float[] flow,
      boolean flowYx,
      int batch,
      int height,
      int width,
      int channels,
      int threads,
      float[] out) {
    int ix = flowYx ? 1 : 0;
    int iy = 1 - ix;
    Parallel.forRange(
        batch * height,
        threads,
        (from, to) -> {
          float[] fx = new float[width];
          float[] fy = new float[width];
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
      float[] image,
      int b,
      int y,
      int height,
      int width,
      int channels,
      float[] fx,
      float[] fy,
      float[] out) {
    int maxX = width - 2;
    int maxY = height - 2;
    int rowStride = width * channels;
    int imageBase = b * height * rowStride;
    int o = (b * height + y) * rowStride;
    for (int x = 0; x < width; x++) {
      float qx = x - fx[x];
      float qy = y - fy[x];
      int ix = Math.min(Math.max((int) qx, 0), maxX);
      int iy = Math.min(Math.max((int) qy, 0), maxY);
      float ax = clamp01(qx - ix);
      float ay = clamp01(qy - iy);
      int tl = imageBase + iy * rowStride + ix * channels;
      int bl = tl + rowStride;
      if (channels == 3) {
        // RGB unrolled: about 1.5x faster than the general loop below
        for (int ch = 0; ch < 3; ch++) {
          float top = ax * (image[tl + 3 + ch] - image[tl + ch]) + image[tl + ch];
          float bottom = ax * (image[bl + 3 + ch] - image[bl + ch]) + image[bl + ch];
          out[o + ch] = ay * (bottom - top) + top;
        }
        o += 3;
        continue;
      }
      for (int ch = 0; ch < channels; ch++) {
        float topLeft = image[tl + ch];
        float topRight = image[tl + channels + ch];
        float bottomLeft = image[bl + ch];
        float bottomRight = image[bl + channels + ch];
        float top = ax * (topRight - topLeft) + topLeft;
        float bottom = ax * (bottomRight - bottomLeft) + bottomLeft;
        out[o++] = ay * (bottom - top) + top;
      }
    }
  }

  /** Clamps to [0, 1] with branches, which C2 compiles tighter than {@code Math.min/max}. */
  private static float clamp01(float v) {
    return v < 0 ? 0 : (v > 1 ? 1 : v);
  }
}
