package io.github.facenorm.augment;

import io.github.facenorm.core.Landmarks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The blending mask {@code M} of the gradient-domain compositing (paper Sec. 5.2): 1 inside the
 * convex hull of the mean landmarks, 0 outside, softened by a Gaussian blur. Pixel {@code (x, y)}
 * has its center at coordinates {@code (x, y)}, as landmarks do. Immutable.
 */
public final class BlendMask {

  private final int width;
  private final int height;
  private final float[] values;

  private BlendMask(int width, int height, float[] values) {
    this.width = width;
    this.height = height;
    this.values = values;
  }

  /**
   * The mask of a landmark set's convex hull.
   *
   * @param landmarks the (mean) landmarks, pixel coordinates
   * @param width mask width, at least 1
   * @param height mask height, at least 1
   * @param sigma the Gaussian blur's standard deviation in pixels, ≥ 0 (0: a hard mask)
   * @return the mask
   */
  public static BlendMask convexHull(Landmarks landmarks, int width, int height, double sigma) {
    Objects.requireNonNull(landmarks, "landmarks");
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException(
          "width, height: expected at least 1 × 1, got " + width + " × " + height);
    }
    if (!(sigma >= 0) || Double.isInfinite(sigma)) {
      throw new IllegalArgumentException("sigma: expected a finite value ≥ 0, got " + sigma);
    }
    double[][] hull = hull(landmarks);
    float[] m = new float[width * height];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        m[y * width + x] = inside(hull, x, y) ? 1f : 0f;
      }
    }
    return new BlendMask(width, height, blur(m, width, height, sigma));
  }

  /**
   * A mask from explicit values.
   *
   * @param width mask width
   * @param height mask height
   * @param values {@code [H, W]} row-major, each in {@code [0, 1]}
   * @return the mask (the array is copied)
   */
  public static BlendMask of(int width, int height, float[] values) {
    Objects.requireNonNull(values, "values");
    if (width < 1 || height < 1 || values.length != width * height) {
      throw new IllegalArgumentException(
          "values: expected "
              + width
              + " × "
              + height
              + " = "
              + ((long) width * height)
              + " values, got "
              + values.length);
    }
    for (int i = 0; i < values.length; i++) {
      if (!(values[i] >= 0 && values[i] <= 1)) {
        throw new IllegalArgumentException(
            "values: expected values in [0, 1], got " + values[i] + " at index " + i);
      }
    }
    return new BlendMask(width, height, values.clone());
  }

  /** Width in pixels. */
  public int width() {
    return width;
  }

  /** Height in pixels. */
  public int height() {
    return height;
  }

  /**
   * The mask value at a pixel.
   *
   * @param x column
   * @param y row
   * @return {@code M(x, y)} in {@code [0, 1]}
   */
  public float get(int x, int y) {
    Objects.checkIndex(x, width);
    Objects.checkIndex(y, height);
    return values[y * width + x];
  }

  /** The values, {@code [H, W]} row-major (a copy). */
  public float[] toArray() {
    return values.clone();
  }

  float[] values() {
    return values;
  }

  /** Andrew's monotone chain; counter-clockwise in (x, y), without repeated points. */
  private static double[][] hull(Landmarks l) {
    double[][] p = l.toArray();
    Arrays.sort(
        p, (a, b) -> a[0] != b[0] ? Double.compare(a[0], b[0]) : Double.compare(a[1], b[1]));
    List<double[]> h = new ArrayList<>();
    for (int pass = 0; pass < 2; pass++) {
      int start = h.size();
      for (int k = 0; k < p.length; k++) {
        double[] q = p[pass == 0 ? k : p.length - 1 - k];
        while (h.size() >= start + 2 && cross(h.get(h.size() - 2), h.get(h.size() - 1), q) <= 0) {
          h.remove(h.size() - 1);
        }
        h.add(q);
      }
      h.remove(h.size() - 1);
    }
    return h.toArray(new double[0][]);
  }

  private static double cross(double[] o, double[] a, double[] b) {
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  }

  private static boolean inside(double[][] hull, double x, double y) {
    if (hull.length < 3) {
      return false;
    }
    for (int i = 0; i < hull.length; i++) {
      double[] a = hull[i];
      double[] b = hull[(i + 1) % hull.length];
      if ((b[0] - a[0]) * (y - a[1]) - (b[1] - a[1]) * (x - a[0]) < 0) {
        return false;
      }
    }
    return true;
  }

  /** Separable Gaussian blur, radius ⌈3σ⌉, borders clamped. */
  private static float[] blur(float[] m, int w, int h, double sigma) {
    if (sigma == 0) {
      return m;
    }
    int r = (int) Math.ceil(3 * sigma);
    double[] k = new double[2 * r + 1];
    double sum = 0;
    for (int i = -r; i <= r; i++) {
      k[i + r] = Math.exp(-0.5 * i * i / (sigma * sigma));
      sum += k[i + r];
    }
    for (int i = 0; i < k.length; i++) {
      k[i] /= sum;
    }
    float[] tmp = new float[m.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double s = 0;
        for (int i = -r; i <= r; i++) {
          s += k[i + r] * m[y * w + Math.min(w - 1, Math.max(0, x + i))];
        }
        tmp[y * w + x] = (float) s;
      }
    }
    float[] out = new float[m.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double s = 0;
        for (int i = -r; i <= r; i++) {
          s += k[i + r] * tmp[Math.min(h - 1, Math.max(0, y + i)) * w + x];
        }
        out[y * w + x] = (float) Math.min(1, Math.max(0, s));
      }
    }
    return out;
  }
}
