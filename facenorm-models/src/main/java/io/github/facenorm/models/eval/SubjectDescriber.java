package io.github.facenorm.models.eval;

import io.github.facenorm.core.FaceBox;
import io.github.facenorm.core.FaceImage;
import io.github.facenorm.models.nets.FaceApiPipeline;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The descriptor of a photo's subject through a {@link FaceApiPipeline} (core's {@code
 * FaceDetector}, {@code LandmarkDetector} and {@code FaceEncoder} with face-api's chip): faces are
 * detected, one is chosen ({@link Selection}), and its landmarks and chip descriptor are computed
 * exactly as face-api's {@code withFaceLandmarks().withFaceDescriptor()} would.
 *
 * <p>When nothing is detected the descriptor is computed from a fixed fallback box in the image's
 * central region ({@link Builder#fallbackBox}), as if the detector had returned it (landmarks, chip
 * and descriptor as usual), and the descriptor is marked {@link PhotoDescriptor#fallback()}. The
 * default is where the detector puts the face on LFW's deep-funneled 250x250 photos (medians over
 * 200 photos of the dev-train pairs: side 116 px, center (125, 141)).
 *
 * <p>Thread-safe as far as the pipeline's models are.
 */
public final class SubjectDescriber implements Function<FaceImage, Optional<PhotoDescriptor>> {
  /** Default center x of the fallback box, relative to the image width. */
  public static final double DEFAULT_FALLBACK_CENTER_X = 0.5;

  /** Default center y of the fallback box, relative to the image height. */
  public static final double DEFAULT_FALLBACK_CENTER_Y = 0.56;

  /** Default side of the (square) fallback box, relative to the shorter image side. */
  public static final double DEFAULT_FALLBACK_SIDE = 0.46;

  /** Which detected face describes the photo when there are several. */
  public enum Selection {
    /** The detector's first, its highest score: face-api's {@code detectSingleFace}. */
    HIGHEST_SCORE,
    /** The detection whose center is nearest to the image center (LFW's subject is centered). */
    CLOSEST_TO_CENTER
  }

  private final FaceApiPipeline pipeline;
  private final Selection selection;
  private final double fallbackCenterX;
  private final double fallbackCenterY;
  private final double fallbackSide;

  private SubjectDescriber(Builder b) {
    this.pipeline = b.pipeline;
    this.selection = b.selection;
    this.fallbackCenterX = b.fallbackCenterX;
    this.fallbackCenterY = b.fallbackCenterY;
    this.fallbackSide = b.fallbackSide;
  }

  /**
   * A builder.
   *
   * @param pipeline the pipeline, e.g. {@link FaceApiPipeline#load()}
   * @return the builder, with {@link Selection#HIGHEST_SCORE} and the default fallback box
   */
  public static Builder builder(FaceApiPipeline pipeline) {
    return new Builder(pipeline);
  }

  /** Builder of {@link SubjectDescriber}. */
  public static final class Builder {
    private final FaceApiPipeline pipeline;
    private Selection selection = Selection.HIGHEST_SCORE;
    private double fallbackCenterX = DEFAULT_FALLBACK_CENTER_X;
    private double fallbackCenterY = DEFAULT_FALLBACK_CENTER_Y;
    private double fallbackSide = DEFAULT_FALLBACK_SIDE;

    private Builder(FaceApiPipeline pipeline) {
      this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
    }

    /**
     * Which face to describe when several are detected.
     *
     * @param selection the rule (default {@link Selection#HIGHEST_SCORE})
     * @return this builder
     */
    public Builder selection(Selection selection) {
      this.selection = Objects.requireNonNull(selection, "selection");
      return this;
    }

    /**
     * The square box described when no face is detected, relative to the image (see {@link
     * SubjectDescriber#fallbackBox(int, int, double, double, double)}).
     *
     * @param centerX center x relative to the width, in [0, 1] (default {@link
     *     #DEFAULT_FALLBACK_CENTER_X})
     * @param centerY center y relative to the height, in [0, 1] (default {@link
     *     #DEFAULT_FALLBACK_CENTER_Y})
     * @param side side relative to the shorter image side, in (0, 1] (default {@link
     *     #DEFAULT_FALLBACK_SIDE})
     * @return this builder
     */
    public Builder fallbackBox(double centerX, double centerY, double side) {
      if (!(centerX >= 0 && centerX <= 1)) {
        throw new IllegalArgumentException("centerX: expected a value in [0, 1], got " + centerX);
      }
      if (!(centerY >= 0 && centerY <= 1)) {
        throw new IllegalArgumentException("centerY: expected a value in [0, 1], got " + centerY);
      }
      if (!(side > 0 && side <= 1)) {
        throw new IllegalArgumentException("side: expected a fraction in (0, 1], got " + side);
      }
      this.fallbackCenterX = centerX;
      this.fallbackCenterY = centerY;
      this.fallbackSide = side;
      return this;
    }

    /**
     * Builds the describer.
     *
     * @return the describer
     */
    public SubjectDescriber build() {
      return new SubjectDescriber(this);
    }
  }

  /**
   * The descriptor of the photo's subject.
   *
   * @param image the photo
   * @return its descriptor, or empty when even the fallback box gives no descriptor chip
   */
  @Override
  public Optional<PhotoDescriptor> apply(FaceImage image) {
    Objects.requireNonNull(image, "image");
    int w = image.width();
    int h = image.height();
    List<FaceBox> dets = pipeline.detector().detect(image);
    if (!dets.isEmpty()) {
      Optional<FaceApiPipeline.Face> face = pipeline.describe(image, choose(dets, w, h));
      if (face.isPresent()) {
        return Optional.of(new PhotoDescriptor(face.get().descriptor(), false));
      }
    }
    return pipeline
        .describe(image, fallbackBox(w, h, fallbackCenterX, fallbackCenterY, fallbackSide))
        .map(f -> new PhotoDescriptor(f.descriptor(), true));
  }

  private FaceBox choose(List<FaceBox> dets, int w, int h) {
    if (selection == Selection.HIGHEST_SCORE) {
      return dets.get(0); // detectors return them best first
    }
    FaceBox best = dets.get(0);
    double bestD = Double.POSITIVE_INFINITY;
    for (FaceBox b : dets) {
      double dx = b.centerX() - w / 2.0;
      double dy = b.centerY() - h / 2.0;
      double d = dx * dx + dy * dy;
      if (d < bestD) {
        bestD = d;
        best = b;
      }
    }
    return best;
  }

  /**
   * A square fallback box in image pixels.
   *
   * @param width image width
   * @param height image height
   * @param centerX center x relative to {@code width}
   * @param centerY center y relative to {@code height}
   * @param side side relative to {@code min(width, height)}
   * @return the box, without a score
   */
  public static FaceBox fallbackBox(
      int width, int height, double centerX, double centerY, double side) {
    double s = side * Math.min(width, height);
    return new FaceBox(centerX * width - s / 2, centerY * height - s / 2, s, s);
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "SubjectDescriber[detector=%s, selection=%s, fallback box center (%s, %s) side %s]",
        pipeline.detector(),
        selection,
        fallbackCenterX,
        fallbackCenterY,
        fallbackSide);
  }
}
