package io.github.facenorm.models.eval;

import java.util.Arrays;

/**
 * The identity descriptor of one photo.
 *
 * @param values the descriptor (128 values for face-api's recognition net)
 * @param fallback true when no face was detected and the descriptor was computed on a fallback
 *     region (see {@link SubjectDescriber})
 */
public record PhotoDescriptor(float[] values, boolean fallback) {

  /** Checks that the descriptor is non-empty and finite, and copies it. */
  public PhotoDescriptor {
    if (values == null || values.length == 0) {
      throw new IllegalArgumentException("values: expected a non-empty descriptor");
    }
    values = values.clone();
    for (int i = 0; i < values.length; i++) {
      if (!Float.isFinite(values[i])) {
        throw new IllegalArgumentException(
            "values: expected finite numbers, got " + values[i] + " at index " + i);
      }
    }
  }

  /**
   * A copy of the descriptor.
   *
   * @return the values
   */
  @Override
  public float[] values() {
    return values.clone();
  }

  /**
   * Euclidean distance to another descriptor, in double precision.
   *
   * @param other a descriptor of the same length
   * @return {@code ||this - other||}
   * @throws IllegalArgumentException if the lengths differ
   */
  public double distance(PhotoDescriptor other) {
    if (other.values.length != values.length) {
      throw new IllegalArgumentException(
          "other: expected a descriptor of length "
              + values.length
              + ", got "
              + other.values.length);
    }
    double s = 0;
    for (int i = 0; i < values.length; i++) {
      double d = (double) values[i] - other.values[i];
      s += d * d;
    }
    return Math.sqrt(s);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PhotoDescriptor p
        && p.fallback == fallback
        && Arrays.equals(p.values, values);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(values) + Boolean.hashCode(fallback);
  }

  @Override
  public String toString() {
    return "PhotoDescriptor[" + values.length + " values" + (fallback ? ", fallback" : "") + "]";
  }
}
