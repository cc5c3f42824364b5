package io.github.facenorm.core.internal;

/**
 * Image statistics over a rectangle of an interleaved RGB image, as plain loops (a slow, obvious
 * reference for each lives in the tests).
 */
public final class ImageStats {

  private ImageStats() {}

  /**
   * Variance of the 4-neighbour Laplacian {@code [[0, 1, 0], [1, −4, 1], [0, 1, 0]]} (OpenCV's
   * {@code Laplacian} with {@code ksize = 1}) of the Rec. 601 luma {@code 0.299 R + 0.587 G + 0.114
   * B} in 8-bit units (0..255), over the pixels of {@code [x0, x1) × [y0, y1)} whose four
   * neighbours are inside the image.
   *
   * @param rgb {@code [h, w, 3]} interleaved in {@code [0, 1]}
   * @param w width
   * @param h height
   * @param x0 first column
   * @param y0 first row
   * @param x1 end column (exclusive)
   * @param y1 end row (exclusive)
   * @return the variance, or 0 if no pixel qualifies
   */
  public static double laplacianVariance(
      float[] rgb, int w, int h, int x0, int y0, int x1, int y1) {
    int ax = Math.max(1, x0);
    int ay = Math.max(1, y0);
    int bx = Math.min(w - 1, x1);
    int by = Math.min(h - 1, y1);
    if (ax >= bx || ay >= by) {
      return 0;
    }
    // Luma of rows ay-1 .. by (inclusive), columns ax-1 .. bx (inclusive).
    int cw = bx - ax + 2;
    int ch = by - ay + 2;
    double[] luma = new double[cw * ch];
    for (int j = 0; j < ch; j++) {
      int y = ay - 1 + j;
      for (int i = 0; i < cw; i++) {
        int p = (y * w + ax - 1 + i) * 3;
        luma[j * cw + i] = 255.0 * (0.299 * rgb[p] + 0.587 * rgb[p + 1] + 0.114 * rgb[p + 2]);
      }
    }
    double sum = 0;
    double sum2 = 0;
    long n = 0;
    for (int j = 1; j < ch - 1; j++) {
      for (int i = 1; i < cw - 1; i++) {
        int q = j * cw + i;
        double lap = luma[q - 1] + luma[q + 1] + luma[q - cw] + luma[q + cw] - 4 * luma[q];
        sum += lap;
        sum2 += lap * lap;
        n++;
      }
    }
    double mean = sum / n;
    return Math.max(0, sum2 / n - mean * mean);
  }

  /**
   * Mean chroma {@code max(R, G, B) − min(R, G, B)} over {@code [x0, x1) × [y0, y1)} (clipped to
   * the image): 0 for a gray image, about 0.1–0.3 for skin in color photos.
   *
   * @param rgb {@code [h, w, 3]} interleaved in {@code [0, 1]}
   * @param w width
   * @param h height
   * @param x0 first column
   * @param y0 first row
   * @param x1 end column (exclusive)
   * @param y1 end row (exclusive)
   * @return the mean chroma in {@code [0, 1]}, or 0 for an empty rectangle
   */
  public static double meanChroma(float[] rgb, int w, int h, int x0, int y0, int x1, int y1) {
    int ax = Math.max(0, x0);
    int ay = Math.max(0, y0);
    int bx = Math.min(w, x1);
    int by = Math.min(h, y1);
    if (ax >= bx || ay >= by) {
      return 0;
    }
    double sum = 0;
    for (int y = ay; y < by; y++) {
      for (int x = ax; x < bx; x++) {
        int p = (y * w + x) * 3;
        float r = rgb[p];
        float g = rgb[p + 1];
        float b = rgb[p + 2];
        sum += Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b));
      }
    }
    return sum / ((double) (bx - ax) * (by - ay));
  }

  /**
   * Per-channel means over {@code [x0, x1) × [y0, y1)} (clipped to the image).
   *
   * @param rgb {@code [h, w, 3]} interleaved
   * @param w width
   * @param h height
   * @param x0 first column
   * @param y0 first row
   * @param x1 end column (exclusive)
   * @param y1 end row (exclusive)
   * @return {@code {mean R, mean G, mean B}}
   * @throws IllegalArgumentException if the clipped rectangle is empty
   */
  public static double[] channelMeans(float[] rgb, int w, int h, int x0, int y0, int x1, int y1) {
    int ax = Math.max(0, x0);
    int ay = Math.max(0, y0);
    int bx = Math.min(w, x1);
    int by = Math.min(h, y1);
    if (ax >= bx || ay >= by) {
      throw new IllegalArgumentException(
          "box: [" + x0 + ", " + x1 + ") × [" + y0 + ", " + y1 + ") misses the image");
    }
    double[] m = new double[3];
    for (int y = ay; y < by; y++) {
      for (int x = ax; x < bx; x++) {
        int p = (y * w + x) * 3;
        m[0] += rgb[p];
        m[1] += rgb[p + 1];
        m[2] += rgb[p + 2];
      }
    }
    double n = (double) (bx - ax) * (by - ay);
    m[0] /= n;
    m[1] /= n;
    m[2] /= n;
    return m;
  }
}
