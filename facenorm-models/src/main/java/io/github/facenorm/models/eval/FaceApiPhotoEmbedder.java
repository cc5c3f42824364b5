package io.github.facenorm.models.eval;

import io.github.facenorm.models.nets.FaceApiPipeline;
import io.github.facenorm.models.nets.FaceBox;
import io.github.facenorm.models.nets.TinyFaceDetector;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Descriptors of photos on disk through face-api's pipeline ({@link FaceApiPipeline}): the photo
 * {@code <root>/<PhotoId#relativePath()>} is decoded with the JDK's ImageIO (RGB 0..255, as the
 * face-api goldens were made), faces are detected with the tiny face detector, one is chosen
 * ({@link Selection}), and its landmarks and aligned descriptor are computed exactly as face-api's
 * {@code withFaceLandmarks().withFaceDescriptor()} would.
 *
 * <p>When nothing is detected the descriptor is computed from a fixed fallback box in the image's
 * central region ({@link Builder#fallbackBox}), as if the detector had returned it (landmarks, chip
 * and descriptor as usual), and the descriptor is marked {@link PhotoDescriptor#fallback()}. The
 * default is where the detector puts the face on LFW's deep-funneled 250x250 photos (medians over
 * 200 photos of the dev-train pairs: side 116 px, center (125, 141)).
 *
 * <p>Not thread-safe beyond what the nets allow: the nets serialize their own calls.
 */
public final class FaceApiPhotoEmbedder implements PhotoEmbedder {
  /** Default center x of the fallback box, relative to the image width. */
  public static final double DEFAULT_FALLBACK_CENTER_X = 0.5;

  /** Default center y of the fallback box, relative to the image height. */
  public static final double DEFAULT_FALLBACK_CENTER_Y = 0.56;

  /** Default side of the (square) fallback box, relative to the shorter image side. */
  public static final double DEFAULT_FALLBACK_SIDE = 0.46;

  /** Which detected face describes the photo when there are several. */
  public enum Selection {
    /** The highest detection score: face-api's {@code detectSingleFace}. */
    HIGHEST_SCORE,
    /** The detection whose center is nearest to the image center (LFW's subject is centered). */
    CLOSEST_TO_CENTER
  }

  private final Path root;
  private final FaceApiPipeline pipeline;
  private final TinyFaceDetector.Options options;
  private final Selection selection;
  private final double fallbackCenterX;
  private final double fallbackCenterY;
  private final double fallbackSide;

  private FaceApiPhotoEmbedder(Builder b) {
    this.root = b.root;
    this.pipeline = b.pipeline;
    this.options = b.options;
    this.selection = b.selection;
    this.fallbackCenterX = b.fallbackCenterX;
    this.fallbackCenterY = b.fallbackCenterY;
    this.fallbackSide = b.fallbackSide;
  }

  /**
   * A builder.
   *
   * @param root the dataset root (the folder holding one folder per person)
   * @param pipeline face-api's pipeline, e.g. {@link FaceApiPipeline#load()}
   * @return the builder, with face-api's detector defaults, {@link Selection#HIGHEST_SCORE} and the
   *     default fallback box
   */
  public static Builder builder(Path root, FaceApiPipeline pipeline) {
    return new Builder(root, pipeline);
  }

  /** Builder of {@link FaceApiPhotoEmbedder}. */
  public static final class Builder {
    private final Path root;
    private final FaceApiPipeline pipeline;
    private TinyFaceDetector.Options options = TinyFaceDetector.Options.DEFAULT;
    private Selection selection = Selection.HIGHEST_SCORE;
    private double fallbackCenterX = DEFAULT_FALLBACK_CENTER_X;
    private double fallbackCenterY = DEFAULT_FALLBACK_CENTER_Y;
    private double fallbackSide = DEFAULT_FALLBACK_SIDE;

    private Builder(Path root, FaceApiPipeline pipeline) {
      this.root = Objects.requireNonNull(root, "root");
      this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
    }

    /**
     * The detector options.
     *
     * @param options input size and score threshold (default {@link
     *     TinyFaceDetector.Options#DEFAULT})
     * @return this builder
     */
    public Builder options(TinyFaceDetector.Options options) {
      this.options = Objects.requireNonNull(options, "options");
      return this;
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
     * #fallbackBox(int, int, double, double, double)}).
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
     * Builds the embedder.
     *
     * @return the embedder
     */
    public FaceApiPhotoEmbedder build() {
      return new FaceApiPhotoEmbedder(this);
    }
  }

  /**
   * Reads and describes {@code <root>/<photo.relativePath()>}.
   *
   * @param photo the photo
   * @return its descriptor, or empty when even the fallback box gives no descriptor chip
   * @throws IOException if the file is missing or not an image
   */
  @Override
  public Optional<PhotoDescriptor> embed(PhotoId photo) throws IOException {
    return embed(readRgb(root.resolve(photo.relativePath())));
  }

  /**
   * Describes an image already in memory.
   *
   * @param image {@code [H, W, 3]} or {@code [1, H, W, 3]} RGB 0..255
   * @return its descriptor, or empty when even the fallback box gives no descriptor chip
   */
  public Optional<PhotoDescriptor> embed(INDArray image) {
    List<FaceBox> dets = pipeline.detector().detect(image, options); // validates the shape
    long[] s = image.shape();
    int h = (int) s[s.length - 3];
    int w = (int) s[s.length - 2];
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
      return dets.get(0); // the detector returns them by descending score
    }
    FaceBox best = dets.get(0);
    double bestD = Double.POSITIVE_INFINITY;
    for (FaceBox b : dets) {
      double dx = b.x() + b.width() / 2 - w / 2.0;
      double dy = b.y() + b.height() / 2 - h / 2.0;
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
   * @return the box, score {@code NaN}
   */
  public static FaceBox fallbackBox(
      int width, int height, double centerX, double centerY, double side) {
    double s = side * Math.min(width, height);
    return new FaceBox(centerX * width - s / 2, centerY * height - s / 2, s, s, Double.NaN);
  }

  /**
   * Decodes a photo with ImageIO into face-api's input layout.
   *
   * @param file a JPEG or PNG (grayscale photos become three equal channels)
   * @return {@code [H, W, 3]} FLOAT RGB 0..255
   * @throws IOException if the file is missing or not an image ImageIO can read
   */
  public static INDArray readRgb(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("no such photo: " + file);
    }
    BufferedImage img = ImageIO.read(file.toFile());
    if (img == null) {
      throw new IOException("not an image ImageIO can read: " + file);
    }
    int w = img.getWidth();
    int h = img.getHeight();
    int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
    float[] data = new float[w * h * 3];
    for (int i = 0; i < argb.length; i++) {
      int p = argb[i];
      data[3 * i] = (p >> 16) & 0xFF;
      data[3 * i + 1] = (p >> 8) & 0xFF;
      data[3 * i + 2] = p & 0xFF;
    }
    return Nd4j.createFromArray(data).reshape('c', h, w, 3);
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "FaceApiPhotoEmbedder[root=%s, detector inputSize=%d scoreThreshold=%s, selection=%s,"
            + " fallback box center (%s, %s) side %s]",
        root,
        options.inputSize(),
        options.scoreThreshold(),
        selection,
        fallbackCenterX,
        fallbackCenterY,
        fallbackSide);
  }
}
