package io.github.facenorm.core;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * An axis-aligned face rectangle in pixels, as a face detector reports it.
 *
 * <p>The box covers {@code [left, left + width) × [top, top + height)} in the coordinates of {@link
 * FaceImage} (x = column, y = row). dlib's inclusive integer rectangle {@code (l, t, r, b)} is
 * {@code FaceBox(l, t, r - l + 1, b - t + 1)}: see {@link #ofDlibRectangle} and {@link
 * #toDlibRectangle}. Boxes are not clipped to the image: detectors may report boxes that start at
 * negative coordinates or extend past the right or bottom edge.
 *
 * @param left x of the left edge
 * @param top y of the top edge
 * @param width width in pixels, positive
 * @param height height in pixels, positive
 * @param score the detector's confidence, if it gives one (its scale is the detector's own)
 */
public record FaceBox(double left, double top, double width, double height, OptionalDouble score) {

  /**
   * Validates the box.
   *
   * @param left x of the left edge
   * @param top y of the top edge
   * @param width width in pixels, positive
   * @param height height in pixels, positive
   * @param score the detector's confidence, or empty
   * @throws IllegalArgumentException if a coordinate is not finite or a size is not positive
   */
  public FaceBox {
    Objects.requireNonNull(score, "score");
    if (!Double.isFinite(left) || !Double.isFinite(top)) {
      throw new IllegalArgumentException(
          "left, top: expected finite values, got " + left + ", " + top);
    }
    if (!(width > 0 && height > 0 && Double.isFinite(width) && Double.isFinite(height))) {
      throw new IllegalArgumentException(
          "width, height: expected finite positive values, got " + width + ", " + height);
    }
  }

  /**
   * A box without a score.
   *
   * @param left x of the left edge
   * @param top y of the top edge
   * @param width width in pixels, positive
   * @param height height in pixels, positive
   */
  public FaceBox(double left, double top, double width, double height) {
    this(left, top, width, height, OptionalDouble.empty());
  }

  /**
   * Converts dlib's inclusive integer rectangle.
   *
   * @param left dlib {@code rect.left()}
   * @param top dlib {@code rect.top()}
   * @param right dlib {@code rect.right()}, inclusive, {@code >= left}
   * @param bottom dlib {@code rect.bottom()}, inclusive, {@code >= top}
   * @return {@code FaceBox(left, top, right - left + 1, bottom - top + 1)}
   */
  public static FaceBox ofDlibRectangle(long left, long top, long right, long bottom) {
    return new FaceBox(left, top, right - left + 1.0, bottom - top + 1.0);
  }

  /**
   * This box as dlib's inclusive integer rectangle: each edge rounded half up, {@code right =
   * round(left + width) - 1}, {@code bottom = round(top + height) - 1}.
   *
   * @return {@code {left, top, right, bottom}}
   */
  public long[] toDlibRectangle() {
    long l = roundHalfUp(left);
    long t = roundHalfUp(top);
    long r = roundHalfUp(left + width) - 1;
    long b = roundHalfUp(top + height) - 1;
    return new long[] {l, t, Math.max(l, r), Math.max(t, b)};
  }

  /**
   * A box with a detector's score.
   *
   * @param left x of the left edge
   * @param top y of the top edge
   * @param width width in pixels, positive
   * @param height height in pixels, positive
   * @param score the detector's confidence
   * @return the box
   */
  public static FaceBox scored(double left, double top, double width, double height, double score) {
    return new FaceBox(left, top, width, height, OptionalDouble.of(score));
  }

  /** x of the right edge, {@code left + width}. */
  public double right() {
    return left + width;
  }

  /** y of the bottom edge, {@code top + height}. */
  public double bottom() {
    return top + height;
  }

  /**
   * Intersection over union with another box.
   *
   * @param other the other box
   * @return the area of the intersection over that of the union, in {@code [0, 1]}
   */
  public double iou(FaceBox other) {
    double w = Math.max(0, Math.min(right(), other.right()) - Math.max(left, other.left));
    double h = Math.max(0, Math.min(bottom(), other.bottom()) - Math.max(top, other.top));
    double inter = w * h;
    return inter / (width * height + other.width * other.height - inter);
  }

  /** x of the box center. */
  public double centerX() {
    return left + width / 2;
  }

  /** y of the box center. */
  public double centerY() {
    return top + height / 2;
  }

  private static long roundHalfUp(double v) {
    return (long) Math.floor(v + 0.5);
  }
}
