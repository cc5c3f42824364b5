package io.github.facenorm.core;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The 68 iBUG 300-W facial landmarks of one face, in pixel coordinates {@code (x, y)} of the image
 * they were found in (x = column, y = row, as {@link FaceImage}).
 *
 * <p><b>Left and right are the subject's</b>, as in the iBUG annotation: the subject's right eye
 * (points 36–41) appears on the <em>image's</em> left in a frontal photo. This holds for every
 * region name and every {@code left…}/{@code right…} method here.
 *
 * <p>Immutable. As an array the points have shape {@code [68, 2]} in {@link
 * io.github.facenorm.warp.PointOrder#XY} order.
 */
public final class Landmarks {

  /** Number of points in the iBUG scheme. */
  public static final int COUNT = 68;

  /**
   * A point in pixel coordinates.
   *
   * @param x column coordinate
   * @param y row coordinate
   */
  public record Point(double x, double y) {}

  /** Named groups of iBUG points, as half-open index ranges {@code [from, to)}. */
  public enum Region {
    /** Jaw line from the subject's right ear to the left: points 0–16. */
    JAW(0, 17),
    /** The subject's right eyebrow: 17–21. */
    RIGHT_BROW(17, 22),
    /** The subject's left eyebrow: 22–26. */
    LEFT_BROW(22, 27),
    /** Nose bridge (27–30) and lower nose (31–35). */
    NOSE(27, 36),
    /** The subject's right eye: 36–41. */
    RIGHT_EYE(36, 42),
    /** The subject's left eye: 42–47. */
    LEFT_EYE(42, 48),
    /** Outer lip (48–59) and inner lip (60–67). */
    MOUTH(48, 68);

    private final int from;
    private final int to;

    Region(int from, int to) {
      this.from = from;
      this.to = to;
    }

    /** First index of the region (inclusive). */
    public int from() {
      return from;
    }

    /** End index of the region (exclusive). */
    public int to() {
      return to;
    }

    /** Number of points in the region. */
    public int size() {
      return to - from;
    }
  }

  private final double[] xy;

  private Landmarks(double[] xy) {
    this.xy = xy;
  }

  /**
   * Landmarks from interleaved coordinates {@code x0, y0, x1, y1, …}.
   *
   * @param xy 136 finite values (copied)
   * @return the landmarks
   * @throws IllegalArgumentException if the length is not 136 or a value is not finite
   */
  public static Landmarks of(double[] xy) {
    Objects.requireNonNull(xy, "xy");
    if (xy.length != 2 * COUNT) {
      throw new IllegalArgumentException(
          "xy: expected " + (2 * COUNT) + " values (68 points x, y), got " + xy.length);
    }
    double[] copy = xy.clone();
    for (int i = 0; i < copy.length; i++) {
      if (!Double.isFinite(copy[i])) {
        throw new IllegalArgumentException(
            "xy: expected finite values, got " + copy[i] + " at index " + i);
      }
    }
    return new Landmarks(copy);
  }

  /**
   * Landmarks from a {@code double[68][2]} array of {@code (x, y)} rows.
   *
   * @param points 68 rows of 2 values
   * @return the landmarks
   * @throws IllegalArgumentException if the shape is not {@code [68, 2]} or a value is not finite
   */
  public static Landmarks fromArray(double[][] points) {
    Objects.requireNonNull(points, "points");
    if (points.length != COUNT) {
      throw new IllegalArgumentException(
          "points: expected shape [68, 2], got " + points.length + " rows");
    }
    double[] xy = new double[2 * COUNT];
    for (int i = 0; i < COUNT; i++) {
      if (points[i] == null || points[i].length != 2) {
        throw new IllegalArgumentException(
            "points: expected shape [68, 2], row " + i + " has not 2 values");
      }
      xy[2 * i] = points[i][0];
      xy[2 * i + 1] = points[i][1];
    }
    return of(xy);
  }

  /**
   * Landmarks from an ND4J array of shape {@code [68, 2]} or {@code [1, 68, 2]}, XY order.
   *
   * @param array the points
   * @return the landmarks
   * @throws IllegalArgumentException if the shape is wrong or a value is not finite
   */
  public static Landmarks fromINDArray(INDArray array) {
    Objects.requireNonNull(array, "array");
    long[] s = array.shape();
    boolean ok =
        (s.length == 2 && s[0] == COUNT && s[1] == 2)
            || (s.length == 3 && s[0] == 1 && s[1] == COUNT && s[2] == 2);
    if (!ok) {
      throw new IllegalArgumentException(
          "array: expected shape [68, 2] or [1, 68, 2], got " + Arrays.toString(s));
    }
    return of(array.castTo(DataType.DOUBLE).reshape('c', new long[] {2 * COUNT}).toDoubleVector());
  }

  /**
   * x of point {@code i}.
   *
   * @param i point index, 0..67
   * @return the column coordinate
   */
  public double x(int i) {
    return xy[2 * Objects.checkIndex(i, COUNT)];
  }

  /**
   * y of point {@code i}.
   *
   * @param i point index, 0..67
   * @return the row coordinate
   */
  public double y(int i) {
    return xy[2 * Objects.checkIndex(i, COUNT) + 1];
  }

  /**
   * Point {@code i}.
   *
   * @param i point index, 0..67
   * @return the point
   */
  public Point point(int i) {
    return new Point(x(i), y(i));
  }

  /**
   * The mean of a region's points.
   *
   * @param region the region
   * @return its centroid
   */
  public Point center(Region region) {
    double sx = 0;
    double sy = 0;
    for (int i = region.from(); i < region.to(); i++) {
      sx += xy[2 * i];
      sy += xy[2 * i + 1];
    }
    return new Point(sx / region.size(), sy / region.size());
  }

  /**
   * Center of the subject's left eye (mean of points 42–47; the image's right side for a frontal
   * face).
   *
   * @return the centroid
   */
  public Point leftEyeCenter() {
    return center(Region.LEFT_EYE);
  }

  /**
   * Center of the subject's right eye (mean of points 36–41; the image's left side for a frontal
   * face).
   *
   * @return the centroid
   */
  public Point rightEyeCenter() {
    return center(Region.RIGHT_EYE);
  }

  /**
   * The points as rows {@code (x, y)}.
   *
   * @return a new {@code double[68][2]}
   */
  public double[][] toArray() {
    double[][] out = new double[COUNT][2];
    for (int i = 0; i < COUNT; i++) {
      out[i][0] = xy[2 * i];
      out[i][1] = xy[2 * i + 1];
    }
    return out;
  }

  /**
   * The points interleaved.
   *
   * @return a new array {@code x0, y0, x1, y1, …} of length 136
   */
  public double[] toFlatArray() {
    return xy.clone();
  }

  /**
   * The points as an ND4J array.
   *
   * @return a new FLOAT array of shape {@code [68, 2]}, XY order
   */
  public INDArray toINDArray() {
    return toINDArray(DataType.FLOAT);
  }

  /**
   * The points as an ND4J array of a given data type.
   *
   * @param dataType a floating-point type
   * @return a new array of shape {@code [68, 2]}, XY order
   */
  public INDArray toINDArray(DataType dataType) {
    Objects.requireNonNull(dataType, "dataType");
    return Nd4j.createFromArray(xy.clone()).reshape('c', new long[] {COUNT, 2}).castTo(dataType);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Landmarks other && Arrays.equals(xy, other.xy);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(xy);
  }

  @Override
  public String toString() {
    Point r = rightEyeCenter();
    Point l = leftEyeCenter();
    return String.format(
        java.util.Locale.ROOT,
        "Landmarks[68 points, right eye (%.1f, %.1f), left eye (%.1f, %.1f)]",
        r.x(),
        r.y(),
        l.x(),
        l.y());
  }
}
