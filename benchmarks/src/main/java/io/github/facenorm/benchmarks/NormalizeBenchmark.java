package io.github.facenorm.benchmarks;

import io.github.facenorm.core.FaceBox;
import io.github.facenorm.core.FaceDecomposition;
import io.github.facenorm.core.FaceImage;
import io.github.facenorm.core.FacePreparer;
import io.github.facenorm.core.Landmarks;
import io.github.facenorm.core.MeanShape;
import io.github.facenorm.core.dlib.DlibShapePredictor;
import io.github.facenorm.models.nets.FaceRecognitionNet;
import io.github.facenorm.models.nets.TinyFaceDetector;
import io.github.facenorm.models.normalize.FaceChip;
import io.github.facenorm.models.normalize.FaceNormalizer;
import io.github.facenorm.models.normalize.ModelConfig;
import io.github.facenorm.models.normalize.NormalizerModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The main job, photo → normalized face with the shipped model, end to end and by stage: detect
 * (tiny face detector, 320 px), landmarks (dlib, with one refinement), chip + encode (recognition
 * net's pooled features), decode (the normalizer net), warp (texture to landmarks). The photo is a
 * real LFW photo read from {@code -Dfacenorm.photo} (default {@code
 * ../shared/data/lfw-devtrain/Aaron_Peirsol/Aaron_Peirsol_0001.jpg}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xss4m"})
public class NormalizeBenchmark {

  private FaceNormalizer normalizer;
  private TinyFaceDetector detector;
  private DlibShapePredictor dlib;
  private FaceRecognitionNet encoder;
  private NormalizerModel model;
  private FaceImage photo;
  private FaceBox box;
  private Landmarks landmarks;
  private INDArray features;
  private FaceImage texture;
  private Landmarks predicted;
  private MeanShape mean;

  /**
   * Loads the models and the photo and runs each stage once for the next one's input.
   *
   * @throws IOException if the photo or a model is missing
   */
  @Setup
  public void setup() throws IOException {
    Path p =
        Path.of(
            System.getProperty(
                "facenorm.photo",
                "../shared/data/lfw-devtrain/Aaron_Peirsol/Aaron_Peirsol_0001.jpg"));
    if (!Files.isRegularFile(p)) {
      throw new IllegalStateException("photo " + p + " not found: pass -Dfacenorm.photo=<jpg>");
    }
    photo = FaceImage.read(p);
    detector = TinyFaceDetector.load().withOptions(new TinyFaceDetector.Options(320, 0.5));
    dlib = DlibShapePredictor.loadDefault();
    encoder = FaceRecognitionNet.load();
    normalizer =
        FaceNormalizer.builder()
            .detector(detector)
            .landmarker(dlib)
            .encoder(encoder.pooledFeatureEncoder())
            .build();
    model = normalizer.model();
    mean = MeanShape.of(model.meanLandmarks(), 1);
    box = detector.detect(photo).get(0);
    landmarks = landmarks();
    features =
        Nd4j.create(
            encoder.pooledFeatures(FaceChip.cut(photo, landmarks)),
            new long[] {1, ModelConfig.INPUT_FEATURES},
            'c');
    NormalizerModel.Decoded d = model.decode(features);
    texture = FaceImage.fromINDArray(d.texture().get(NDArrayIndex.point(0)));
    predicted =
        Landmarks.fromINDArray(d.landmarks().get(NDArrayIndex.point(0)).castTo(DataType.DOUBLE));
  }

  /** The whole call. */
  @Benchmark
  public Object endToEnd() {
    return normalizer.normalize(photo);
  }

  /** Face detection. */
  @Benchmark
  public List<FaceBox> detect() {
    return detector.detect(photo);
  }

  /** dlib landmarks in the detector's box, then once more in a box placed from them. */
  @Benchmark
  public Landmarks landmarks() {
    return dlib.detect(photo, FacePreparer.boxAround(dlib.detect(photo, box)));
  }

  /** The face chip and its 256 pooled features. */
  @Benchmark
  public float[] encode() {
    return encoder.pooledFeatures(FaceChip.cut(photo, landmarks));
  }

  /** The normalizer net: features → landmarks and texture. */
  @Benchmark
  public Object decode() {
    return model.decode(features);
  }

  /** The texture warped to the predicted landmarks. */
  @Benchmark
  public FaceImage warp() {
    return FaceDecomposition.compose(texture, predicted, mean);
  }
}
