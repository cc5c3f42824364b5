package io.github.facenorm.models.internal;

/**
 * face-api's {@code NetInput.toBatchTensor(size, isCenter)} for tensor inputs, in plain loops:
 * {@code padToSquare} (zero padding, before any mean subtraction) then, only if the square side
 * differs from {@code size}, tfjs' legacy {@code resizeBilinear} (alignCorners = false,
 * halfPixelCenters = false, no antialiasing), computed in double and stored as float32 like tfjs'
 * CPU kernel.
 */
public final class FaceApiPreprocess {
  private FaceApiPreprocess() {}

  /**
   * Pads the shorter side with zeros to a square, as face-api's {@code padToSquare}.
   *
   * @param img the image
   * @param center true for the face nets: {@code Math.round(diff / 2)} rows/columns appended at the
   *     bottom/right and the rest prepended; false for the detectors: all appended
   * @return the square image (the same instance if already square)
   */
  public static RgbImage padToSquare(RgbImage img, boolean center) {
    int h = img.height();
    int w = img.width();
    if (h == w) {
      return img;
    }
    int diff = Math.abs(h - w);
    int append = (int) Math.round(diff * (center ? 0.5 : 1.0));
    int prepend = diff - append;
    int side = Math.max(h, w);
    float[] out = new float[side * side * 3];
    int offY = h < w ? prepend : 0;
    int offX = w < h ? prepend : 0;
    float[] src = img.data();
    for (int r = 0; r < h; r++) {
      System.arraycopy(src, r * w * 3, out, ((r + offY) * side + offX) * 3, w * 3);
    }
    return new RgbImage(out, side, side);
  }

  /**
   * tfjs' legacy bilinear resize: for output row r, {@code src = r * inH / outH}, {@code y0 =
   * floor(src)}, {@code y1 = min(ceil(src), inH - 1)}; the same for columns.
   *
   * @param img the image
   * @param outH output rows
   * @param outW output columns
   * @return the resized image
   */
  public static RgbImage resizeBilinear(RgbImage img, int outH, int outW) {
    int inH = img.height();
    int inW = img.width();
    double hs = (double) inH / outH;
    double ws = (double) inW / outW;
    float[] src = img.data();
    float[] out = new float[outH * outW * 3];
    int[] x0 = new int[outW];
    int[] x1 = new int[outW];
    double[] fx = new double[outW];
    for (int c = 0; c < outW; c++) {
      double s = ws * c;
      x0[c] = (int) Math.floor(s);
      fx[c] = s - x0[c];
      x1[c] = Math.min(inW - 1, (int) Math.ceil(s));
    }
    for (int r = 0; r < outH; r++) {
      double s = hs * r;
      int y0 = (int) Math.floor(s);
      double fy = s - y0;
      int y1 = Math.min(inH - 1, (int) Math.ceil(s));
      for (int c = 0; c < outW; c++) {
        for (int ch = 0; ch < 3; ch++) {
          double tl = src[(y0 * inW + x0[c]) * 3 + ch];
          double tr = src[(y0 * inW + x1[c]) * 3 + ch];
          double bl = src[(y1 * inW + x0[c]) * 3 + ch];
          double br = src[(y1 * inW + x1[c]) * 3 + ch];
          double top = tl + (tr - tl) * fx[c];
          double bottom = bl + (br - bl) * fx[c];
          out[(r * outW + c) * 3 + ch] = (float) (top + (bottom - top) * fy);
        }
      }
    }
    return new RgbImage(out, outH, outW);
  }

  /**
   * {@code toBatchTensor(size, center)}: pad to square, then resize to {@code size x size} if
   * needed.
   *
   * @param img the image
   * @param size the net's input side
   * @param center see {@link #padToSquare}
   * @return a {@code size x size} image
   */
  public static RgbImage toNetInput(RgbImage img, int size, boolean center) {
    RgbImage sq = padToSquare(img, center);
    return sq.height() == size ? sq : resizeBilinear(sq, size, size);
  }
}
