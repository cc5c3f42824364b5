package io.github.facenorm.warp.internal;

/**
 * Reverse-mode derivative of TFA's bilinear sampling {@code out(p) = bilinear(I, p − flow(p))}, in
 * double precision: the image gradient is the transposed sampling (a scatter of {@code dL/dout}
 * with the bilinear weights) and the flow gradient is {@code −∇_q bilinear · dL/dout}.
 *
 * <p>TFA computes the fraction as {@code min(max(0, q − floor), 1)} with TensorFlow's max/min
 * gradients, so it carries a gradient to q exactly when {@code 0 < q − floor ≤ 1}; the floor itself
 * has none. This class reproduces that mask.
 */
public final class SamplingAdjoint {

  private SamplingAdjoint() {}

  /**
   * Computes the gradients.
   *
   * @param image {@code [B, H, W, C]}
   * @param flow {@code [B, H, W, 2]} with components {@code (dx, dy)}
   * @param gOut {@code dL/dout}, {@code [B, H, W, C]}
   * @param batch B
   * @param height H
   * @param width W
   * @param channels C
   * @param threads maximum threads
   * @param dImage output {@code dL/dI} {@code [B, H, W, C]}, or null if not wanted
   * @param dFlow output {@code dL/dflow} {@code [B, H, W, 2]} as {@code (dx, dy)}
   */
  public static void backward(
      double[] image,
      double[] flow,
      double[] gOut,
      int batch,
      int height,
      int width,
      int channels,
      int threads,
      double[] dImage,
      double[] dFlow) {
    int rows = batch * height;
    int parts = Math.max(1, Math.min(threads, rows / 8));
    int plane = height * width * channels;
    // one scatter buffer per part (the flow may send any pixel anywhere), summed afterwards
    double[][] scatter = new double[parts][];
    Parallel.forRange(
        parts,
        parts,
        (p0, p1) -> {
          for (int part = p0; part < p1; part++) {
            int r0 = (int) ((long) rows * part / parts);
            int r1 = (int) ((long) rows * (part + 1) / parts);
            double[] di =
                dImage == null
                    ? null
                    : (part == 0 ? dImage : ArrayPool.doubles(dImage.length, true));
            scatter[part] = di;
            rowsBackward(image, flow, gOut, height, width, channels, r0, r1, di, dFlow, plane);
          }
        });
    if (dImage != null) {
      for (int part = 1; part < parts; part++) {
        double[] s = scatter[part];
        for (int i = 0; i < s.length; i++) {
          dImage[i] += s[i];
        }
        ArrayPool.give(s);
      }
    }
  }

  private static void rowsBackward(
      double[] image,
      double[] flow,
      double[] gOut,
      int height,
      int width,
      int channels,
      int r0,
      int r1,
      double[] dImage,
      double[] dFlow,
      int plane) {
    int maxX = width - 2;
    int maxY = height - 2;
    int rowStride = width * channels;
    for (int row = r0; row < r1; row++) {
      int b = row / height;
      int y = row - b * height;
      int base = b * plane;
      for (int x = 0; x < width; x++) {
        int pix = row * width + x;
        double qx = x - flow[2 * pix];
        double qy = y - flow[2 * pix + 1];
        int ix = Math.min(Math.max((int) Math.floor(qx), 0), maxX);
        int iy = Math.min(Math.max((int) Math.floor(qy), 0), maxY);
        double rawX = qx - ix;
        double rawY = qy - iy;
        double ax = Math.min(Math.max(0, rawX), 1);
        double ay = Math.min(Math.max(0, rawY), 1);
        boolean liveX = rawX > 0 && rawX <= 1;
        boolean liveY = rawY > 0 && rawY <= 1;
        int tl = base + iy * rowStride + ix * channels;
        int bl = tl + rowStride;
        int o = pix * channels;
        double gx = 0;
        double gy = 0;
        for (int ch = 0; ch < channels; ch++) {
          double g = gOut[o + ch];
          if (g == 0) {
            continue;
          }
          double topLeft = image[tl + ch];
          double topRight = image[tl + channels + ch];
          double bottomLeft = image[bl + ch];
          double bottomRight = image[bl + channels + ch];
          double top = ax * (topRight - topLeft) + topLeft;
          double bottom = ax * (bottomRight - bottomLeft) + bottomLeft;
          gx += g * ((1 - ay) * (topRight - topLeft) + ay * (bottomRight - bottomLeft));
          gy += g * (bottom - top);
          if (dImage != null) {
            dImage[tl + ch] += (1 - ax) * (1 - ay) * g;
            dImage[tl + channels + ch] += ax * (1 - ay) * g;
            dImage[bl + ch] += (1 - ax) * ay * g;
            dImage[bl + channels + ch] += ax * ay * g;
          }
        }
        // q = p − flow: dL/dflow = −dL/dq
        dFlow[2 * pix] = liveX ? -gx : 0;
        dFlow[2 * pix + 1] = liveY ? -gy : 0;
      }
    }
  }
}
