package io.github.facenorm.core;

import io.github.facenorm.core.internal.Resample;
import java.util.Locale;
import java.util.Objects;

/**
 * Aligns faces as the paper's training photos (Sec. 6.1): undoes the roll of the eye line, scales
 * to a fixed interocular distance (55 px), and crops {@code 224 × 224}.
 *
 * <p>The eye centers are the means of the iBUG eye contours ({@link Landmarks#rightEyeCenter()},
 * {@link Landmarks#leftEyeCenter()}). The aligned crop puts the subject's right eye at {@code (cx −
 * d / 2, ey)} and the left eye at {@code (cx + d / 2, ey)}, where {@code d} is the interocular
 * distance, {@code cx = (W − 1) / 2} (the horizontal center, pixel-center convention of {@link
 * FaceImage}) and {@code ey = eyeHeight · (H − 1)}. The paper gives the distance and the size but
 * not the eye height; the default 0.4 keeps the brows-to-chin landmarks inside the crop with room
 * below the chin (for dlib's mean shape, the eyes-to-chin distance is about 1.8 interocular
 * distances, so the chin lands near row 190 of 224).
 *
 * <p>Resampling is bilinear through the inverse similarity, with samples outside the photo taking
 * the nearest edge value. When the photo is shrunk (scale &lt; 1) and {@link
 * Builder#antialias(boolean)} is on (the default), each output pixel averages {@code k × k}
 * bilinear samples, {@code k = ceil(1 / scale)} (at most 8), so that downscaled high-resolution
 * photos are not aliased. Immutable and thread-safe:
 *
 * <pre>{@code
 * Aligner aligner = Aligner.builder().build();           // 55 px, 224 × 224, eyes at 0.4 H
 * AlignedFace face = aligner.align(photo, landmarks);
 * Landmarks.Point back = face.toPhoto(112, 100);         // crop → photo
 * }</pre>
 */
public final class Aligner {

  private final double interocular;
  private final int width;
  private final int height;
  private final double eyeHeight;
  private final boolean antialias;

  private Aligner(Builder b) {
    this.interocular = b.interocular;
    this.width = b.width;
    this.height = b.height;
    this.eyeHeight = b.eyeHeight;
    this.antialias = b.antialias;
  }

  /**
   * A builder with the paper's settings: interocular distance 55 px, {@code 224 × 224}, eye height
   * 0.4, antialiasing on.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The photo → crop transform for a face: eyes to their target positions.
   *
   * @param landmarks the face's landmarks in the photo
   * @return the transform
   * @throws IllegalArgumentException if the two eye centers coincide
   */
  public SimilarityTransform transformFor(Landmarks landmarks) {
    Objects.requireNonNull(landmarks, "landmarks");
    Landmarks.Point r = landmarks.rightEyeCenter();
    Landmarks.Point l = landmarks.leftEyeCenter();
    if (r.x() == l.x() && r.y() == l.y()) {
      throw new IllegalArgumentException(
          "landmarks: the two eye centers coincide at " + r + "; cannot align");
    }
    return SimilarityTransform.fromTwoPoints(r, l, rightEyeTarget(), leftEyeTarget());
  }

  /**
   * Aligns a face.
   *
   * @param photo the photo, {@code [H, W, 3]}, {@code H, W ≥ 2}
   * @param landmarks the face's landmarks in the photo's pixels
   * @return the aligned crop {@code [height, width, 3]}, the landmarks in crop coordinates, and the
   *     photo → crop transform
   * @throws IllegalArgumentException if the photo is smaller than 2 × 2 or the eyes coincide
   */
  public AlignedFace align(FaceImage photo, Landmarks landmarks) {
    Objects.requireNonNull(photo, "photo");
    SimilarityTransform t = transformFor(landmarks);
    return new AlignedFace(resample(photo, t), t.apply(landmarks), t);
  }

  /**
   * Resamples a photo through a photo → crop transform into a crop of this aligner's size.
   *
   * @param photo the photo, {@code [H, W, 3]}, {@code H, W ≥ 2}
   * @param transform photo → crop coordinates
   * @return the crop, {@code [height, width, 3]}
   */
  public FaceImage resample(FaceImage photo, SimilarityTransform transform) {
    Objects.requireNonNull(photo, "photo");
    Objects.requireNonNull(transform, "transform");
    if (photo.width() < 2 || photo.height() < 2) {
      throw new IllegalArgumentException(
          "photo: expected at least 2 × 2 pixels, got " + photo.width() + " × " + photo.height());
    }
    SimilarityTransform inv = transform.inverse();
    double s = transform.scale();
    int k = antialias && s < 1 ? (int) Math.min(8, Math.ceil(1 / s - 1e-9)) : 1;
    float[] out =
        Resample.similarity(
            photo.toArray(),
            photo.width(),
            photo.height(),
            inv.a(),
            inv.b(),
            inv.tx(),
            inv.ty(),
            k,
            width,
            height);
    return FaceImage.of(width, height, out);
  }

  /** Where the subject's right eye center goes (the crop's left side). */
  public Landmarks.Point rightEyeTarget() {
    return new Landmarks.Point((width - 1) / 2.0 - interocular / 2, eyeHeight * (height - 1));
  }

  /** Where the subject's left eye center goes (the crop's right side). */
  public Landmarks.Point leftEyeTarget() {
    return new Landmarks.Point((width - 1) / 2.0 + interocular / 2, eyeHeight * (height - 1));
  }

  /** The interocular distance in crop pixels (default 55). */
  public double interocular() {
    return interocular;
  }

  /** Crop width W (default 224). */
  public int width() {
    return width;
  }

  /** Crop height H (default 224). */
  public int height() {
    return height;
  }

  /** Eye height as a fraction of {@code H − 1} (default 0.4). */
  public double eyeHeight() {
    return eyeHeight;
  }

  /** Whether shrinking averages several samples per output pixel. */
  public boolean antialias() {
    return antialias;
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "Aligner{interocular=%s px, size=%d×%d, eyeHeight=%s, antialias=%s}",
        interocular,
        width,
        height,
        eyeHeight,
        antialias);
  }

  /** Builds {@link Aligner}s; every setter checks its argument. */
  public static final class Builder {
    private double interocular = 55;
    private int width = 224;
    private int height = 224;
    private double eyeHeight = 0.4;
    private boolean antialias = true;

    private Builder() {}

    /**
     * The distance between the eye centers in the crop (default 55 px, the paper's).
     *
     * @param pixels a finite value &gt; 0
     * @return this builder
     */
    public Builder interocular(double pixels) {
      if (!(pixels > 0 && Double.isFinite(pixels))) {
        throw new IllegalArgumentException(
            "interocular: expected a finite distance > 0 px, got " + pixels);
      }
      this.interocular = pixels;
      return this;
    }

    /**
     * A square crop size (default 224, the paper's).
     *
     * @param size width and height, at least 2
     * @return this builder
     */
    public Builder outputSize(int size) {
      return outputSize(size, size);
    }

    /**
     * The crop size (default 224 × 224).
     *
     * @param width W, at least 2
     * @param height H, at least 2
     * @return this builder
     */
    public Builder outputSize(int width, int height) {
      if (width < 2 || height < 2 || (long) width * height * 3 > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException(
            "outputSize: expected width and height ≥ 2 (and W * H * 3 fitting an int), got "
                + width
                + " × "
                + height);
      }
      this.width = width;
      this.height = height;
      return this;
    }

    /**
     * The row of the eye centers as a fraction of {@code H − 1} (default 0.4).
     *
     * @param fraction in {@code [0, 1]}
     * @return this builder
     */
    public Builder eyeHeight(double fraction) {
      if (!(fraction >= 0 && fraction <= 1)) {
        throw new IllegalArgumentException(
            "eyeHeight: expected a fraction of the crop height in [0, 1], got " + fraction);
      }
      this.eyeHeight = fraction;
      return this;
    }

    /**
     * Whether shrinking photos averages {@code ceil(1 / scale)²} samples per pixel (default true).
     *
     * @param on true to prefilter when shrinking
     * @return this builder
     */
    public Builder antialias(boolean on) {
      this.antialias = on;
      return this;
    }

    /**
     * Builds the immutable aligner.
     *
     * @return the aligner
     */
    public Aligner build() {
      return new Aligner(this);
    }
  }
}
