package io.github.facenorm.augment.internal;

import io.github.facenorm.core.FaceImage;
import io.github.facenorm.core.Landmarks;

/**
 * Area resampling (each output pixel averages the input area it covers, with fractional coverage at
 * its borders), separable; and the matching landmark map for pixel centers at integer coordinates:
 * {@code x' = (x + 0.5) · s − 0.5}.
 */
public final class AreaResize {

  private AreaResize() {}

  /**
   * Resizes an image.
   *
   * @param image the image
   * @param width the new width
   * @param height the new height
   * @return the resized image
   */
  public static FaceImage resize(FaceImage image, int width, int height) {
    if (image.width() == width && image.height() == height) {
      return image;
    }
    float[] src = image.toArray();
    float[] tmp = new float[image.height() * width * 3];
    // Along x.
    for (int y = 0; y < image.height(); y++) {
      resample(src, y * image.width() * 3, 3, image.width(), tmp, y * width * 3, 3, width);
    }
    float[] out = new float[height * width * 3];
    for (int x = 0; x < width; x++) {
      resample(tmp, x * 3, width * 3, image.height(), out, x * 3, width * 3, height);
    }
    for (int i = 0; i < out.length; i++) {
      out[i] = Math.min(1f, Math.max(0f, out[i]));
    }
    return FaceImage.of(width, height, out);
  }

  /** One line of 3 interleaved channels, {@code n} samples at stride {@code s} to {@code m}. */
  private static void resample(
      float[] in, int inOff, int inStride, int n, float[] out, int outOff, int outStride, int m) {
    double scale = (double) n / m;
    for (int j = 0; j < m; j++) {
      double lo = j * scale;
      double hi = (j + 1) * scale;
      double[] acc = new double[3];
      double wsum = 0;
      for (int i = (int) Math.floor(lo); i < Math.min(n, (int) Math.ceil(hi)); i++) {
        double w = Math.min(hi, i + 1) - Math.max(lo, i);
        if (w <= 0) {
          continue;
        }
        wsum += w;
        for (int c = 0; c < 3; c++) {
          acc[c] += w * in[inOff + i * inStride + c];
        }
      }
      for (int c = 0; c < 3; c++) {
        out[outOff + j * outStride + c] = (float) (acc[c] / wsum);
      }
    }
  }

  /**
   * Maps landmarks to a resized image.
   *
   * @param l the landmarks
   * @param sx new width over old width
   * @param sy new height over old height
   * @return the mapped landmarks
   */
  public static Landmarks scale(Landmarks l, double sx, double sy) {
    double[] xy = l.toFlatArray();
    for (int i = 0; i < Landmarks.COUNT; i++) {
      xy[2 * i] = (xy[2 * i] + 0.5) * sx - 0.5;
      xy[2 * i + 1] = (xy[2 * i + 1] + 0.5) * sy - 0.5;
    }
    return Landmarks.of(xy);
  }
}
