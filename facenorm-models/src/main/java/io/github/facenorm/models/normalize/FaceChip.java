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
   * The chip of frames in a model's output geometry, as a differentiable graph: the frame's eyes
   * sit at the model's aligner targets, so the chip is a fixed, separable bilinear resampling (two
   * constant interpolation matrices and two matrix products; SameDiff's own resize ops have no
   * working gradient in M2.1). Equals {@link #cut} of a frame whose eyes are at the targets.
   *
   * @param sd the graph
   * @param frames {@code [B, S, S, 3]} in the geometry of {@code config}
   * @param config the model's frame geometry
   * @return chips {@code [B, 150, 150, 3]}, same value range as the frames
   */
  public static org.nd4j.autodiff.samediff.SDVariable resample(
      org.nd4j.autodiff.samediff.SameDiff sd,
      org.nd4j.autodiff.samediff.SDVariable frames,
      ModelConfig config) {
    Aligner frame = config.aligner();
    int s = config.frameSize();
    double scale = frame.interocular() / INTEROCULAR; // frame px per chip px
    double cx = (SIZE - 1) / 2.0;
    double cy = EYE_ROW / SIZE * (SIZE - 1);
    double fx = (s - 1) / 2.0;
    double fy = frame.rightEyeTarget().y();
    org.nd4j.linalg.api.buffer.DataType t = frames.dataType();
    org.nd4j.autodiff.samediff.SDVariable rx =
        sd.constant(interpolation(SIZE, s, fx - cx * scale, scale).castTo(t)); // [S, 150]
    org.nd4j.autodiff.samediff.SDVariable ry =
        sd.constant(interpolation(SIZE, s, fy - cy * scale, scale).castTo(t));
    org.nd4j.autodiff.samediff.SDVariable x = frames.permute(0, 3, 1, 2); // [B, 3, S(y), S(x)]
    x = x.reshape(sd.constant(org.nd4j.linalg.factory.Nd4j.createFromArray(-1L, s))).mmul(rx);
    x = x.reshape(sd.constant(org.nd4j.linalg.factory.Nd4j.createFromArray(-1L, 3, s, SIZE)));
    x = x.permute(0, 1, 3, 2); // [B, 3, 150(u), S(y)]
    x = x.reshape(sd.constant(org.nd4j.linalg.factory.Nd4j.createFromArray(-1L, s))).mmul(ry);
    x = x.reshape(sd.constant(org.nd4j.linalg.factory.Nd4j.createFromArray(-1L, 3, SIZE, SIZE)));
    return x.permute(0, 3, 2, 1); // [B, 150(v), 150(u), 3]
  }

  /**
   * {@code [n, out]} bilinear weights: output {@code i} samples input position {@code offset + i ·
   * step}, clamped to the input like the aligner's sampler.
   */
  static org.nd4j.linalg.api.ndarray.INDArray interpolation(
      int out, int n, double offset, double step) {
    double[][] m = new double[n][out];
    for (int i = 0; i < out; i++) {
      double p = Math.min(n - 1, Math.max(0, offset + i * step));
      int lo = (int) Math.min(n - 2, Math.floor(p));
      double f = p - lo;
      m[lo][i] += 1 - f;
      m[lo + 1][i] += f;
    }
    return org.nd4j.linalg.factory.Nd4j.createFromArray(m);
  }

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
