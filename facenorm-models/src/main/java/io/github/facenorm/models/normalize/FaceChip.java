package io.github.facenorm.models.normalize;

import io.github.facenorm.core.Aligner;
import io.github.facenorm.core.FaceImage;
import io.github.facenorm.core.Landmarks;
import java.util.Objects;

/**
 * The face chip the recognition net reads: dlib's {@code get_face_chip_details(shape, 150, 0.25)}
 * geometry, reproduced with an {@link Aligner}. dlib's 68-point mean face (its {@code
 * mean_face_shape_x/y}) maps the eye centers to {@code (22.55, 21.60)} and {@code (75.48, 21.60)}
 * hundredths of its unit square; with padding 0.25 a unit is 100 px of a 150 px chip, so the
 * interocular distance is {@value #INTEROCULAR} px and the eyes sit {@value #EYE_ROW} px from the
 * top. The same chip is cut from input photos (to encode them) and from normalized outputs (to
 * measure identity), so both are seen by the net the same way.
 */
public final class FaceChip {

  /** Chip side, the recognition net's input size. */
  public static final int SIZE = 150;

  /** Interocular distance in the chip, px. */
  public static final double INTEROCULAR = 52.93;

  /** Row of the eye centers in the chip, px. */
  public static final double EYE_ROW = 46.0;

  private static final Aligner ALIGNER =
      Aligner.builder().outputSize(SIZE).interocular(INTEROCULAR).eyeHeight(EYE_ROW / SIZE).build();

  private FaceChip() {}

  /**
   * Cuts the chip of a face.
   *
   * @param image a photo or a normalized face, any size
   * @param landmarks the face's 68 landmarks in {@code image}'s pixels
   * @return the chip, {@code [150, 150, 3]}
   */
  public static FaceImage cut(FaceImage image, Landmarks landmarks) {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(landmarks, "landmarks");
    return ALIGNER.align(image, landmarks).image();
  }
}
