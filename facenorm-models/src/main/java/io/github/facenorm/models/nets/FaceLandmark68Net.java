package io.github.facenorm.models.nets;

import io.github.facenorm.core.FaceBox;
import io.github.facenorm.core.FaceImage;
import io.github.facenorm.core.LandmarkDetector;
import io.github.facenorm.core.Landmarks;
import io.github.facenorm.models.internal.FaceApiTranslator;
import io.github.facenorm.models.internal.Layers;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import org.nd4j.autodiff.samediff.NameScope;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * face-api's 68-point landmark net ({@code face_landmark_68_model}) as a SameDiff graph: a {@code
 * [B, 112, 112, 3]} RGB image (0..255) to 68 points in the iBUG 68 order.
 *
 * <p>As face-api builds it: {@code (x - [122.782, 117.001, 104.298]) / 255}, four dense blocks of
 * four convolutions (the first a 3x3/2 SAME conv, then depthwise-separable 3x3 SAME convs with
 * bias, each block's first conv stride 2; block output {@code relu(out1 + out2 + out3 + out4)}),
 * 7x7/2 VALID average pool and {@code fc} {@code [256, 136]} + bias, giving {@code (x0, y0, x1,
 * ...)} relative to the 112x112 input. {@link #detectLandmarks(FaceImage)} adds face-api's
 * preprocessing (0..255, centered pad to square, legacy bilinear resize) and post-processing
 * (undoing the padding with its unrounded halves) to give points in the pixels of the image passed
 * in; {@link #detect(FaceImage, FaceBox)}, the {@link LandmarkDetector} method, runs face-api's
 * {@code withFaceLandmarks()} step on a detection. Thread-safe: net calls are serialized.
 */
public final class FaceLandmark68Net implements LandmarkDetector {
  /** Input side of the net. */
  public static final int INPUT_SIZE = 112;

  /** Number of landmarks. */
  public static final int NUM_POINTS = 68;

  private static final double[] MEAN_RGB = {122.782, 117.001, 104.298};
  private static final String INPUT = "input";
  private static final String SCOPE = "face_landmark_68";

  private final TfjsWeights weights;
  private SameDiff inference;
  private SDVariable inferenceOutput;

  private FaceLandmark68Net(TfjsWeights weights) {
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
  public static FaceLandmark68Net load() {
    return fromWeights(FaceApiModels.load(FaceApiModels.FACE_LANDMARK_68));
  }

  /**
   * The net with the given weights (face-api's manifest names and shapes).
   *
   * @param weights the weights
   * @return the net
   */
  public static FaceLandmark68Net fromWeights(TfjsWeights weights) {
    return new FaceLandmark68Net(weights);
  }

  /**
   * Adds the net to a graph.
   *
   * @param sd the graph
   * @param scope the name scope of every variable created
   * @param input {@code [B, 112, 112, 3]} RGB 0..255 (face-api's range; see {@link #preprocess}),
   *     FLOAT or DOUBLE
   * @return {@code [B, 136]} = {@code (x0, y0, ..., x67, y67)} in units of the input side (0..1
   *     inside the input), named {@code <scope>/landmarks}
   */
  public SDVariable build(SameDiff sd, String scope, SDVariable input) {
    DataType type = input.dataType();
    if (type != DataType.FLOAT && type != DataType.DOUBLE) {
      throw new IllegalArgumentException("input: expected FLOAT or DOUBLE, got " + type);
    }
    NameScope ns = sd.withNameScope(scope);
    try {
      Layers l = new Layers(sd, scope, weights, type);
      SDVariable x = input.sub("centered", l.vector("mean_rgb", MEAN_RGB)).div("normalized", 255.0);
      x = denseBlock(l, "dense0", x, 3, 32, true);
      x = denseBlock(l, "dense1", x, 32, 64, false);
      x = denseBlock(l, "dense2", x, 64, 128, false);
      x = denseBlock(l, "dense3", x, 128, 256, false);
      x = sd.reshape("features", l.avgPoolValid("avgpool", x, 7, 2), -1, 256);
      return x.mmul("fc", l.weight("fc/weights", 256, 136))
          .add("landmarks", l.weight("fc/bias", 136));
    } finally {
      ns.close();
    }
  }

  private static SDVariable denseBlock(
      Layers l, String p, SDVariable x, int in, int out, boolean first) {
    SDVariable c0;
    if (first) {
      SDVariable f = l.weight(p + "/conv0/filters", 3, 3, in, out);
      c0 =
          l.conv2d(p + "/conv0", x, f, 3, 2, true)
              .add(p + "/conv0_bias", l.weight(p + "/conv0/bias", out));
    } else {
      c0 = l.separable(p + "/conv0", x, in, out, 2, -1);
    }
    SDVariable out1 = l.sd().nn().relu(p + "/out1", c0, 0.0);
    SDVariable out2 = l.separable(p + "/conv1", out1, out, out, 1, -1);
    SDVariable in3 = l.sd().nn().relu(p + "/in3", out1.add(out2), 0.0);
    SDVariable out3 = l.separable(p + "/conv2", in3, out, out, 1, -1);
    SDVariable in4 = l.sd().nn().relu(p + "/in4", out1.add(out2.add(out3)), 0.0);
    SDVariable out4 = l.separable(p + "/conv3", in4, out, out, 1, -1);
    return l.sd().nn().relu(p + "/out", out1.add(out2.add(out3.add(out4))), 0.0);
  }

  /**
   * face-api's input: {@code toBatchTensor(112, isCenter = true)}, values scaled to 0..255.
   *
   * @param image the image, usually a face crop
   * @return {@code [1, 112, 112, 3]} FLOAT, 0..255
   */
  public static INDArray preprocess(FaceImage image) {
    return FaceApiTranslator.toNetInput(image, INPUT_SIZE, true);
  }

  /**
   * Runs the net on prepared inputs.
   *
   * @param batch {@code [B, 112, 112, 3]} RGB 0..255
   * @return {@code [B, 136]} FLOAT, relative to the input side
   */
  public synchronized INDArray predict(INDArray batch) {
    long[] s = batch.shape();
    if (s.length != 4 || s[1] != INPUT_SIZE || s[2] != INPUT_SIZE || s[3] != 3) {
      throw new IllegalArgumentException(
          "batch: expected shape [B, 112, 112, 3], got " + Arrays.toString(s));
    }
    if (inference == null) {
      SameDiff sd = SameDiff.create();
      SDVariable in = sd.placeHolder(INPUT, DataType.FLOAT, -1, INPUT_SIZE, INPUT_SIZE, 3);
      inferenceOutput = build(sd, SCOPE, in);
      inference = sd;
    }
    return inference
        .output(Map.of(INPUT, batch.castTo(DataType.FLOAT)), inferenceOutput.name())
        .get(inferenceOutput.name());
  }

  /**
   * face-api's {@code detectLandmarks(image)}: the 68 points of the face filling {@code image}.
   *
   * @param image the image, usually a face crop
   * @return {@code [x0, y0, ..., x67, y67]} in pixels of {@code image}
   */
  public double[] detectLandmarks(FaceImage image) {
    Objects.requireNonNull(image, "image");
    float[] o = predict(preprocess(image)).data().asFloat();
    return postProcess(o, image.width(), image.height());
  }

  /**
   * face-api's {@code withFaceLandmarks()} for one detection: the box goes through face-api's
   * relative/absolute round trip, is clipped to the image and floored, that crop goes through
   * {@link #detectLandmarks(FaceImage)}, and the points are shifted by the detection's unclipped,
   * unfloored origin (a face-api quirk kept on purpose).
   *
   * @param image the photo
   * @param face the face box, in pixels of {@code image}
   * @return the 68 points in pixels of {@code image}
   * @throws IllegalArgumentException if the box does not overlap the image
   */
  @Override
  public Landmarks detect(FaceImage image, FaceBox face) {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(face, "face");
    FaceBox crop = FaceApiTranslator.roundTrip(face, image.width(), image.height());
    int[] c = FaceApiTranslator.clipAndFloor(crop, image.width(), image.height());
    double[] pts = detectLandmarks(image.crop(c[0], c[1], c[2], c[3]));
    for (int i = 0; i < NUM_POINTS; i++) {
      pts[2 * i] += face.left();
      pts[2 * i + 1] += face.top();
    }
    return Landmarks.of(pts);
  }

  /** face-api's {@code postProcess} (float32, as its tensors) and {@code positions} (double). */
  static double[] postProcess(float[] o, int width, int height) {
    double scale = (double) INPUT_SIZE / Math.max(height, width);
    double w = width * scale;
    double h = height * scale;
    float padX = (float) (w < h ? Math.abs(w - h) / 2 : 0);
    float padY = (float) (h < w ? Math.abs(w - h) / 2 : 0);
    float fw = (float) w;
    float fh = (float) h;
    double[] out = new double[2 * NUM_POINTS];
    for (int i = 0; i < NUM_POINTS; i++) {
      float rx = (o[2 * i] * (float) INPUT_SIZE - padX) / fw;
      float ry = (o[2 * i + 1] * (float) INPUT_SIZE - padY) / fh;
      out[2 * i] = (double) rx * width;
      out[2 * i + 1] = (double) ry * height;
    }
    return out;
  }
}
