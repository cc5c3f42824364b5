package io.github.facenorm.models.normalize;

import io.github.facenorm.core.FaceBox;
import io.github.facenorm.core.FaceDecomposition;
import io.github.facenorm.core.FaceDetector;
import io.github.facenorm.core.FaceEncoder;
import io.github.facenorm.core.FaceImage;
import io.github.facenorm.core.FacePreparer;
import io.github.facenorm.core.LandmarkDetector;
import io.github.facenorm.core.Landmarks;
import io.github.facenorm.core.MeanShape;
import io.github.facenorm.core.dlib.DlibShapePredictor;
import io.github.facenorm.core.models.ModelStore;
import io.github.facenorm.models.nets.FaceApiModels;
import io.github.facenorm.models.nets.FaceRecognitionNet;
import io.github.facenorm.models.nets.TinyFaceDetector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Turns a face photo into a front-facing, evenly lit, neutral-expression image of the same person
 * (Cole et al., CVPR 2017): photo → detect → 68 landmarks → {@link FaceChip} → identity features →
 * decode landmarks and texture → warp the texture to the landmarks.
 *
 * <pre>{@code
 * FaceNormalizer normalizer = FaceNormalizer.builder().build(); // the shipped model
 * NormalizedFace face = normalizer.normalize(FaceImage.read(Path.of("photo.jpg")));
 * face.image().write(Path.of("normalized.png"));
 * }</pre>
 *
 * <p>Every model is used through core's interfaces, so the builder takes other detectors,
 * landmarkers or encoders. Thread-safe; the nets serialize their own calls.
 */
public final class FaceNormalizer {

  /** How to choose among several faces in a photo. */
  public enum FaceChoice {
    /** The face with the largest box (default). */
    LARGEST,
    /** The face the detector scored highest. */
    MOST_CONFIDENT
  }

  private final NormalizerModel model;
  private final FaceDetector detector;
  private final LandmarkDetector landmarker;
  private final FaceEncoder encoder;
  private final FaceChoice choice;
  private final int refinements;
  private final MeanShape meanShape;

  private FaceNormalizer(Builder b) {
    this.model = b.model;
    this.detector = b.detector;
    this.landmarker = b.landmarker;
    this.encoder = b.encoder;
    this.choice = b.choice;
    this.refinements = b.refinements;
    this.meanShape = MeanShape.of(model.meanLandmarks(), 1);
    if (encoder.dimension() != ModelConfig.INPUT_FEATURES) {
      throw new IllegalArgumentException(
          "encoder: expected "
              + ModelConfig.INPUT_FEATURES
              + " features (the model's input), got "
              + encoder.dimension());
    }
  }

  /**
   * A builder with the shipped model, face-api's tiny face detector, dlib's 68-point landmarker and
   * the recognition net's pooled features.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** The model. */
  public NormalizerModel model() {
    return model;
  }

  /** Side of the output images, px. */
  public int outputSize() {
    return model.config().frameSize();
  }

  /**
   * Reads and normalizes a photo file; errors name the file.
   *
   * @param photo a JPEG or PNG
   * @return the normalized face
   * @throws IOException if the photo cannot be read
   * @throws NoFaceException if no face is found
   */
  public NormalizedFace normalize(Path photo) throws IOException {
    Objects.requireNonNull(photo, "photo");
    FaceImage image = FaceImage.read(photo);
    try {
      return normalize(image);
    } catch (NoFaceException e) {
      throw new NoFaceException(photo + ": " + e.getMessage());
    }
  }

  /**
   * Normalizes the chosen face of a photo.
   *
   * @param photo the photo, any size ≥ 2 × 2
   * @return the normalized face
   * @throws NoFaceException if no face is found
   */
  public NormalizedFace normalize(FaceImage photo) {
    return normalize(List.of(photo)).get(0);
  }

  /**
   * Normalizes several photos, decoding them as one batch. A photo without a face stops the call
   * with a {@link NoFaceException} naming its index; to skip bad photos, call {@link
   * #normalize(FaceImage)} per photo.
   *
   * @param photos the photos
   * @return one normalized face per photo, in order
   */
  public List<NormalizedFace> normalize(List<FaceImage> photos) {
    Objects.requireNonNull(photos, "photos");
    int n = photos.size();
    List<FaceBox> boxes = new ArrayList<>(n);
    List<Landmarks> lms = new ArrayList<>(n);
    float[] feats = new float[n * ModelConfig.INPUT_FEATURES];
    for (int i = 0; i < n; i++) {
      FaceImage photo = Objects.requireNonNull(photos.get(i), "photos[" + i + "]");
      if (photo.width() < 2 || photo.height() < 2) {
        throw new IllegalArgumentException(
            (n > 1 ? "photos[" + i + "]" : "photo")
                + ": expected at least 2 × 2 pixels, got "
                + photo.width()
                + " × "
                + photo.height());
      }
      FaceBox box = choose(detector.detect(photo), photo, n > 1 ? i : -1);
      Landmarks lm = landmarks(photo, box);
      boxes.add(box);
      lms.add(lm);
      float[] f = encoder.encode(FaceChip.cut(photo, lm));
      System.arraycopy(f, 0, feats, i * f.length, f.length);
    }
    NormalizerModel.Decoded d =
        model.decode(Nd4j.create(feats, new long[] {n, ModelConfig.INPUT_FEATURES}, 'c'));
    List<NormalizedFace> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      INDArray l = d.landmarks().get(org.nd4j.linalg.indexing.NDArrayIndex.point(i));
      Landmarks predicted =
          Landmarks.fromINDArray(l.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE));
      FaceImage texture =
          FaceImage.fromINDArray(d.texture().get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)));
      FaceImage image =
          model.config().decoder().warps()
              ? FaceDecomposition.compose(texture, predicted, meanShape)
              : texture; // a plain-CNN baseline decodes the image itself
      out.add(new NormalizedFace(image, predicted, texture, boxes.get(i), lms.get(i)));
    }
    return out;
  }

  private FaceBox choose(List<FaceBox> faces, FaceImage photo, int index) {
    if (faces.isEmpty()) {
      throw new NoFaceException(
          String.format(
              Locale.ROOT,
              "no face found in the %s%d × %d photo",
              index >= 0 ? "#" + index + " " : "",
              photo.width(),
              photo.height()));
    }
    Comparator<FaceBox> by =
        choice == FaceChoice.LARGEST
            ? Comparator.comparingDouble(b -> b.width() * b.height())
            : Comparator.comparingDouble(b -> b.score().orElse(0));
    return faces.stream().max(by).orElseThrow();
  }

  private Landmarks landmarks(FaceImage photo, FaceBox box) {
    Landmarks lm = landmarker.detect(photo, box);
    for (int i = 0; i < refinements; i++) {
      lm = landmarker.detect(photo, FacePreparer.boxAround(lm));
    }
    return lm;
  }

  /**
   * The default detector: face-api's tiny detector at 320 px (fast), and when it finds nothing, a
   * second look at 608 px with a score threshold of 0.3 (5 % of LFW photos need it).
   */
  private static final class SecondLook implements FaceDetector {
    private final TinyFaceDetector fast;
    private final TinyFaceDetector thorough;

    SecondLook(TinyFaceDetector net) {
      fast = net.withOptions(new TinyFaceDetector.Options(320, 0.5));
      thorough = net.withOptions(new TinyFaceDetector.Options(608, 0.3));
    }

    @Override
    public List<FaceBox> detect(FaceImage image) {
      List<FaceBox> faces = fast.detect(image);
      return faces.isEmpty() ? thorough.detect(image) : faces;
    }
  }

  /** Builds a {@link FaceNormalizer}. */
  public static final class Builder {
    private NormalizerModel model;
    private Path modelPath;
    private FaceDetector detector;
    private LandmarkDetector landmarker;
    private FaceEncoder encoder;
    private FaceChoice choice = FaceChoice.LARGEST;
    private int refinements = 1;
    private ModelStore store;

    private Builder() {}

    /**
     * The model store the default detector, landmarker and encoder are loaded from (default: {@link
     * ModelStore#open()}, the default cache). A cluster job points it at the files it shipped to
     * each worker.
     *
     * @param store the store
     * @return this builder
     */
    public Builder modelStore(ModelStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * Another model folder (written by {@code facenorm train}) instead of the shipped one.
     *
     * @param dir the model folder
     * @return this builder
     */
    public Builder model(Path dir) {
      this.modelPath = Objects.requireNonNull(dir, "dir");
      this.model = null;
      return this;
    }

    /**
     * A model already in memory.
     *
     * @param model the model
     * @return this builder
     */
    public Builder model(NormalizerModel model) {
      this.model = Objects.requireNonNull(model, "model");
      this.modelPath = null;
      return this;
    }

    /**
     * The face detector (default: face-api's tiny face detector at 320 px, then at 608 px with a
     * lower score threshold when the first pass finds nothing).
     *
     * @param detector the detector
     * @return this builder
     */
    public Builder detector(FaceDetector detector) {
      this.detector = Objects.requireNonNull(detector, "detector");
      return this;
    }

    /**
     * The 68-point landmarker (default: dlib's shape predictor, as the paper).
     *
     * @param landmarker the landmarker
     * @return this builder
     */
    public Builder landmarker(LandmarkDetector landmarker) {
      this.landmarker = Objects.requireNonNull(landmarker, "landmarker");
      return this;
    }

    /**
     * The identity encoder: reads a {@link FaceChip} and returns the model's 256 input features
     * (default: the recognition net's pooled layer, {@link
     * FaceRecognitionNet#pooledFeatureEncoder()}).
     *
     * @param encoder the encoder
     * @return this builder
     */
    public Builder encoder(FaceEncoder encoder) {
      this.encoder = Objects.requireNonNull(encoder, "encoder");
      return this;
    }

    /**
     * Which face to normalize when a photo has several (default {@link FaceChoice#LARGEST}).
     *
     * @param choice the rule
     * @return this builder
     */
    public Builder faceChoice(FaceChoice choice) {
      this.choice = Objects.requireNonNull(choice, "choice");
      return this;
    }

    /**
     * Builds the normalizer, loading the default models that were not given.
     *
     * @return the normalizer
     * @throws UncheckedIOException if a model file is missing or corrupt
     */
    public FaceNormalizer build() {
      ModelStore s = store != null ? store : ModelStore.open();
      try {
        if (model == null) {
          model = modelPath == null ? ShippedModel.load() : NormalizerModel.load(modelPath);
        }
        if (landmarker == null) {
          landmarker = DlibShapePredictor.load(s);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e.getMessage(), e);
      }
      if (detector == null) {
        detector =
            new SecondLook(
                TinyFaceDetector.fromWeights(
                    FaceApiModels.load(s, FaceApiModels.TINY_FACE_DETECTOR)));
      }
      if (encoder == null) {
        encoder =
            FaceRecognitionNet.fromWeights(FaceApiModels.load(s, FaceApiModels.FACE_RECOGNITION))
                .pooledFeatureEncoder();
      }
      return new FaceNormalizer(this);
    }
  }
}
