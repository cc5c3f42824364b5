package io.github.facenorm.augment;

import io.github.facenorm.core.FaceImage;
import io.github.facenorm.core.Landmarks;
import java.util.Objects;

/**
 * One face to morph (paper Sec. 5.1): its texture {@code T} (the face warped so its landmarks sit
 * on the mean landmarks {@code L̄}, as {@link io.github.facenorm.core.FaceDecomposition} makes it),
 * its landmarks {@code L} in the same crop coordinates, and an id naming where it came from (e.g.
 * an identity average or a photo).
 *
 * @param id a name for the face, recorded in every sample made from it
 * @param texture {@code T}, {@code [H, W, 3]}
 * @param landmarks {@code L}, crop coordinates
 */
public record MorphFace(String id, FaceImage texture, Landmarks landmarks) {

  /**
   * Checks that no component is null.
   *
   * @param id the face's name
   * @param texture {@code T}
   * @param landmarks {@code L}
   */
  public MorphFace {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(texture, "texture");
    Objects.requireNonNull(landmarks, "landmarks");
  }
}
