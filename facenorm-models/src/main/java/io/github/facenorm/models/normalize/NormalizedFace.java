package io.github.facenorm.models.normalize;

import io.github.facenorm.core.FaceBox;
import io.github.facenorm.core.FaceImage;
import io.github.facenorm.core.Landmarks;
import java.util.Objects;

/**
 * A normalized face: front-facing, evenly lit, neutral (paper Fig. 1), in the model's output frame.
 *
 * @param image the rendered face {@code [S, S, 3]}: {@link #texture} warped to {@link #landmarks}
 * @param landmarks the predicted 68 landmarks in {@code image}'s pixels
 * @param texture the predicted texture {@code [S, S, 3]} in the model's mean-landmark geometry
 * @param face the face box in the input photo the result was made from
 * @param photoLandmarks the input photo's landmarks the face was aligned with
 */
public record NormalizedFace(
    FaceImage image,
    Landmarks landmarks,
    FaceImage texture,
    FaceBox face,
    Landmarks photoLandmarks) {

  /** Checks the components. */
  public NormalizedFace {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(landmarks, "landmarks");
    Objects.requireNonNull(texture, "texture");
    Objects.requireNonNull(face, "face");
    Objects.requireNonNull(photoLandmarks, "photoLandmarks");
  }
}
