package io.github.facenorm.core;

import java.util.Locale;
import java.util.Objects;

/**
 * Prepares training photos (paper Sec. 6.1) that are already cropped around one face, such as LFW
 * deep-funneled (250 × 250) or FRL London (675 × 675): no face detector is run. For each photo:
 *
 * <ol>
 *   <li>a face box: a given one ({@link Builder#faceBox}), else a square of side {@link
 *       Builder#boxFraction} × the shorter image side centered at {@link Builder#boxCenter};
 *   <li>the 68 landmarks inside it, then {@link Builder#refinements} times again in a box placed
 *       from those landmarks the way dlib's HOG detector frames a face (side 2.8 × the landmarks'
 *       RMS radius, center 0.14 of that radius above their centroid, fitted on dlib's own HOG
 *       boxes), because the landmarker was trained on HOG boxes;
 *   <li>alignment ({@link Aligner}) and the quality filters ({@link QualityFilters}).
 * </ol>
 *
 * <p>On the 12 photos of the dlib goldens (FRL London and LFW), the landmarks found this way are
 * within 1 % of the interocular distance (mean point error) of those dlib finds in its own HOG
 * boxes. The refinement is what makes the initial box uncritical: with a box fraction of 0.3 or
 * 0.55 instead of 0.4 the error is 4–5 % without it and 1.2 % with one pass.
 *
 * <p>This is the per-photo step: {@link #prepare(FaceImage)} works in memory and does no file I/O.
 * Batches of files (listing, threads, resume, atomic writes, progress, failures) are {@link
 * io.github.facenorm.core.batch.BatchRunner}'s job, with {@link PrepareStep} adapting this class to
 * it. Immutable and thread-safe.
 */
public final class FacePreparer {

  /** Box side over the landmarks' RMS radius, for dlib's HOG boxes. */
  static final double HOG_BOX_SIDE = 2.8;

  /** Box center above the landmarks' centroid, in RMS radii, for dlib's HOG boxes. */
  static final double HOG_BOX_RAISE = 0.14;

  private final LandmarkDetector detector;
  private final Aligner aligner;
  private final QualityFilters filters;
  private final FaceBox faceBox;
  private final double boxFraction;
  private final double boxCenterX;
  private final double boxCenterY;
  private final int refinements;

  private FacePreparer(Builder b) {
    this.detector = b.detector;
    this.aligner = b.aligner;
    this.filters = b.filters;
    this.faceBox = b.faceBox;
    this.boxFraction = b.boxFraction;
    this.boxCenterX = b.boxCenterX;
    this.boxCenterY = b.boxCenterY;
    this.refinements = b.refinements;
  }

  /**
   * A builder; the landmark detector is required.
   *
   * @param detector the landmarker, e.g. {@link io.github.facenorm.core.dlib.DlibShapePredictor}
   * @return a new builder
   */
  public static Builder builder(LandmarkDetector detector) {
    return new Builder(detector);
  }

  /**
   * One photo prepared in memory.
   *
   * @param box the final face box the landmarks were found in
   * @param photoLandmarks the landmarks in the photo
   * @param aligned the aligned crop, its landmarks and the photo → crop transform
   * @param quality the filter measurements and verdicts
   */
  public record Prepared(
      FaceBox box, Landmarks photoLandmarks, AlignedFace aligned, QualityReport quality) {}

  /**
   * The initial face box of a photo: the configured box, or the centered square.
   *
   * @param photo the photo
   * @return the box
   */
  public FaceBox initialBox(FaceImage photo) {
    Objects.requireNonNull(photo, "photo");
    if (faceBox != null) {
      return faceBox;
    }
    double side = boxFraction * Math.min(photo.width(), photo.height());
    double cx = boxCenterX * photo.width();
    double cy = boxCenterY * photo.height();
    return new FaceBox(cx - side / 2, cy - side / 2, side, side);
  }

  /**
   * A dlib-HOG-like box around landmarks: side {@code 2.8 r}, centered {@code 0.14 r} above their
   * centroid, {@code r} their RMS distance to the centroid.
   *
   * @param landmarks the points
   * @return the box
   */
  public static FaceBox boxAround(Landmarks landmarks) {
    Objects.requireNonNull(landmarks, "landmarks");
    double mx = 0;
    double my = 0;
    for (int i = 0; i < Landmarks.COUNT; i++) {
      mx += landmarks.x(i);
      my += landmarks.y(i);
    }
    mx /= Landmarks.COUNT;
    my /= Landmarks.COUNT;
    double ss = 0;
    for (int i = 0; i < Landmarks.COUNT; i++) {
      double dx = landmarks.x(i) - mx;
      double dy = landmarks.y(i) - my;
      ss += dx * dx + dy * dy;
    }
    double r = Math.sqrt(ss / Landmarks.COUNT);
    if (!(r > 0)) {
      throw new IllegalArgumentException(
          "landmarks: all 68 points coincide at (" + mx + ", " + my + ")");
    }
    double side = HOG_BOX_SIDE * r;
    double cy = my - HOG_BOX_RAISE * r;
    return new FaceBox(mx - side / 2, cy - side / 2, side, side);
  }

  /**
   * Prepares one photo in memory: box, landmarks (with refinement), alignment, filters.
   *
   * @param photo the photo, already cropped around one face
   * @return the result
   * @throws IllegalArgumentException if the photo is smaller than 2 × 2 or the landmarks are
   *     implausible (eyes closer than 2 px, or the face's center outside the photo)
   */
  public Prepared prepare(FaceImage photo) {
    Objects.requireNonNull(photo, "photo");
    if (photo.width() < 2 || photo.height() < 2) {
      throw new IllegalArgumentException(
          "photo: expected at least 2 × 2 pixels, got " + photo.width() + " × " + photo.height());
    }
    FaceBox box = initialBox(photo);
    Landmarks lm = detect(photo, box);
    for (int i = 0; i < refinements; i++) {
      box = boxAround(lm);
      lm = detect(photo, box);
    }
    checkPlausible(photo, lm);
    AlignedFace aligned = aligner.align(photo, lm);
    return new Prepared(box, lm, aligned, filters.check(aligned));
  }

  private Landmarks detect(FaceImage photo, FaceBox box) {
    Landmarks lm = detector.detect(photo, box);
    if (lm == null) {
      throw new IllegalArgumentException("no landmarks found in the face box " + box);
    }
    return lm;
  }

  private static void checkPlausible(FaceImage photo, Landmarks lm) {
    Landmarks.Point r = lm.rightEyeCenter();
    Landmarks.Point l = lm.leftEyeCenter();
    double d = Math.hypot(l.x() - r.x(), l.y() - r.y());
    double cx = 0.5 * (r.x() + l.x());
    double cy = 0.5 * (r.y() + l.y());
    if (!(d >= 2) || cx < 0 || cy < 0 || cx > photo.width() - 1 || cy > photo.height() - 1) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "no plausible face: eye centers (%.1f, %.1f) and (%.1f, %.1f) in a %d × %d photo",
              r.x(),
              r.y(),
              l.x(),
              l.y(),
              photo.width(),
              photo.height()));
    }
  }

  /** The aligner. */
  public Aligner aligner() {
    return aligner;
  }

  /** The quality filters. */
  public QualityFilters filters() {
    return filters;
  }

  @Override
  public String toString() {
    return "FacePreparer{detector="
        + detector
        + ", "
        + aligner
        + ", "
        + filters
        + ", box="
        + (faceBox != null
            ? faceBox.toString()
            : String.format(
                Locale.ROOT,
                "centered %.3f of the shorter side at (%.3f W, %.3f H)",
                boxFraction,
                boxCenterX,
                boxCenterY))
        + ", refinements="
        + refinements
        + "}";
  }

  /** Builds {@link FacePreparer}s; every setter checks its argument. */
  public static final class Builder {
    private final LandmarkDetector detector;
    private Aligner aligner = Aligner.builder().build();
    private QualityFilters filters = QualityFilters.builder().build();
    private FaceBox faceBox;
    private double boxFraction = 0.4;
    private double boxCenterX = 0.5;
    private double boxCenterY = 0.53;
    private int refinements = 1;

    private Builder(LandmarkDetector detector) {
      this.detector = Objects.requireNonNull(detector, "detector");
    }

    /**
     * The aligner (default: the paper's, {@link Aligner#builder()}).
     *
     * @param aligner the aligner
     * @return this builder
     */
    public Builder aligner(Aligner aligner) {
      this.aligner = Objects.requireNonNull(aligner, "aligner");
      return this;
    }

    /**
     * The quality filters (default thresholds: {@link QualityFilters#builder()}).
     *
     * @param filters the filters
     * @return this builder
     */
    public Builder filters(QualityFilters filters) {
      this.filters = Objects.requireNonNull(filters, "filters");
      return this;
    }

    /**
     * A fixed face box for every photo, in photo pixels (default: none, use the centered box).
     *
     * @param box the box, or null for the centered one
     * @return this builder
     */
    public Builder faceBox(FaceBox box) {
      this.faceBox = box;
      return this;
    }

    /**
     * Side of the centered box as a fraction of the photo's shorter side (default 0.4: dlib's HOG
     * boxes are 0.42–0.50 of LFW deep-funneled photos and 0.32–0.38 of FRL London ones; the
     * refinement pass removes most of the difference).
     *
     * @param fraction in {@code (0, 2]}
     * @return this builder
     */
    public Builder boxFraction(double fraction) {
      if (!(fraction > 0 && fraction <= 2)) {
        throw new IllegalArgumentException(
            "boxFraction: expected a fraction of the shorter side in (0, 2], got " + fraction);
      }
      this.boxFraction = fraction;
      return this;
    }

    /**
     * Center of the centered box as fractions of the photo's width and height (default (0.5, 0.53):
     * faces in these sets sit slightly below the middle).
     *
     * @param fx x over W, in {@code [0, 1]}
     * @param fy y over H, in {@code [0, 1]}
     * @return this builder
     */
    public Builder boxCenter(double fx, double fy) {
      if (!(fx >= 0 && fx <= 1 && fy >= 0 && fy <= 1)) {
        throw new IllegalArgumentException(
            "boxCenter: expected fractions of W and H in [0, 1], got (" + fx + ", " + fy + ")");
      }
      this.boxCenterX = fx;
      this.boxCenterY = fy;
      return this;
    }

    /**
     * How many times to re-run the landmarker in a box placed from its previous landmarks (default
     * 1; 0 keeps the first landmarks).
     *
     * @param passes 0..10
     * @return this builder
     */
    public Builder refinements(int passes) {
      if (passes < 0 || passes > 10) {
        throw new IllegalArgumentException("refinements: expected 0..10, got " + passes);
      }
      this.refinements = passes;
      return this;
    }

    /**
     * Builds the immutable preparer.
     *
     * @return the preparer
     */
    public FacePreparer build() {
      return new FacePreparer(this);
    }
  }
}
