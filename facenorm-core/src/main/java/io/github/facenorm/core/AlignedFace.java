package io.github.facenorm.core;

import java.util.Objects;

/**
 * A face cropped and aligned by {@link Aligner}: roll undone, scaled to a fixed interocular
 * distance, eyes at fixed positions.
 *
 * @param image the aligned crop, {@code [H, W, 3]} (224 × 224 by default)
 * @param landmarks the face's 68 landmarks in the coordinates of {@code image}
 * @param transform photo → aligned-crop coordinates; {@code transform.inverse()} maps results on
 *     the crop back to the photo
 */
public record AlignedFace(FaceImage image, Landmarks landmarks, SimilarityTransform transform) {

  /**
   * Checks that no component is null.
   *
   * @param image the aligned crop
   * @param landmarks the landmarks in crop coordinates
   * @param transform photo → crop
   */
  public AlignedFace {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(landmarks, "landmarks");
    Objects.requireNonNull(transform, "transform");
  }

  /**
   * Maps a point of the aligned crop back to the photo it came from.
   *
   * @param x column in the crop
   * @param y row in the crop
   * @return the point in photo pixels
   */
  public Landmarks.Point toPhoto(double x, double y) {
    return transform.inverse().apply(x, y);
  }

  /**
   * The landmarks in the photo's coordinates.
   *
   * @return {@code transform.inverse().apply(landmarks)}
   */
  public Landmarks photoLandmarks() {
    return transform.inverse().apply(landmarks);
  }
}
