package io.github.facenorm.core.internal;

/**
 * Resampling of interleaved RGB images through a similarity transform, as plain loops.
 *
 * <p>Bilinear sampling follows {@code io.github.facenorm.warp.DenseImageWarp}: the floor of each
 * coordinate is clamped to {@code [0, size − 2]} and the fraction to {@code [0, 1]}, so samples
 * outside the photo take the nearest edge value.
 */
public final class Resample {

  private Resample() {}

  /**
   * Fills an output image whose pixel {@code (u, v)} is the photo at {@code inv(u, v)}, with {@code
   * inv(u, v) = (ia u − ib v + itx, ib u + ia v + ity)}. With {@code k > 1}, each output pixel is
   * the mean of {@code k × k} bilinear samples spread evenly over it (a box prefilter for
   * shrinking).
   *
   * @param src {@code [h, w, 3]} interleaved, {@code w, h ≥ 2}
   * @param w photo width
   * @param h photo height
   * @param ia inverse transform coefficient a
   * @param ib inverse transform coefficient b
   * @param itx inverse transform x translation
   * @param ity inverse transform y translation
   * @param k samples per output pixel and axis, ≥ 1
   * @param outW output width
   * @param outH output height
   * @return {@code [outH, outW, 3]} interleaved, values within the photo's range
   */
  public static float[] similarity(
      float[] src,
      int w,
      int h,
      double ia,
      double ib,
      double itx,
      double ity,
      int k,
      int outW,
      int outH) {
    float[] out = new float[outW * outH * 3];
    double[] offs = new double[k];
    for (int i = 0; i < k; i++) {
      offs[i] = (i + 0.5) / k - 0.5;
    }
    float inv = 1f / (k * k);
    for (int v = 0; v < outH; v++) {
      for (int u = 0; u < outW; u++) {
        float r = 0;
        float g = 0;
        float bl = 0;
        for (int sj = 0; sj < k; sj++) {
          double vv = v + offs[sj];
          for (int si = 0; si < k; si++) {
            double uu = u + offs[si];
            double x = ia * uu - ib * vv + itx;
            double y = ib * uu + ia * vv + ity;
            double fx0 = Math.floor(x);
            double fy0 = Math.floor(y);
            int x0 = (int) Math.max(0, Math.min(w - 2, fx0));
            int y0 = (int) Math.max(0, Math.min(h - 2, fy0));
            float ax = (float) Math.max(0, Math.min(1, x - x0));
            float ay = (float) Math.max(0, Math.min(1, y - y0));
            int i00 = (y0 * w + x0) * 3;
            int i10 = i00 + 3;
            int i01 = i00 + w * 3;
            int i11 = i01 + 3;
            float w00 = (1 - ax) * (1 - ay);
            float w10 = ax * (1 - ay);
            float w01 = (1 - ax) * ay;
            float w11 = ax * ay;
            r += w00 * src[i00] + w10 * src[i10] + w01 * src[i01] + w11 * src[i11];
            g += w00 * src[i00 + 1] + w10 * src[i10 + 1] + w01 * src[i01 + 1] + w11 * src[i11 + 1];
            bl += w00 * src[i00 + 2] + w10 * src[i10 + 2] + w01 * src[i01 + 2] + w11 * src[i11 + 2];
          }
        }
        int o = (v * outW + u) * 3;
        out[o] = clamp01(r * inv);
        out[o + 1] = clamp01(g * inv);
        out[o + 2] = clamp01(bl * inv);
      }
    }
    return out;
  }

  /**
   * Clamps to {@code [0, 1]}: float rounding in a convex combination can overshoot by an ulp.
   *
   * @param v a value
   * @return {@code v} clamped to {@code [0, 1]}
   */
  public static float clamp01(float v) {
    return v < 0f ? 0f : (v > 1f ? 1f : v);
  }
}
