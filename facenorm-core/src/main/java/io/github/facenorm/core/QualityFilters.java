package io.github.facenorm.core;

import io.github.facenorm.core.internal.ImageStats;
import io.github.facenorm.core.internal.SmileModel;
import java.util.Locale;
import java.util.Objects;

/**
 * The quality filters that pick training photos (paper Sec. 6.1, where the Google Cloud Vision API
 * removed monochrome and blurry photos, strong expressions, and tilt or pan beyond 5°). Here each
 * is a transparent measurement on an {@link AlignedFace}, compared with a configurable threshold:
 *
 * <ul>
 *   <li><b>pose</b>: yaw and pitch from the landmarks ({@link HeadPose#estimate}, which documents
 *       the estimator); kept if both are within {@link Builder#maxYaw} / {@link Builder#maxPitch}
 *       (default 5°, the paper's).
 *   <li><b>blur</b>: variance of the Laplacian of the aligned face's luma (8-bit units) over the
 *       bounding box of its landmarks; kept if at least {@link Builder#minSharpness}. Measuring on
 *       the aligned crop makes the value comparable across photo resolutions.
 *   <li><b>monochrome</b>: mean chroma {@code max(R,G,B) − min(R,G,B)} over the same box; kept if
 *       at least {@link Builder#minColorfulness} (grayscale photos measure 0).
 *   <li><b>strong expression</b>: a smile score (14 mouth, lip, eye and jaw measurements in the eye
 *       frame, weighed by the discriminant that separates FRL London's neutral from its smiling
 *       photos: about 0 neutral, 1 smiling), and the mouth's inner-lip opening and corner-to-corner
 *       width over the interocular distance; kept if all three are within {@link Builder#maxSmile},
 *       {@link Builder#maxMouthOpening} and {@link Builder#maxMouthWidth}.
 * </ul>
 *
 * <p>The default thresholds for blur and color were set on the FRL London set (studio photos, each
 * person neutral and smiling) and LFW; those for pose and expression on the even-numbered people of
 * FRL London (the tuning half: 94 % of their neutral photos pass, 96 % of their smiles are
 * rejected). On the odd-numbered, held-out people, 90 % of the neutral photos pass and 88 % of the
 * smiles are rejected ({@code FrlFilterCalibrationTest} measures both). Immutable and thread-safe.
 */
public final class QualityFilters {

  private final double maxYaw;
  private final double maxPitch;
  private final double minSharpness;
  private final double minColorfulness;
  private final double maxMouthOpening;
  private final double maxMouthWidth;
  private final double maxSmile;

  private QualityFilters(Builder b) {
    this.maxYaw = b.maxYaw;
    this.maxPitch = b.maxPitch;
    this.minSharpness = b.minSharpness;
    this.minColorfulness = b.minColorfulness;
    this.maxMouthOpening = b.maxMouthOpening;
    this.maxMouthWidth = b.maxMouthWidth;
    this.maxSmile = b.maxSmile;
  }

  /**
   * A builder with the default thresholds.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Runs all four filters on an aligned face.
   *
   * @param face the aligned face ({@link Aligner})
   * @return every measurement and verdict
   */
  public QualityReport check(AlignedFace face) {
    Objects.requireNonNull(face, "face");
    return new QualityReport(
        pose(face.photoLandmarks()),
        blur(face.image(), face.landmarks()),
        monochrome(face.image(), face.landmarks()),
        expression(face.landmarks()));
  }

  /**
   * Judges measurements taken earlier (e.g. read back from a per-photo file) against this filter
   * set's thresholds.
   *
   * @param pose the head pose
   * @param sharpness the Laplacian variance
   * @param colorfulness the mean chroma
   * @param mouthOpening the inner-lip opening over the interocular distance
   * @param mouthWidth the mouth width over the interocular distance
   * @param smile the smile score, or NaN if it was not measured (files written before it existed;
   *     then the smile check is skipped)
   * @return the report
   */
  public QualityReport judge(
      HeadPose pose,
      double sharpness,
      double colorfulness,
      double mouthOpening,
      double mouthWidth,
      double smile) {
    Objects.requireNonNull(pose, "pose");
    return new QualityReport(
        new QualityReport.Pose(
            pose,
            maxYaw,
            maxPitch,
            Math.abs(pose.yaw()) <= maxYaw && Math.abs(pose.pitch()) <= maxPitch),
        new QualityReport.Blur(sharpness, minSharpness, sharpness >= minSharpness),
        new QualityReport.Monochrome(
            colorfulness, minColorfulness, colorfulness >= minColorfulness),
        expressionVerdict(mouthOpening, mouthWidth, smile));
  }

  /**
   * Judges measurements taken before the smile score existed: {@link #judge(HeadPose, double,
   * double, double, double, double)} with the smile check skipped.
   *
   * @param pose the head pose
   * @param sharpness the Laplacian variance
   * @param colorfulness the mean chroma
   * @param mouthOpening the inner-lip opening over the interocular distance
   * @param mouthWidth the mouth width over the interocular distance
   * @return the report
   */
  public QualityReport judge(
      HeadPose pose,
      double sharpness,
      double colorfulness,
      double mouthOpening,
      double mouthWidth) {
    return judge(pose, sharpness, colorfulness, mouthOpening, mouthWidth, Double.NaN);
  }

  private QualityReport.Expression expressionVerdict(double opening, double width, double smile) {
    boolean ok =
        opening <= maxMouthOpening
            && width <= maxMouthWidth
            && (Double.isNaN(smile) || smile <= maxSmile);
    return new QualityReport.Expression(
        opening, width, smile, maxMouthOpening, maxMouthWidth, maxSmile, ok);
  }

  /**
   * The pose filter.
   *
   * @param landmarks the face's landmarks (photo or crop coordinates; in photo coordinates the
   *     reported roll is the photo's)
   * @return the estimate and verdict
   */
  public QualityReport.Pose pose(Landmarks landmarks) {
    HeadPose p = HeadPose.estimate(landmarks);
    boolean ok = Math.abs(p.yaw()) <= maxYaw && Math.abs(p.pitch()) <= maxPitch;
    return new QualityReport.Pose(p, maxYaw, maxPitch, ok);
  }

  /**
   * The blur filter.
   *
   * @param aligned the aligned crop, {@code [H, W, 3]}
   * @param landmarks its landmarks (crop coordinates)
   * @return the sharpness and verdict
   */
  public QualityReport.Blur blur(FaceImage aligned, Landmarks landmarks) {
    int[] box = faceBox(aligned, landmarks);
    double v =
        ImageStats.laplacianVariance(
            aligned.toArray(), aligned.width(), aligned.height(), box[0], box[1], box[2], box[3]);
    return new QualityReport.Blur(v, minSharpness, v >= minSharpness);
  }

  /**
   * The monochrome filter.
   *
   * @param aligned the aligned crop, {@code [H, W, 3]}
   * @param landmarks its landmarks (crop coordinates)
   * @return the colorfulness and verdict
   */
  public QualityReport.Monochrome monochrome(FaceImage aligned, Landmarks landmarks) {
    int[] box = faceBox(aligned, landmarks);
    double v =
        ImageStats.meanChroma(
            aligned.toArray(), aligned.width(), aligned.height(), box[0], box[1], box[2], box[3]);
    return new QualityReport.Monochrome(v, minColorfulness, v >= minColorfulness);
  }

  /**
   * The strong-expression filter.
   *
   * @param landmarks the face's landmarks (any coordinates: the measures are ratios)
   * @return the mouth opening, width and smile score and the verdict
   * @throws IllegalArgumentException if the eye centers coincide
   */
  public QualityReport.Expression expression(Landmarks landmarks) {
    Objects.requireNonNull(landmarks, "landmarks");
    Landmarks.Point r = landmarks.rightEyeCenter();
    Landmarks.Point l = landmarks.leftEyeCenter();
    double d = Math.hypot(l.x() - r.x(), l.y() - r.y());
    if (!(d > 0)) {
      throw new IllegalArgumentException(
          "landmarks: the two eye centers coincide at " + r + "; cannot measure the expression");
    }
    double gap = (dist(landmarks, 61, 67) + dist(landmarks, 62, 66) + dist(landmarks, 63, 65)) / 3;
    double opening = gap / d;
    double width = dist(landmarks, 48, 54) / d;
    return expressionVerdict(opening, width, SmileModel.score(landmarks.toFlatArray()));
  }

  private static double dist(Landmarks l, int i, int j) {
    return Math.hypot(l.x(i) - l.x(j), l.y(i) - l.y(j));
  }

  /** The landmarks' bounding box, rounded outward and clipped: {x0, y0, x1, y1}. */
  private static int[] faceBox(FaceImage image, Landmarks landmarks) {
    Objects.requireNonNull(image, "aligned");
    Objects.requireNonNull(landmarks, "landmarks");
    double minX = Double.POSITIVE_INFINITY;
    double minY = Double.POSITIVE_INFINITY;
    double maxX = Double.NEGATIVE_INFINITY;
    double maxY = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < Landmarks.COUNT; i++) {
      minX = Math.min(minX, landmarks.x(i));
      maxX = Math.max(maxX, landmarks.x(i));
      minY = Math.min(minY, landmarks.y(i));
      maxY = Math.max(maxY, landmarks.y(i));
    }
    int x0 = (int) Math.max(0, Math.floor(minX));
    int y0 = (int) Math.max(0, Math.floor(minY));
    int x1 = (int) Math.min(image.width(), Math.ceil(maxX) + 1);
    int y1 = (int) Math.min(image.height(), Math.ceil(maxY) + 1);
    if (x0 >= x1 || y0 >= y1) {
      throw new IllegalArgumentException(
          "landmarks: their bounding box ["
              + minX
              + ", "
              + maxX
              + "] × ["
              + minY
              + ", "
              + maxY
              + "] misses the "
              + image.width()
              + " × "
              + image.height()
              + " image");
    }
    return new int[] {x0, y0, x1, y1};
  }

  /** The yaw limit in degrees. */
  public double maxYaw() {
    return maxYaw;
  }

  /** The pitch limit in degrees. */
  public double maxPitch() {
    return maxPitch;
  }

  /** The minimum sharpness. */
  public double minSharpness() {
    return minSharpness;
  }

  /** The minimum colorfulness. */
  public double minColorfulness() {
    return minColorfulness;
  }

  /** The mouth-opening limit (interocular distances). */
  public double maxMouthOpening() {
    return maxMouthOpening;
  }

  /** The mouth-width limit (interocular distances). */
  public double maxMouthWidth() {
    return maxMouthWidth;
  }

  /** The smile-score limit. */
  public double maxSmile() {
    return maxSmile;
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "QualityFilters{maxYaw=%s°, maxPitch=%s°, minSharpness=%s, minColorfulness=%s,"
            + " maxMouthOpening=%s, maxMouthWidth=%s, maxSmile=%s}",
        maxYaw,
        maxPitch,
        minSharpness,
        minColorfulness,
        maxMouthOpening,
        maxMouthWidth,
        maxSmile);
  }

  /** Builds {@link QualityFilters}; every setter checks its argument. */
  public static final class Builder {
    private double maxYaw = DEFAULT_MAX_YAW;
    private double maxPitch = DEFAULT_MAX_PITCH;
    private double minSharpness = DEFAULT_MIN_SHARPNESS;
    private double minColorfulness = DEFAULT_MIN_COLORFULNESS;
    private double maxMouthOpening = DEFAULT_MAX_MOUTH_OPENING;
    private double maxMouthWidth = DEFAULT_MAX_MOUTH_WIDTH;
    private double maxSmile = DEFAULT_MAX_SMILE;

    private Builder() {}

    /**
     * The largest |yaw| kept, in degrees (default {@value QualityFilters#DEFAULT_MAX_YAW}, the
     * paper's).
     *
     * @param degrees in {@code [0, 90]}
     * @return this builder
     */
    public Builder maxYaw(double degrees) {
      this.maxYaw = angle(degrees, "maxYaw");
      return this;
    }

    /**
     * The largest |pitch| kept, in degrees (default {@value QualityFilters#DEFAULT_MAX_PITCH}).
     *
     * @param degrees in {@code [0, 90]}
     * @return this builder
     */
    public Builder maxPitch(double degrees) {
      this.maxPitch = angle(degrees, "maxPitch");
      return this;
    }

    /**
     * The smallest Laplacian variance kept (default {@value QualityFilters#DEFAULT_MIN_SHARPNESS}).
     *
     * @param value ≥ 0 (0 keeps everything)
     * @return this builder
     */
    public Builder minSharpness(double value) {
      this.minSharpness = nonNegative(value, "minSharpness");
      return this;
    }

    /**
     * The smallest mean chroma kept (default {@value QualityFilters#DEFAULT_MIN_COLORFULNESS}).
     *
     * @param value in {@code [0, 1]} (0 keeps everything)
     * @return this builder
     */
    public Builder minColorfulness(double value) {
      if (!(value >= 0 && value <= 1)) {
        throw new IllegalArgumentException(
            "minColorfulness: expected a mean chroma in [0, 1], got " + value);
      }
      this.minColorfulness = value;
      return this;
    }

    /**
     * The largest inner-lip opening kept, in interocular distances (default {@value
     * QualityFilters#DEFAULT_MAX_MOUTH_OPENING}).
     *
     * @param value ≥ 0 ({@code Double.POSITIVE_INFINITY} keeps everything)
     * @return this builder
     */
    public Builder maxMouthOpening(double value) {
      this.maxMouthOpening = nonNegative(value, "maxMouthOpening");
      return this;
    }

    /**
     * The largest mouth width kept, in interocular distances (default {@value
     * QualityFilters#DEFAULT_MAX_MOUTH_WIDTH}).
     *
     * @param value ≥ 0 ({@code Double.POSITIVE_INFINITY} keeps everything)
     * @return this builder
     */
    public Builder maxMouthWidth(double value) {
      this.maxMouthWidth = nonNegative(value, "maxMouthWidth");
      return this;
    }

    /**
     * The largest smile score kept (default {@value QualityFilters#DEFAULT_MAX_SMILE}).
     *
     * @param value any number ({@code Double.POSITIVE_INFINITY} keeps everything)
     * @return this builder
     */
    public Builder maxSmile(double value) {
      if (Double.isNaN(value)) {
        throw new IllegalArgumentException("maxSmile: expected a number, got NaN");
      }
      this.maxSmile = value;
      return this;
    }

    /**
     * Builds the immutable filter set.
     *
     * @return the filters
     */
    public QualityFilters build() {
      return new QualityFilters(this);
    }

    private static double angle(double v, String name) {
      if (!(v >= 0 && v <= 90)) {
        throw new IllegalArgumentException(name + ": expected degrees in [0, 90], got " + v);
      }
      return v;
    }

    private static double nonNegative(double v, String name) {
      if (!(v >= 0)) {
        throw new IllegalArgumentException(name + ": expected a value ≥ 0, got " + v);
      }
      return v;
    }
  }

  /**
   * Default minimum sharpness (Laplacian variance, 8-bit luma units). FRL London studio photos
   * measure 190–630; LFW deep-funneled photos (250 × 250, upscaled a little to 55 px between the
   * eyes) have a median of 33, and the 4 % below 10 are visibly blurred or badly landmarked.
   */
  public static final double DEFAULT_MIN_SHARPNESS = 10;

  /**
   * Default minimum colorfulness (mean chroma). Grayscale photos measure 0 (the 3 of a 953-photo
   * LFW sample); the least colorful color photos there measure 0.064, FRL London's 0.056.
   */
  public static final double DEFAULT_MIN_COLORFULNESS = 0.04;

  /** Default maximum |yaw| in degrees: the paper's 5°. */
  public static final double DEFAULT_MAX_YAW = 5;

  /**
   * Default maximum |pitch| in degrees. Wider than the paper's 5° because pitch from one frontal
   * view carries the person's proportions: on FRL London's held-out neutral photos, which all face
   * the camera, {@link HeadPose#estimate} reads pitch with a standard deviation of 4.3°. 12° keeps
   * 94 % of the tuning half's neutral photos when combined with the other defaults.
   */
  public static final double DEFAULT_MAX_PITCH = 12;

  /**
   * Default maximum smile score, chosen on the even-numbered people of FRL London (neutral photos
   * score about 0, smiles about 1; {@code scripts/dev/gen-smile-model.py}): with the other
   * defaults, 94 % of their neutral photos pass and 96 % of their smiles are rejected; on the
   * odd-numbered, held-out people, 90 % and 88 %.
   */
  public static final double DEFAULT_MAX_SMILE = SmileModel.TUNED_THRESHOLD;

  /**
   * Default maximum mouth opening (interocular distances): open mouths (talking, laughing,
   * surprise). FRL London neutral photos have a median of 0.009, smiling ones 0.072.
   */
  public static final double DEFAULT_MAX_MOUTH_OPENING = 0.1;

  /**
   * Default maximum mouth width (interocular distances): only extreme widths (FRL London neutral
   * median 0.81, smiling 0.93); the smile score does the rest.
   */
  public static final double DEFAULT_MAX_MOUTH_WIDTH = 1.0;
}
