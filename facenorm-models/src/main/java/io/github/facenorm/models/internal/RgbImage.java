package io.github.facenorm.models.internal;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A float RGB image in a plain array, channels last: {@code data[(y * width + x) * 3 + c]}, values
 * as face-api expects them (0..255). The eager preprocessing works on these.
 *
 * @param data the pixels, {@code height * width * 3} floats
 * @param height rows
 * @param width columns
 */
public record RgbImage(float[] data, int height, int width) {

  /** Checks the array length against the dimensions. */
  public RgbImage {
    if (height <= 0 || width <= 0 || data.length != height * width * 3) {
      throw new IllegalArgumentException(
          "RgbImage: "
              + height
              + "x"
              + width
              + "x3 needs "
              + height * width * 3
              + " floats, got "
              + data.length);
    }
  }

  /**
   * Copies an ND4J image.
   *
   * @param image {@code [H, W, 3]} or {@code [1, H, W, 3]}, any numeric type
   * @param argName the argument name for error messages
   * @return the image as float32
   */
  public static RgbImage of(INDArray image, String argName) {
    long[] s = image.shape();
    INDArray hwc = image;
    if (s.length == 4 && s[0] == 1) {
      hwc = image.reshape(s[1], s[2], s[3]);
    } else if (s.length != 3) {
      throw new IllegalArgumentException(
          argName + ": expected shape [H, W, 3] or [1, H, W, 3], got " + Arrays.toString(s));
    }
    long[] t = hwc.shape();
    if (t[2] != 3 || t[0] <= 0 || t[1] <= 0) {
      throw new IllegalArgumentException(
          argName + ": expected shape [H, W, 3] with H, W > 0, got " + Arrays.toString(s));
    }
    float[] data = hwc.castTo(DataType.FLOAT).dup('c').data().asFloat();
    return new RgbImage(data, (int) t[0], (int) t[1]);
  }

  /**
   * This image as a batch of one.
   *
   * @param type the element type
   * @return a new {@code [1, H, W, 3]} array
   */
  public INDArray toBatch(DataType type) {
    INDArray a = Nd4j.createFromArray(data).reshape('c', 1, height, width, 3);
    return type == DataType.FLOAT ? a : a.castTo(type);
  }

  /**
   * face-api's {@code tf.slice3d(img, [y, x, 0], [h, w, 3])}.
   *
   * @param x first column
   * @param y first row
   * @param w columns
   * @param h rows
   * @return the crop
   */
  public RgbImage crop(int x, int y, int w, int h) {
    if (x < 0 || y < 0 || w <= 0 || h <= 0 || x + w > width || y + h > height) {
      throw new IllegalArgumentException(
          "crop ("
              + x
              + ", "
              + y
              + ", "
              + w
              + "x"
              + h
              + ") outside the "
              + width
              + "x"
              + height
              + " image");
    }
    float[] out = new float[w * h * 3];
    for (int r = 0; r < h; r++) {
      System.arraycopy(data, ((y + r) * width + x) * 3, out, r * w * 3, w * 3);
    }
    return new RgbImage(out, h, w);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RgbImage r
        && r.height == height
        && r.width == width
        && Arrays.equals(r.data, data);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "RgbImage[" + width + "x" + height + "]";
  }
}
