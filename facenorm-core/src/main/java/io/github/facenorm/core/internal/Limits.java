package io.github.facenorm.core.internal;

import java.io.IOException;
import java.util.Locale;

/**
 * The size limits that keep one input from exhausting memory or time, in one place: every entry
 * point (image decoding, point files, the warp's control points) checks its input against them
 * before it allocates anything the input's size drives.
 *
 * <ul>
 *   <li>{@value #MAX_PIXELS_PROPERTY} (default {@value #DEFAULT_MAX_PIXELS}): pixels of a decoded
 *       image ({@code width × height}, from the file's header, before decoding). Decoding needs
 *       about 16 bytes per pixel (the decoder's image plus the float RGB copy), so the default
 *       needs up to ~0.8 GB of heap; at most {@value #MAX_PIXELS_CEILING}.
 *   <li>{@value #MAX_POINTS_PROPERTY} (default {@value #DEFAULT_MAX_POINTS}): points of one spline
 *       warp, the user's points plus the boundary points; the solve takes {@code O(n²)} memory and
 *       {@code O(n³)} time (4096 points: a 134 MB matrix, about a minute on 2 cores); at most
 *       {@value #MAX_POINTS_CEILING}, so that no size computed from it overflows an {@code int}.
 * </ul>
 *
 * <p>Both are system properties read at each check, so {@code -D} on the command line (for {@code
 * scripts/facenorm}: {@code FACENORM_JAVA_OPTS}) or {@link System#setProperty} raise them.
 */
public final class Limits {

  /** System property: the most pixels an image may have to be decoded. */
  public static final String MAX_PIXELS_PROPERTY = "facenorm.maxPixels";

  /** Default of {@link #MAX_PIXELS_PROPERTY}: 50 megapixels (an 8000 × 6000 photo fits). */
  public static final long DEFAULT_MAX_PIXELS = 50_000_000L;

  /** Largest accepted value of {@link #MAX_PIXELS_PROPERTY}: {@code 3 × pixels} fits an array. */
  public static final long MAX_PIXELS_CEILING = 700_000_000L;

  /** System property: the most points one spline warp may have, boundary points included. */
  public static final String MAX_POINTS_PROPERTY = "facenorm.maxPoints";

  /** Default of {@link #MAX_POINTS_PROPERTY}. */
  public static final int DEFAULT_MAX_POINTS = 4096;

  /** Largest accepted value of {@link #MAX_POINTS_PROPERTY}: {@code (n + 3)²} fits an int. */
  public static final int MAX_POINTS_CEILING = 46_000;

  private Limits() {}

  /**
   * The pixel limit in force.
   *
   * @return {@value #MAX_PIXELS_PROPERTY}, or its default
   * @throws IllegalArgumentException if the property is not a whole number in {@code [1, }{@value
   *     #MAX_PIXELS_CEILING}{@code ]}
   */
  public static long maxPixels() {
    return read(MAX_PIXELS_PROPERTY, DEFAULT_MAX_PIXELS, MAX_PIXELS_CEILING);
  }

  /**
   * The spline point limit in force.
   *
   * @return {@value #MAX_POINTS_PROPERTY}, or its default
   * @throws IllegalArgumentException if the property is not a whole number in {@code [1, }{@value
   *     #MAX_POINTS_CEILING}{@code ]}
   */
  public static int maxPoints() {
    return (int) read(MAX_POINTS_PROPERTY, DEFAULT_MAX_POINTS, MAX_POINTS_CEILING);
  }

  /**
   * Checks an image's size against a pixel limit.
   *
   * @param source what to call the image (a file name)
   * @param width its width from the header
   * @param height its height from the header
   * @param limit the most pixels allowed
   * @throws IOException if {@code width × height} exceeds the limit, saying both and how to raise
   *     the limit
   */
  public static void checkPixels(Object source, long width, long height, long limit)
      throws IOException {
    long pixels = width * height; // both < 2^32 from any header: no overflow
    if (pixels > limit) {
      throw new IOException(
          String.format(
              Locale.ROOT,
              "%s: %d × %d = %,d pixels is more than the limit of %,d; raise it with -D%s=N"
                  + " (scripts/facenorm: FACENORM_JAVA_OPTS) if the memory is there"
                  + " (about 16 bytes per pixel)",
              source,
              width,
              height,
              pixels,
              limit,
              MAX_PIXELS_PROPERTY));
    }
  }

  /**
   * Checks the size of a spline warp against the point limit in force, before anything is allocated
   * for it.
   *
   * @param what what to name in the message (an argument or a file)
   * @param points the user's control points
   * @param boundaryPerEdge boundary points per image edge ({@code 4 ×} this join the solve)
   * @throws IllegalArgumentException if a count is negative or {@code points + 4 × boundaryPerEdge}
   *     exceeds {@link #maxPoints()}, saying the limit and how to raise it
   */
  public static void checkSplinePoints(String what, long points, long boundaryPerEdge) {
    if (points < 0 || boundaryPerEdge < 0) {
      throw new IllegalArgumentException(
          what + ": point counts must not be negative, got " + points + " and " + boundaryPerEdge);
    }
    int limit = maxPoints();
    // Compare before multiplying: 4 × a huge count could overflow even a long.
    if (boundaryPerEdge > limit || points > limit || points + 4 * boundaryPerEdge > limit) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "%s: %d points + 4 × %d boundary points is more than the %d points one spline warp"
                  + " may have (its solve takes O(n²) memory and O(n³) time); raise the limit"
                  + " with -D%s=N (at most %d)",
              what,
              points,
              boundaryPerEdge,
              limit,
              MAX_POINTS_PROPERTY,
              MAX_POINTS_CEILING));
    }
  }

  private static long read(String property, long fallback, long ceiling) {
    String v = System.getProperty(property);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    long n;
    try {
      n = Long.parseLong(v.strip().replace("_", ""));
    } catch (NumberFormatException e) {
      n = -1;
    }
    if (n < 1 || n > ceiling) {
      throw new IllegalArgumentException(
          "-D" + property + ": expected a whole number from 1 to " + ceiling + ", got '" + v + "'");
    }
    return n;
  }
}
