package io.github.facenorm.models.nets;

import io.github.facenorm.core.FaceEncoder;
import io.github.facenorm.core.FaceImage;
import io.github.facenorm.models.internal.FaceApiTranslator;
import io.github.facenorm.models.internal.Layers;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.nd4j.autodiff.samediff.NameScope;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * face-api's face-recognition ResNet (dlib's 29-layer ResNet, {@code face_recognition_model}) as a
 * SameDiff graph: a {@code [B, 150, 150, 3]} RGB image (0..255) to the 128-D face descriptor, and
 * the 256-D globally pooled features before the last fully connected layer (the encoder's frozen
 * part in facenorm).
 *
 * <p>Exactly as face-api builds it: {@code (x - [122.782, 117.001, 104.298]) / 255} (face-api's
 * /255; dlib's own net divides by 256), a 7x7/2 VALID conv with bias, per-channel scale and shift,
 * ReLU, 3x3/2 VALID max pool, residual blocks 32x3, 64x4, 128x3, 256x3 and a final 256 down block
 * (down blocks: conv branch 3x3/2 VALID, shortcut 2x2/2 VALID average pool zero-padded in channels,
 * the conv branch zero-padded at the bottom/right when it is one smaller), mean over H and W, and
 * {@code fc} {@code [256, 128]} without bias. The descriptor is not L2-normalized; two faces are
 * the same person when the Euclidean distance is below about 0.6.
 *
 * <p>The weights are constants of the graph (never trained), of the input's dtype, named {@code
 * <scope>/<manifest name>}; gradients flow to the input image (conv2d, max/avg pooling, pad,
 * broadcast arithmetic, mean and matmul all have working SameDiff gradients).
 *
 * <p>As core's {@link FaceEncoder}, {@link #encode(FaceImage)} is face-api's {@code
 * computeFaceDescriptor}: the face crop (any size; face-api's pipeline gives it the dlib-style
 * chip, see {@link FaceApiPipeline}) is scaled to 0..255, padded to a square and resized to 150 x
 * 150 by {@link #preprocess(FaceImage)}, then run through the net. The 256-D pooled features of the
 * same input come from {@link #pooledFeatures(FaceImage)}, {@link #pooledFeatures(List)} or the
 * {@link #pooledFeatureEncoder()} view. Thread-safe: net calls are serialized.
 */
public final class FaceRecognitionNet implements FaceEncoder {
  /** Input side of the net. */
  public static final int INPUT_SIZE = 150;

  /** Dimension of the descriptor. */
  public static final int EMBEDDING_SIZE = 128;

  /** Dimension of the pooled features before {@code fc}. */
  public static final int POOLED_SIZE = 256;

  private static final double[] MEAN_RGB = {122.782, 117.001, 104.298};
  private static final String INPUT = "input";
  private static final String SCOPE = "face_recognition";

  private final TfjsWeights weights;
  private SameDiff inference;
  private Outputs inferenceOutputs;

  /**
   * The graph outputs of {@link #build}.
   *
   * @param embedding the descriptor, {@code [B, 128]}, named {@code <scope>/embedding}
   * @param pooled the pooled features, {@code [B, 256]}, named {@code <scope>/pooled}
   */
  public record Outputs(SDVariable embedding, SDVariable pooled) {}

  private FaceRecognitionNet(TfjsWeights weights) {
    this.weights = weights;
  }

  /**
   * The net with face-api's weights from the model store ({@link FaceApiModels}), every file
   * SHA-256-checked.
   *
   * @return the net
   * @throws IllegalStateException if the weights are not cached (run {@code
   *     scripts/fetch-face-api.sh})
   * @throws java.io.UncheckedIOException if a cached file does not have its pinned SHA-256
   */
  public static FaceRecognitionNet load() {
    return fromWeights(FaceApiModels.load(FaceApiModels.FACE_RECOGNITION));
  }

  /**
   * The net with the given weights (face-api's manifest names and shapes).
   *
   * @param weights the weights
   * @return the net
   */
  public static FaceRecognitionNet fromWeights(TfjsWeights weights) {
    return new FaceRecognitionNet(weights);
  }

  /**
   * The weights this net was made with.
   *
   * @return the weights
   */
  public TfjsWeights weights() {
    return weights;
  }

  /**
   * Adds the net to a graph.
   *
   * @param sd the graph
   * @param scope the name scope of every variable created
   * @param input {@code [B, 150, 150, 3]} RGB 0..255 (face-api's range; see {@link
   *     #preprocess(List)}), FLOAT or DOUBLE (the net takes its dtype)
   * @return the descriptor {@code [B, 128]} and the pooled features {@code [B, 256]}
   */
  public Outputs build(SameDiff sd, String scope, SDVariable input) {
    DataType type = input.dataType();
    if (type != DataType.FLOAT && type != DataType.DOUBLE) {
      throw new IllegalArgumentException("input: expected FLOAT or DOUBLE, got " + type);
    }
    NameScope ns = sd.withNameScope(scope);
    try {
      Layers l = new Layers(sd, scope, weights, type);
      SDVariable x = input.sub("centered", l.vector("mean_rgb", MEAN_RGB)).div("normalized", 255.0);
      x = convLayer(l, "conv32_down", x, 7, 3, 32, 2, false, true);
      x = l.maxPool("maxpool", x, 3, 2, false);
      x = residual(l, "conv32_1", x, 32);
      x = residual(l, "conv32_2", x, 32);
      x = residual(l, "conv32_3", x, 32);
      x = residualDown(l, "conv64_down", x, 32, 64, 35);
      x = residual(l, "conv64_1", x, 64);
      x = residual(l, "conv64_2", x, 64);
      x = residual(l, "conv64_3", x, 64);
      x = residualDown(l, "conv128_down", x, 64, 128, 17);
      x = residual(l, "conv128_1", x, 128);
      x = residual(l, "conv128_2", x, 128);
      x = residualDown(l, "conv256_down", x, 128, 256, 8);
      x = residual(l, "conv256_1", x, 256);
      x = residual(l, "conv256_2", x, 256);
      x = residualDown(l, "conv256_down_out", x, 256, 256, 4);
      SDVariable pooled = x.mean("pooled", 1, 2);
      SDVariable embedding = pooled.mmul("embedding", l.weight("fc", POOLED_SIZE, EMBEDDING_SIZE));
      return new Outputs(embedding, pooled);
    } finally {
      ns.close();
    }
  }

  private static SDVariable convLayer(
      Layers l,
      String p,
      SDVariable x,
      int k,
      int in,
      int out,
      int stride,
      boolean same,
      boolean relu) {
    SDVariable f = l.weight(p + "/conv/filters", k, k, in, out);
    SDVariable b = l.weight(p + "/conv/bias", out);
    SDVariable w = l.weight(p + "/scale/weights", out);
    SDVariable s = l.weight(p + "/scale/biases", out);
    SDVariable y = l.conv2d(p + "/conv", x, f, k, stride, same).add(p + "/conv_bias", b);
    y = y.mul(p + "/scaled", w).add(p + "/shifted", s);
    return relu ? l.sd().nn().relu(p + "/relu", y, 0.0) : y;
  }

  private static SDVariable residual(Layers l, String p, SDVariable x, int c) {
    SDVariable y = convLayer(l, p + "/conv1", x, 3, c, c, 1, true, true);
    y = convLayer(l, p + "/conv2", y, 3, c, c, 1, true, false);
    return l.sd().nn().relu(p + "/out", y.add(p + "/sum", x), 0.0);
  }

  /**
   * A down block. For an even input side the VALID 3x3/2 conv branch is one smaller than the 2x2/2
   * pooled shortcut, and face-api appends a zero row and column to it.
   */
  private static SDVariable residualDown(
      Layers l, String p, SDVariable x, int in, int out, int inSide) {
    SDVariable y = convLayer(l, p + "/conv1", x, 3, in, out, 2, false, true);
    y = convLayer(l, p + "/conv2", y, 3, out, out, 1, true, false);
    if (inSide % 2 == 0) {
      y = l.padAfter(p + "/conv_padded", y, 1, 1, 0);
    }
    SDVariable pooled = l.avgPoolValid(p + "/pool", x, 2, 2);
    if (in != out) {
      pooled = l.padAfter(p + "/pool_padded", pooled, 0, 0, out - in);
    }
    return l.sd().nn().relu(p + "/out", y.add(p + "/sum", pooled), 0.0);
  }

  /**
   * face-api's input for this net: {@code toBatchTensor(150, isCenter = true)}: values scaled to
   * 0..255, padded to a square (centered, the odd row/column at the end), then legacy bilinear
   * resize if the side is not 150.
   *
   * @param face the face crop, any size
   * @return {@code [1, 150, 150, 3]} FLOAT, 0..255
   */
  public static INDArray preprocess(FaceImage face) {
    return FaceApiTranslator.toNetInput(face, INPUT_SIZE, true);
  }

  /**
   * {@link #preprocess(FaceImage)} for a batch of faces of any sizes.
   *
   * @param faces the face crops, at least one
   * @return {@code [B, 150, 150, 3]} FLOAT, 0..255
   */
  public static INDArray preprocess(List<FaceImage> faces) {
    return FaceApiTranslator.toNetInput(faces, INPUT_SIZE, true);
  }

  /**
   * Runs the net on prepared inputs.
   *
   * @param batch {@code [B, 150, 150, 3]} RGB 0..255 (see {@link #preprocess(List)})
   * @return the descriptors {@code [B, 128]} FLOAT
   */
  public INDArray embed(INDArray batch) {
    return run(batch).get(inferenceOutputs.embedding().name());
  }

  /**
   * Runs the net on prepared inputs and returns the pooled features.
   *
   * @param batch {@code [B, 150, 150, 3]} RGB 0..255 (see {@link #preprocess(List)})
   * @return the features before {@code fc}, {@code [B, 256]} FLOAT
   */
  public INDArray pooledFeatures(INDArray batch) {
    return run(batch).get(inferenceOutputs.pooled().name());
  }

  /**
   * Length of the descriptor, {@value #EMBEDDING_SIZE}.
   *
   * @return 128
   */
  @Override
  public int dimension() {
    return EMBEDDING_SIZE;
  }

  /**
   * The 128-D descriptor of a face crop: face-api's {@code computeFaceDescriptor}, {@link
   * #preprocess(FaceImage)} then the net.
   *
   * @param face the face crop, any size (face-api's pipeline passes the dlib-style chip)
   * @return the 128 descriptor values (not L2-normalized)
   */
  @Override
  public float[] encode(FaceImage face) {
    Objects.requireNonNull(face, "face");
    return embed(preprocess(face)).data().asFloat();
  }

  /**
   * The 128-D descriptors of a batch of face crops, in one net call.
   *
   * @param faces the face crops, at least one, any sizes
   * @return one descriptor per face, {@code [B][128]}
   */
  public float[][] encode(List<FaceImage> faces) {
    return embed(preprocess(faces)).toFloatMatrix();
  }

  /**
   * The 256-D pooled features (the encoder's frozen part in facenorm) of a face crop, from the same
   * input as {@link #encode(FaceImage)}.
   *
   * @param face the face crop, any size
   * @return the {@value #POOLED_SIZE} features before {@code fc}
   */
  public float[] pooledFeatures(FaceImage face) {
    Objects.requireNonNull(face, "face");
    return pooledFeatures(preprocess(face)).data().asFloat();
  }

  /**
   * The 256-D pooled features of a batch of face crops, in one net call.
   *
   * @param faces the face crops, at least one, any sizes
   * @return one feature vector per face, {@code [B][256]}
   */
  public float[][] pooledFeatures(List<FaceImage> faces) {
    return pooledFeatures(preprocess(faces)).toFloatMatrix();
  }

  /**
   * Both outputs of a batch of face crops in one net call: the 128-D descriptors and the 256-D
   * pooled features (facenorm's encoder reads the features; its evaluation compares descriptors).
   *
   * @param faces the face crops, at least one, any sizes
   * @return the descriptors {@code [B][128]} and the pooled features {@code [B][256]}
   */
  public Encodings encodeAll(List<FaceImage> faces) {
    Map<String, INDArray> out = run(preprocess(faces));
    return new Encodings(
        out.get(inferenceOutputs.embedding().name()).toFloatMatrix(),
        out.get(inferenceOutputs.pooled().name()).toFloatMatrix());
  }

  /**
   * The net's two outputs for a batch.
   *
   * @param descriptors {@code [B][128]}
   * @param pooledFeatures {@code [B][256]}
   */
  public record Encodings(float[][] descriptors, float[][] pooledFeatures) {}

  /**
   * This net as a {@link FaceEncoder} of the 256-D pooled features: {@code dimension()} is {@value
   * #POOLED_SIZE} and {@code encode} is {@link #pooledFeatures(FaceImage)}.
   *
   * @return a view sharing this net
   */
  public FaceEncoder pooledFeatureEncoder() {
    return new FaceEncoder() {
      @Override
      public int dimension() {
        return POOLED_SIZE;
      }

      @Override
      public float[] encode(FaceImage face) {
        return pooledFeatures(face);
      }

      @Override
      public String toString() {
        return "FaceRecognitionNet.pooledFeatureEncoder[" + weights.source() + "]";
      }
    };
  }

  private synchronized Map<String, INDArray> run(INDArray batch) {
    long[] s = batch.shape();
    if (s.length != 4 || s[1] != INPUT_SIZE || s[2] != INPUT_SIZE || s[3] != 3) {
      throw new IllegalArgumentException(
          "batch: expected shape [B, 150, 150, 3], got " + Arrays.toString(s));
    }
    if (inference == null) {
      SameDiff sd = SameDiff.create();
      SDVariable in = sd.placeHolder(INPUT, DataType.FLOAT, -1, INPUT_SIZE, INPUT_SIZE, 3);
      inferenceOutputs = build(sd, SCOPE, in);
      inference = sd;
    }
    return inference.output(
        Map.of(INPUT, batch.castTo(DataType.FLOAT)),
        inferenceOutputs.embedding().name(),
        inferenceOutputs.pooled().name());
  }
}
