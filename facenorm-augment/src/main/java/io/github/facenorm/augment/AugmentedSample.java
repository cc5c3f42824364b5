package io.github.facenorm.augment;

import io.github.facenorm.core.FaceImage;
import io.github.facenorm.core.Landmarks;
import java.util.Objects;

/**
 * One training sample as a dataset shard stores it: the rendered input image (the morphed face
 * composited onto a background texture and warped to the morphed landmarks), the target texture
 * (the composite before the warp, in the mean shape's geometry), the target landmarks, and where it
 * came from. Images are 8-bit RGB, {@code [H, W, 3]} row-major; the arrays are not copied, so treat
 * them as read-only.
 *
 * @param index the sample's index in the dataset
 * @param a index of face A in the face set
 * @param b index of face B
 * @param background index of the background texture
 * @param idA face A's id
 * @param idB face B's id
 * @param landmarkWeight {@code w_L}
 * @param textureWeight {@code w_T}
 * @param landmarks the target landmarks (pixel coordinates of the image)
 * @param width image width
 * @param height image height
 * @param imageRgb8 the rendered input image, {@code H · W · 3} bytes
 * @param textureRgb8 the target texture, {@code H · W · 3} bytes
 */
public record AugmentedSample(
    long index,
    int a,
    int b,
    int background,
    String idA,
    String idB,
    double landmarkWeight,
    double textureWeight,
    Landmarks landmarks,
    int width,
    int height,
    byte[] imageRgb8,
    byte[] textureRgb8) {

  /**
   * Checks the components.
   *
   * @param index the sample's index
   * @param a face A's index
   * @param b face B's index
   * @param background the background's index
   * @param idA face A's id
   * @param idB face B's id
   * @param landmarkWeight {@code w_L}
   * @param textureWeight {@code w_T}
   * @param landmarks the target landmarks
   * @param width image width
   * @param height image height
   * @param imageRgb8 the input image bytes
   * @param textureRgb8 the target texture bytes
   */
  public AugmentedSample {
    Objects.requireNonNull(idA, "idA");
    Objects.requireNonNull(idB, "idB");
    Objects.requireNonNull(landmarks, "landmarks");
    Objects.requireNonNull(imageRgb8, "imageRgb8");
    Objects.requireNonNull(textureRgb8, "textureRgb8");
    int n = width * height * 3;
    if (width < 1 || height < 1 || imageRgb8.length != n || textureRgb8.length != n) {
      throw new IllegalArgumentException(
          "imageRgb8, textureRgb8: expected "
              + n
              + " bytes each for "
              + width
              + " × "
              + height
              + ", got "
              + imageRgb8.length
              + " and "
              + textureRgb8.length);
    }
  }

  /** The rendered input image. */
  public FaceImage image() {
    return FaceImage.ofRgb8(width, height, imageRgb8);
  }

  /** The target texture. */
  public FaceImage texture() {
    return FaceImage.ofRgb8(width, height, textureRgb8);
  }
}
