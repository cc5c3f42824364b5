package io.github.facenorm.models.internal;

import io.github.facenorm.core.FaceBox;
import io.github.facenorm.core.FaceImage;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The input half of face-api's three nets, as a DJL translator keeps it beside a network: from
 * core's {@link FaceImage} (values 0..1) to the {@code [B, S, S, 3]} FLOAT tensor of values 0..255
 * that face-api's graphs take. This is face-api's {@code NetInput.toBatchTensor(size, isCenter)}
 * for tensor inputs, in plain loops: scale to 0..255 ({@code v * 255f}, exact for 8-bit photos),
 * {@code padToSquare} (zero padding) then, only if the square side differs from {@code size}, tfjs'
 * legacy {@code resizeBilinear} (alignCorners = false, halfPixelCenters = false, no antialiasing),
 * computed in double and stored as float32 like tfjs' CPU kernel. The output halves (box decoding,
 * landmark un-padding) are beside each net.
 *
 * <p>Pixel arrays here are {@code [H, W, 3]} row-major interleaved, as in {@link FaceImage}.
 */
public final class FaceApiTranslator {
  private FaceApiTranslator() {}

  /**
   * A face image as face-api's pixel values.
   *
   * @param image the image
   * @return {@code [H, W, 3]} values 0..255
   */
  public static float[] rgb255(FaceImage image) {
    float[] v = image.toArray();
    for (int i = 0; i < v.length; i++) {
      v[i] *= 255f;
    }
    return v;
  }

  /**
   * face-api's net input for one image: {@code toBatchTensor(size, center)}.
   *
   * @param image the image
   * @param size the net's input side
   * @param center see {@link #padToSquare}
   * @return {@code [1, size, size, 3]} FLOAT, values 0..255
   */
  public static INDArray toNetInput(FaceImage image, int size, boolean center) {
    return toNetInput(List.of(image), size, center);
  }

  /**
   * face-api's net input for a batch of images of any sizes.
   *
   * @param images the images, at least one
   * @param size the net's input side
   * @param center see {@link #padToSquare}
   * @return {@code [B, size, size, 3]} FLOAT, values 0..255
   * @throws IllegalArgumentException if there is no image
   */
  public static INDArray toNetInput(List<FaceImage> images, int size, boolean center) {
    if (images.isEmpty()) {
      throw new IllegalArgumentException("images: expected at least one image");
    }
    int n = size * size * 3;
    float[] out = new float[images.size() * n];
    for (int b = 0; b < images.size(); b++) {
      FaceImage img = images.get(b);
      float[] one = squareAndResize(rgb255(img), img.height(), img.width(), size, center);
      System.arraycopy(one, 0, out, b * n, n);
    }
    return Nd4j.createFromArray(out).reshape('c', images.size(), size, size, 3);
  }

  /**
   * Pad to a square, then resize to {@code size x size} if the square's side is not {@code size}.
   *
   * @param data {@code [h, w, 3]} values
   * @param h rows
   * @param w columns
   * @param size output side
   * @param center see {@link #padToSquare}
   * @return {@code [size, size, 3]} values
   */
  public static float[] squareAndResize(float[] data, int h, int w, int size, boolean center) {
    float[] sq = padToSquare(data, h, w, center);
    int side = Math.max(h, w);
    return side == size ? sq : resizeBilinear(sq, side, side, size, size);
  }

  /**
   * Pads the shorter side with zeros to a square, as face-api's {@code padToSquare}.
   *
   * @param data {@code [h, w, 3]} values
   * @param h rows
   * @param w columns
   * @param center true for the face nets: {@code Math.round(diff / 2)} rows/columns appended at the
   *     bottom/right and the rest prepended; false for the detector: all appended
   * @return {@code [s, s, 3]} with {@code s = max(h, w)} (the same array if already square)
   */
  public static float[] padToSquare(float[] data, int h, int w, boolean center) {
    if (h == w) {
      return data;
    }
    int diff = Math.abs(h - w);
    int append = (int) Math.round(diff * (center ? 0.5 : 1.0));
    int prepend = diff - append;
    int side = Math.max(h, w);
    float[] out = new float[side * side * 3];
    int offY = h < w ? prepend : 0;
    int offX = w < h ? prepend : 0;
    for (int r = 0; r < h; r++) {
      System.arraycopy(data, r * w * 3, out, ((r + offY) * side + offX) * 3, w * 3);
    }
    return out;
  }

  /**
   * tfjs' legacy bilinear resize: for output row r, {@code src = r * inH / outH}, {@code y0 =
   * floor(src)}, {@code y1 = min(ceil(src), inH - 1)}; the same for columns.
   *
   * @param src {@code [inH, inW, 3]} values
   * @param inH input rows
   * @param inW input columns
   * @param outH output rows
   * @param outW output columns
   * @return {@code [outH, outW, 3]} values
   */
  public static float[] resizeBilinear(float[] src, int inH, int inW, int outH, int outW) {
    double hs = (double) inH / outH;
    double ws = (double) inW / outW;
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
    return out;
  }

  /**
   * face-api's {@code extractFaceTensors} box: {@code detection.forSize(W, H).box}, a
   * relative/absolute round trip kept so that floors downstream agree with face-api's.
   *
   * @param box the box in pixels
   * @param width image width
   * @param height image height
   * @return the round-tripped box
   */
  public static FaceBox roundTrip(FaceBox box, int width, int height) {
    return new FaceBox(
        box.left() * (1.0 / width) * width,
        box.top() * (1.0 / height) * height,
        box.width() * (1.0 / width) * width,
        box.height() * (1.0 / height) * height,
        box.score());
  }

  /**
   * face-api's {@code Box.clipAtImageBorders(W, H)} followed by {@code floor()}.
   *
   * @param box the box
   * @param width image width
   * @param height image height
   * @return {@code [x, y, w, h]}
   * @throws IllegalArgumentException if nothing is left
   */
  public static int[] clipAndFloor(FaceBox box, int width, int height) {
    double cx = Math.max(box.left(), 0);
    double cy = Math.max(box.top(), 0);
    double cw = Math.min(box.right() - cx, width - cx);
    double ch = Math.min(box.bottom() - cy, height - cy);
    int[] r = {
      (int) Math.floor(cx), (int) Math.floor(cy), (int) Math.floor(cw), (int) Math.floor(ch)
    };
    if (r[2] <= 0 || r[3] <= 0) {
      throw new IllegalArgumentException(
          "face: box " + box + " does not overlap the " + width + "x" + height + " image");
    }
    return r;
  }
}
