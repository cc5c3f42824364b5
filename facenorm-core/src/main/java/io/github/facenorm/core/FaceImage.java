package io.github.facenorm.core;

import io.github.facenorm.core.internal.ImageCodec;
import io.github.facenorm.core.internal.Limits;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An immutable RGB photo as floats in {@code [0, 1]}, shape {@code [H, W, 3]}.
 *
 * <p>Conventions, defined here once for the whole module:
 *
 * <ul>
 *   <li>Pixels are stored row-major and channel-interleaved: the value of channel {@code c} (0 =
 *       red, 1 = green, 2 = blue) at column {@code x}, row {@code y} is at index {@code (y * W + x)
 *       * 3 + c}, exactly the {@code [H, W, 3]} (NHWC without the batch) layout used by {@code
 *       io.github.facenorm.warp}.
 *   <li>Coordinates follow {@link io.github.facenorm.warp.PointOrder}: x is the column, y the row,
 *       integer positions are pixel centers, and the image spans {@code [0, W - 1] × [0, H - 1]}.
 *   <li>Values are sRGB-encoded (no gamma removal), in {@code [0, 1]}. An 8-bit value {@code b}
 *       becomes {@code b / 255f}; converting back ({@link #toBufferedImage()}, {@link #write},
 *       {@link #toRgb8()}) rounds {@code v * 255} to the nearest integer, so 8-bit photos round
 *       trip exactly.
 * </ul>
 *
 * <p>Construction rejects non-finite values and values outside {@code [0, 1]}; clamp network
 * outputs first.
 */
public final class FaceImage {

  /**
   * System property holding the most pixels ({@code width × height}) {@link #read(Path)} decodes;
   * default {@value #DEFAULT_MAX_PIXELS}. Raise it with {@code -Dfacenorm.maxPixels=N} when the
   * heap has room for about 16 bytes per pixel.
   */
  public static final String MAX_PIXELS_PROPERTY = Limits.MAX_PIXELS_PROPERTY;

  /** Default pixel limit of {@link #read(Path)}: 50 megapixels. */
  public static final long DEFAULT_MAX_PIXELS = Limits.DEFAULT_MAX_PIXELS;

  private final int width;
  private final int height;
  private final float[] rgb;

  private FaceImage(int width, int height, float[] rgb) {
    this.width = width;
    this.height = height;
    this.rgb = rgb;
  }

  /**
   * Wraps a copy of interleaved RGB values.
   *
   * @param width image width {@code W}, at least 1
   * @param height image height {@code H}, at least 1
   * @param rgb {@code [H, W, 3]} row-major interleaved values in {@code [0, 1]}, length {@code H *
   *     W * 3}
   * @return the image (the array is copied)
   * @throws IllegalArgumentException if a size is not positive, the length is wrong, or a value is
   *     not in {@code [0, 1]}
   */
  public static FaceImage of(int width, int height, float[] rgb) {
    Objects.requireNonNull(rgb, "rgb");
    checkSize(width, height);
    long expected = (long) width * height * 3;
    if (rgb.length != expected) {
      throw new IllegalArgumentException(
          "rgb: expected length H * W * 3 = "
              + height
              + " * "
              + width
              + " * 3 = "
              + expected
              + ", got "
              + rgb.length);
    }
    float[] copy = rgb.clone();
    checkRange(copy, "rgb");
    return new FaceImage(width, height, copy);
  }

  /**
   * Wraps a copy of 8-bit interleaved RGB bytes (unsigned, 0..255), shape {@code [H, W, 3]}.
   *
   * @param width image width {@code W}, at least 1
   * @param height image height {@code H}, at least 1
   * @param rgb8 {@code [H, W, 3]} row-major interleaved unsigned bytes, length {@code H * W * 3}
   * @return the image, with values {@code b / 255f}
   * @throws IllegalArgumentException if a size is not positive or the length is wrong
   */
  public static FaceImage ofRgb8(int width, int height, byte[] rgb8) {
    Objects.requireNonNull(rgb8, "rgb8");
    checkSize(width, height);
    long expected = (long) width * height * 3;
    if (rgb8.length != expected) {
      throw new IllegalArgumentException(
          "rgb8: expected length H * W * 3 = " + expected + ", got " + rgb8.length);
    }
    float[] v = new float[rgb8.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = (rgb8[i] & 0xFF) / 255f;
    }
    return new FaceImage(width, height, v);
  }

  /**
   * Reads a JPEG or PNG file. Grayscale images become three equal channels (their samples, no
   * color-space conversion); alpha is dropped; a JPEG's EXIF orientation tag is applied, so the
   * image is upright as a viewer would show it; 16-bit PNG samples are scaled by {@code 1 / 65535}.
   * The image may have at most {@link #MAX_PIXELS_PROPERTY} pixels (default {@value
   * #DEFAULT_MAX_PIXELS}), checked from its header before it is decoded.
   *
   * @param file the JPEG or PNG file (recognized by its content, not its name)
   * @return the decoded image
   * @throws IOException if the file cannot be read, is not a JPEG or PNG, is corrupt or truncated,
   *     is a CMYK JPEG, or has more pixels than the limit (the message names the file and the
   *     problem)
   */
  public static FaceImage read(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    ImageCodec.Decoded d = ImageCodec.read(file);
    return new FaceImage(d.width(), d.height(), d.rgb());
  }

  /**
   * Reads a JPEG or PNG file as {@link #read(Path)} does, with a given pixel limit instead of
   * {@link #MAX_PIXELS_PROPERTY}.
   *
   * @param file the JPEG or PNG file
   * @param maxPixels the most pixels ({@code width × height}) to decode, at least 1
   * @return the decoded image
   * @throws IOException as {@link #read(Path)}
   * @throws IllegalArgumentException if {@code maxPixels < 1}
   */
  public static FaceImage read(Path file, long maxPixels) throws IOException {
    Objects.requireNonNull(file, "file");
    ImageCodec.Decoded d = ImageCodec.read(file, maxPixels);
    return new FaceImage(d.width(), d.height(), d.rgb());
  }

  /**
   * Converts a {@link BufferedImage}. Gray images (any bit depth) become three equal channels read
   * from the raster, without color-space conversion; sRGB images are read from the raster and
   * scaled by their bit depth; anything else (indexed, other color spaces) goes through {@link
   * BufferedImage#getRGB}. Alpha is dropped.
   *
   * @param image the image
   * @return a {@code [H, W, 3]} copy
   */
  public static FaceImage fromBufferedImage(BufferedImage image) {
    Objects.requireNonNull(image, "image");
    float[] v = ImageCodec.toRgb(image);
    return new FaceImage(image.getWidth(), image.getHeight(), v);
  }

  /**
   * Converts an ND4J array of shape {@code [H, W, 3]} or {@code [1, H, W, 3]} (any floating-point
   * or integer data type; values in {@code [0, 1]}).
   *
   * @param array the pixels
   * @return a copy as a {@code FaceImage}
   * @throws IllegalArgumentException if the shape is not {@code [H, W, 3]} or {@code [1, H, W, 3]}
   *     or a value is outside {@code [0, 1]}
   */
  public static FaceImage fromINDArray(INDArray array) {
    Objects.requireNonNull(array, "array");
    long[] s = array.shape();
    boolean ok = (s.length == 3 && s[2] == 3) || (s.length == 4 && s[0] == 1 && s[3] == 3);
    if (!ok) {
      throw new IllegalArgumentException(
          "array: expected shape [H, W, 3] or [1, H, W, 3], got " + Arrays.toString(s));
    }
    long h = s[s.length - 3];
    long w = s[s.length - 2];
    if (h < 1 || w < 1 || h * w * 3 > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "array: H and W must be positive and H * W * 3 fit in an int, got shape "
              + Arrays.toString(s));
    }
    float[] v = array.castTo(DataType.FLOAT).reshape('c', new long[] {h * w * 3}).toFloatVector();
    checkRange(v, "array");
    return new FaceImage((int) w, (int) h, v);
  }

  /**
   * Writes the image atomically (a temporary file in the same directory, then a rename). The format
   * comes from the extension: {@code .png}, or {@code .jpg} / {@code .jpeg} (quality 0.95). Values
   * are rounded to 8 bits.
   *
   * @param file destination; its parent directory must exist
   * @throws IOException if writing fails
   * @throws IllegalArgumentException if the extension is not png, jpg or jpeg
   */
  public void write(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    ImageCodec.write(toBufferedImage(), file);
  }

  /**
   * A rectangle of this image.
   *
   * @param x first column, {@code >= 0}
   * @param y first row, {@code >= 0}
   * @param width columns, {@code >= 1}, with {@code x + width <= W}
   * @param height rows, {@code >= 1}, with {@code y + height <= H}
   * @return a new {@code [height, width, 3]} image
   * @throws IllegalArgumentException if the rectangle is empty or not inside the image
   */
  public FaceImage crop(int x, int y, int width, int height) {
    if (x < 0
        || y < 0
        || width < 1
        || height < 1
        || (long) x + width > this.width
        || (long) y + height > this.height) {
      throw new IllegalArgumentException(
          "crop: rectangle (x "
              + x
              + ", y "
              + y
              + ", "
              + width
              + " x "
              + height
              + ") is empty or not inside the "
              + this.width
              + " x "
              + this.height
              + " image");
    }
    float[] out = new float[width * height * 3];
    for (int r = 0; r < height; r++) {
      System.arraycopy(rgb, ((y + r) * this.width + x) * 3, out, r * width * 3, width * 3);
    }
    return new FaceImage(width, height, out);
  }

  /**
   * Converts to an 8-bit {@link BufferedImage#TYPE_INT_RGB} image.
   *
   * @return a new image, each channel {@code round(v * 255)}
   */
  public BufferedImage toBufferedImage() {
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int[] row = new int[width];
    for (int y = 0; y < height; y++) {
      int base = y * width * 3;
      for (int x = 0; x < width; x++) {
        int i = base + x * 3;
        row[x] = (to8(rgb[i]) << 16) | (to8(rgb[i + 1]) << 8) | to8(rgb[i + 2]);
      }
      out.setRGB(0, y, width, 1, row, 0, width);
    }
    return out;
  }

  /**
   * The pixels as 8-bit unsigned bytes, {@code [H, W, 3]} row-major interleaved.
   *
   * @return a new array, each value {@code round(v * 255)}
   */
  public byte[] toRgb8() {
    byte[] out = new byte[rgb.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) to8(rgb[i]);
    }
    return out;
  }

  /**
   * The pixels as an ND4J array.
   *
   * @return a new FLOAT array of shape {@code [1, H, W, 3]} (NHWC, batch of one)
   */
  public INDArray toINDArray() {
    return Nd4j.createFromArray(rgb.clone()).reshape('c', new long[] {1, height, width, 3});
  }

  /**
   * The pixels as a float array.
   *
   * @return a copy of the {@code [H, W, 3]} row-major interleaved values
   */
  public float[] toArray() {
    return rgb.clone();
  }

  /** Image width {@code W} in pixels. */
  public int width() {
    return width;
  }

  /** Image height {@code H} in pixels. */
  public int height() {
    return height;
  }

  /**
   * One channel of one pixel.
   *
   * @param x column, {@code 0 <= x < W}
   * @param y row, {@code 0 <= y < H}
   * @param c channel: 0 red, 1 green, 2 blue
   * @return the value in {@code [0, 1]}
   * @throws IndexOutOfBoundsException if an index is out of range
   */
  public float get(int x, int y, int c) {
    Objects.checkIndex(x, width);
    Objects.checkIndex(y, height);
    Objects.checkIndex(c, 3);
    return rgb[(y * width + x) * 3 + c];
  }

  /**
   * dlib's 8-bit intensity of a pixel: the channels rounded to 8 bits, then {@code (R + G + B) / 3}
   * in integer division, as dlib's {@code get_pixel_intensity} of an {@code rgb_pixel}. This is the
   * value dlib's shape predictor compares.
   *
   * @param x column, {@code 0 <= x < W}
   * @param y row, {@code 0 <= y < H}
   * @return the intensity, 0..255
   * @throws IndexOutOfBoundsException if an index is out of range
   */
  public int intensity8(int x, int y) {
    Objects.checkIndex(x, width);
    Objects.checkIndex(y, height);
    return intensity8Unchecked(x, y);
  }

  /**
   * The dlib intensity image ({@link #intensity8(int, int)} of every pixel), {@code [H, W]}
   * row-major, as floats 0..255.
   *
   * @return a new array of length {@code H * W}
   */
  public float[] gray() {
    float[] out = new float[width * height];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        out[y * width + x] = intensity8Unchecked(x, y);
      }
    }
    return out;
  }

  private int intensity8Unchecked(int x, int y) {
    int i = (y * width + x) * 3;
    return (to8(rgb[i]) + to8(rgb[i + 1]) + to8(rgb[i + 2])) / 3;
  }

  private static int to8(float v) {
    // v is in [0, 1] (checked at construction); +0.5 then truncation rounds half up.
    return (int) (v * 255f + 0.5f);
  }

  private static void checkSize(int width, int height) {
    if (width < 1 || height < 1 || (long) width * height * 3 > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "width, height: expected positive with W * H * 3 fitting in an int, got W = "
              + width
              + ", H = "
              + height);
    }
  }

  private static void checkRange(float[] v, String name) {
    for (int i = 0; i < v.length; i++) {
      float f = v[i];
      if (!(f >= 0f && f <= 1f)) {
        throw new IllegalArgumentException(
            name
                + ": expected values in [0, 1], got "
                + f
                + " at flat index "
                + i
                + " (pixel "
                + (i / 3)
                + ", channel "
                + (i % 3)
                + ")");
      }
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FaceImage other
        && width == other.width
        && height == other.height
        && Arrays.equals(rgb, other.rgb);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * width + height) + Arrays.hashCode(rgb);
  }

  @Override
  public String toString() {
    return "FaceImage[H=" + height + ", W=" + width + ", 3]";
  }
}
