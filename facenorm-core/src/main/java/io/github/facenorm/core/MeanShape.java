package io.github.facenorm.core;

import java.util.Objects;

/**
 * The mean landmark geometry {@code L̄} of a set of aligned faces (paper Sec. 2.2): each of the 68
 * points averaged over the set, in aligned-crop coordinates. {@link FaceDecomposition} warps
 * textures to it. Immutable; build one with {@link #of(Iterable)} or, when streaming, an {@link
 * Accumulator}.
 */
public final class MeanShape {

  private final Landmarks landmarks;
  private final long count;

  private MeanShape(Landmarks landmarks, long count) {
    this.landmarks = landmarks;
    this.count = count;
  }

  /**
   * The mean of a set of landmark sets, all in the same (aligned) coordinates.
   *
   * @param shapes at least one landmark set
   * @return their mean
   * @throws IllegalArgumentException if {@code shapes} is empty
   */
  public static MeanShape of(Iterable<Landmarks> shapes) {
    Objects.requireNonNull(shapes, "shapes");
    Accumulator acc = accumulator();
    for (Landmarks l : shapes) {
      acc.add(l);
    }
    return acc.mean();
  }

  /**
   * Wraps a known mean (e.g. one saved earlier).
   *
   * @param landmarks the mean landmarks
   * @param count how many shapes it averages, at least 1
   * @return the mean shape
   */
  public static MeanShape of(Landmarks landmarks, long count) {
    Objects.requireNonNull(landmarks, "landmarks");
    if (count < 1) {
      throw new IllegalArgumentException("count: expected at least 1 shape, got " + count);
    }
    return new MeanShape(landmarks, count);
  }

  /**
   * A new, empty accumulator.
   *
   * @return the accumulator
   */
  public static Accumulator accumulator() {
    return new Accumulator();
  }

  /** The mean landmarks {@code L̄}. */
  public Landmarks landmarks() {
    return landmarks;
  }

  /** How many landmark sets were averaged. */
  public long count() {
    return count;
  }

  @Override
  public String toString() {
    return "MeanShape[" + count + " faces, " + landmarks + "]";
  }

  /**
   * Sums landmark sets one at a time (in double precision) for a streaming mean. Not thread-safe.
   */
  public static final class Accumulator {
    private final double[] sum = new double[2 * Landmarks.COUNT];
    private long count;

    private Accumulator() {}

    /**
     * Adds one landmark set.
     *
     * @param landmarks the points
     * @return this accumulator
     */
    public Accumulator add(Landmarks landmarks) {
      Objects.requireNonNull(landmarks, "landmarks");
      double[] xy = landmarks.toFlatArray();
      for (int i = 0; i < xy.length; i++) {
        sum[i] += xy[i];
      }
      count++;
      return this;
    }

    /** How many landmark sets were added. */
    public long count() {
      return count;
    }

    /**
     * The mean of the sets added so far.
     *
     * @return the mean shape
     * @throws IllegalStateException if nothing was added
     */
    public MeanShape mean() {
      if (count == 0) {
        throw new IllegalStateException("no landmark sets were added: the mean is undefined");
      }
      double[] m = new double[sum.length];
      for (int i = 0; i < m.length; i++) {
        m[i] = sum[i] / count;
      }
      return new MeanShape(Landmarks.of(m), count);
    }
  }
}
