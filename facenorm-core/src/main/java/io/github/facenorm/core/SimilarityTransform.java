package io.github.facenorm.core;

import java.util.Locale;

/**
 * A 2-D similarity transform (rotation, uniform scale, translation) of pixel coordinates:
 *
 * <pre>{@code
 * x' = a x - b y + tx
 * y' = b x + a y + ty
 * }</pre>
 *
 * <p>so {@code a = s cos θ}, {@code b = s sin θ} for scale {@code s} and rotation {@code θ}
 * (counter-clockwise in the usual x-right, y-up sense; because y points down in images, a positive
 * θ turns the picture clockwise on screen). Coordinates are those of {@link FaceImage}. {@link
 * Aligner} records the photo → aligned-face transform as one of these so results map back to the
 * photo with {@link #inverse()}.
 *
 * @param a {@code s cos θ}
 * @param b {@code s sin θ}
 * @param tx x translation
 * @param ty y translation
 */
public record SimilarityTransform(double a, double b, double tx, double ty) {

  /** The identity transform. */
  public static final SimilarityTransform IDENTITY = new SimilarityTransform(1, 0, 0, 0);

  /**
   * Validates the parameters.
   *
   * @param a {@code s cos θ}
   * @param b {@code s sin θ}
   * @param tx x translation
   * @param ty y translation
   * @throws IllegalArgumentException if a value is not finite or the scale is zero
   */
  public SimilarityTransform {
    if (!(Double.isFinite(a) && Double.isFinite(b) && Double.isFinite(tx) && Double.isFinite(ty))) {
      throw new IllegalArgumentException(
          "a, b, tx, ty: expected finite values, got " + a + ", " + b + ", " + tx + ", " + ty);
    }
    if (a == 0 && b == 0) {
      throw new IllegalArgumentException("a, b: the scale sqrt(a² + b²) must not be zero");
    }
  }

  /**
   * The transform that scales by {@code scale}, rotates by {@code radians} and then translates.
   *
   * @param scale {@code s > 0}
   * @param radians {@code θ}
   * @param tx x translation
   * @param ty y translation
   * @return the transform
   */
  public static SimilarityTransform of(double scale, double radians, double tx, double ty) {
    if (!(scale > 0 && Double.isFinite(scale))) {
      throw new IllegalArgumentException("scale: expected a finite value > 0, got " + scale);
    }
    return new SimilarityTransform(scale * Math.cos(radians), scale * Math.sin(radians), tx, ty);
  }

  /**
   * The unique similarity sending {@code p1 → q1} and {@code p2 → q2}.
   *
   * @param p1 first source point
   * @param p2 second source point, distinct from {@code p1}
   * @param q1 where {@code p1} goes
   * @param q2 where {@code p2} goes, distinct from {@code q1}
   * @return the transform
   * @throws IllegalArgumentException if the source or the target points coincide
   */
  public static SimilarityTransform fromTwoPoints(
      Landmarks.Point p1, Landmarks.Point p2, Landmarks.Point q1, Landmarks.Point q2) {
    double px = p2.x() - p1.x();
    double py = p2.y() - p1.y();
    double qx = q2.x() - q1.x();
    double qy = q2.y() - q1.y();
    double pp = px * px + py * py;
    if (!(pp > 0)) {
      throw new IllegalArgumentException("p1, p2: the source points coincide at " + p1);
    }
    if (!(qx * qx + qy * qy > 0)) {
      throw new IllegalArgumentException("q1, q2: the target points coincide at " + q1);
    }
    // (a + ib) = q / p as complex numbers.
    double a = (qx * px + qy * py) / pp;
    double b = (qy * px - qx * py) / pp;
    double tx = q1.x() - (a * p1.x() - b * p1.y());
    double ty = q1.y() - (b * p1.x() + a * p1.y());
    return new SimilarityTransform(a, b, tx, ty);
  }

  /**
   * Maps a point.
   *
   * @param x column coordinate
   * @param y row coordinate
   * @return the transformed point
   */
  public Landmarks.Point apply(double x, double y) {
    return new Landmarks.Point(a * x - b * y + tx, b * x + a * y + ty);
  }

  /**
   * Maps a point.
   *
   * @param p the point
   * @return the transformed point
   */
  public Landmarks.Point apply(Landmarks.Point p) {
    return apply(p.x(), p.y());
  }

  /**
   * Maps all 68 landmarks.
   *
   * @param landmarks the points
   * @return the transformed points
   */
  public Landmarks apply(Landmarks landmarks) {
    double[] xy = landmarks.toFlatArray();
    for (int i = 0; i < xy.length; i += 2) {
      double x = xy[i];
      double y = xy[i + 1];
      xy[i] = a * x - b * y + tx;
      xy[i + 1] = b * x + a * y + ty;
    }
    return Landmarks.of(xy);
  }

  /**
   * The inverse transform: {@code inverse().apply(apply(p)) == p} up to rounding.
   *
   * @return the inverse
   */
  public SimilarityTransform inverse() {
    double s2 = a * a + b * b;
    double ia = a / s2;
    double ib = -b / s2;
    return new SimilarityTransform(ia, ib, -(ia * tx - ib * ty), -(ib * tx + ia * ty));
  }

  /**
   * The composition "this, then {@code next}".
   *
   * @param next the transform applied second
   * @return {@code p ↦ next.apply(this.apply(p))}
   */
  public SimilarityTransform andThen(SimilarityTransform next) {
    return new SimilarityTransform(
        next.a * a - next.b * b,
        next.b * a + next.a * b,
        next.a * tx - next.b * ty + next.tx,
        next.b * tx + next.a * ty + next.ty);
  }

  /** The scale factor {@code s = sqrt(a² + b²)}. */
  public double scale() {
    return Math.hypot(a, b);
  }

  /** The rotation angle {@code θ = atan2(b, a)} in radians. */
  public double rotationRadians() {
    return Math.atan2(b, a);
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "SimilarityTransform[scale=%.6g, rotation=%.4f°, tx=%.4f, ty=%.4f]",
        scale(),
        Math.toDegrees(rotationRadians()),
        tx,
        ty);
  }
}
