package io.github.facenorm.models.nets;

import io.github.facenorm.core.FaceBox;
import io.github.facenorm.core.FaceDetector;
import io.github.facenorm.core.FaceImage;
import io.github.facenorm.models.internal.FaceApiTranslator;
import io.github.facenorm.models.internal.Layers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.nd4j.autodiff.samediff.NameScope;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * face-api's tiny face detector ({@code tiny_face_detector_model}, a Tiny-YOLOv2 with separable
 * convolutions) as a SameDiff graph, with face-api's box decoding and non-maximum suppression.
 *
 * <p>The graph, as face-api builds it: {@code (x - [117.001, 114.697, 97.404]) / 255}; {@code
 * conv0} 3x3 VALID + bias (the input shrinks by 2); {@code conv1..5} zero-pad 1 then separable 3x3
 * VALID + bias; each conv followed by leaky ReLU 0.1 ({@code relu(x - 0.1x) + 0.1x}) and a 2x2 SAME
 * max pool (stride 2, the last stride 1); {@code conv8} 1x1 to 25 channels = 5 anchors x {@code
 * (tx, ty, tw, th, score)}. Output {@code [B, S/32, S/32, 25]}.
 *
 * <p>{@link #detect} copies face-api's {@code TinyFaceDetector.locateFaces}: the image is padded at
 * the bottom/right to a square and resized to {@link Options#inputSize()}; a cell's anchor is kept
 * when {@code sigmoid(score) > scoreThreshold}; boxes are decoded with the correction for the
 * padding; NMS drops boxes with IoU above 0.4; results come by descending score, in image pixels,
 * not clipped, as core {@link FaceBox}es with the detector's score.
 *
 * <p>As a {@link FaceDetector} it runs with face-api's defaults ({@link Options#DEFAULT}); {@link
 * #withOptions} gives a detector with other options. Thread-safe: net calls are serialized.
 */
public final class TinyFaceDetector implements FaceDetector {
  /** IoU above which face-api's NMS drops the lower-scored box. */
  public static final double IOU_THRESHOLD = 0.4;

  private static final double[] MEAN_RGB = {117.001, 114.697, 97.404};
  private static final double[][] ANCHORS = {
    {1.603231, 2.094468},
    {6.041143, 7.080126},
    {2.882459, 3.518061},
    {4.266906, 5.178857},
    {9.041765, 10.66308}
  };
  private static final int[] FILTERS = {3, 16, 32, 64, 128, 256, 512};
  private static final String INPUT = "input";
  private static final String SCOPE = "tiny_face_detector";

  private final TfjsWeights weights;
  private final Map<Integer, SameDiff> graphs = new HashMap<>();
  private final Map<Integer, String> outputs = new HashMap<>();
  private final Options options;
  private final TinyFaceDetector net;

  /**
   * Detector options, face-api's {@code TinyFaceDetectorOptions}.
   *
   * @param inputSize the side the image is resized to, a positive multiple of 32 (face-api's
   *     default 416)
   * @param scoreThreshold keep boxes whose score is above this, in (0, 1) (default 0.5)
   */
  public record Options(int inputSize, double scoreThreshold) {
    /** face-api's defaults: 416, 0.5. */
    public static final Options DEFAULT = new Options(416, 0.5);

    /** Validates like face-api. */
    public Options {
      if (inputSize <= 0 || inputSize % 32 != 0) {
        throw new IllegalArgumentException(
            "inputSize: expected a positive multiple of 32, got " + inputSize);
      }
      if (!(scoreThreshold > 0 && scoreThreshold < 1)) {
        throw new IllegalArgumentException(
            "scoreThreshold: expected a number in (0, 1), got " + scoreThreshold);
      }
    }
  }

  private TinyFaceDetector(TfjsWeights weights) {
    this.weights = weights;
    this.options = Options.DEFAULT;
    this.net = this;
  }

  private TinyFaceDetector(TinyFaceDetector net, Options options) {
    this.weights = net.weights;
    this.options = options;
    this.net = net;
  }

  /**
   * The same net (and its compiled graphs) as a detector with other options.
   *
   * @param options input size and score threshold
   * @return a detector whose {@link #detect(FaceImage)} uses {@code options}
   */
  public TinyFaceDetector withOptions(Options options) {
    return new TinyFaceDetector(net, Objects.requireNonNull(options, "options"));
  }

  /**
   * The options {@link #detect(FaceImage)} uses.
   *
   * @return the options ({@link Options#DEFAULT} unless set by {@link #withOptions})
   */
  public Options options() {
    return options;
  }

  /**
   * The detector with face-api's weights from the model store ({@link FaceApiModels}), every file
   * SHA-256-checked.
   *
   * @return the detector
   * @throws IllegalStateException if the weights are not cached (run {@code
   *     scripts/fetch-face-api.sh})
   * @throws java.io.UncheckedIOException if a cached file does not have its pinned SHA-256
   */
  public static TinyFaceDetector load() {
    return fromWeights(FaceApiModels.load(FaceApiModels.TINY_FACE_DETECTOR));
  }

  /**
   * The detector with the given weights (face-api's manifest names and shapes).
   *
   * @param weights the weights
   * @return the detector
   */
  public static TinyFaceDetector fromWeights(TfjsWeights weights) {
    return new TinyFaceDetector(weights);
  }

  /**
   * Adds the net to a graph.
   *
   * @param sd the graph
   * @param scope the name scope of every variable created
   * @param input {@code [B, S, S, 3]} RGB 0..255 (face-api's range; see {@link #preprocess}) with S
   *     a multiple of 32, FLOAT or DOUBLE
   * @return {@code [B, S/32, S/32, 25]} raw outputs, named {@code <scope>/output}
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
      SDVariable f0 = l.weight("conv0/filters", 3, 3, 3, 16);
      x =
          l.conv2d("conv0/conv", x, f0, 3, 1, false)
              .add("conv0/biased", l.weight("conv0/bias", 16));
      x = leaky(l, "conv0", x);
      for (int i = 1; i <= 5; i++) {
        x = l.maxPool("maxpool" + (i - 1), x, 2, 2, true);
        x = l.separable("conv" + i, x, FILTERS[i], FILTERS[i + 1], 1, 1);
        x = leaky(l, "conv" + i, x);
      }
      x = l.maxPool("maxpool5", x, 2, 1, true);
      SDVariable f8 = l.weight("conv8/filters", 1, 1, 512, 25);
      return l.conv2d("conv8/conv", x, f8, 1, 1, false).add("output", l.weight("conv8/bias", 25));
    } finally {
      ns.close();
    }
  }

  private static SDVariable leaky(Layers l, String p, SDVariable x) {
    SDVariable min = x.mul(p + "/leak", l.scalar(p + "/alpha", 0.10000000149011612));
    return l.sd().nn().relu(p + "/relu", x.sub(min), 0.0).add(p + "/leaky", min);
  }

  /**
   * face-api's input: {@code toBatchTensor(inputSize, isCenter = false)} (pad at the bottom/right),
   * values scaled to 0..255.
   *
   * @param image the photo
   * @param inputSize the square side
   * @return {@code [1, inputSize, inputSize, 3]} FLOAT, 0..255
   */
  public static INDArray preprocess(FaceImage image, int inputSize) {
    return FaceApiTranslator.toNetInput(image, inputSize, false);
  }

  /**
   * Runs the net on a prepared input.
   *
   * @param batch {@code [B, S, S, 3]} RGB 0..255, S a multiple of 32
   * @return {@code [B, S/32, S/32, 25]} FLOAT raw outputs
   */
  public INDArray predict(INDArray batch) {
    return net.run(batch);
  }

  private synchronized INDArray run(INDArray batch) {
    long[] s = batch.shape();
    if (s.length != 4 || s[1] != s[2] || s[1] % 32 != 0 || s[1] == 0 || s[3] != 3) {
      throw new IllegalArgumentException(
          "batch: expected shape [B, S, S, 3] with S a multiple of 32, got " + Arrays.toString(s));
    }
    int size = (int) s[1];
    SameDiff sd = graphs.get(size);
    if (sd == null) {
      sd = SameDiff.create();
      SDVariable in = sd.placeHolder(INPUT, DataType.FLOAT, -1, size, size, 3);
      outputs.put(size, build(sd, SCOPE, in).name());
      graphs.put(size, sd);
    }
    String out = outputs.get(size);
    return sd.output(Map.of(INPUT, batch.castTo(DataType.FLOAT)), out).get(out);
  }

  /**
   * Detects faces with this detector's options ({@link Options#DEFAULT} unless {@link #withOptions}
   * set others).
   *
   * @param image the photo
   * @return the faces by descending score, in image pixels, each with its score
   */
  @Override
  public List<FaceBox> detect(FaceImage image) {
    return detect(image, options);
  }

  /**
   * face-api's {@code detectAllFaces(image, new TinyFaceDetectorOptions(options))}.
   *
   * @param image the photo
   * @param options input size and score threshold
   * @return the faces by descending score, in image pixels, each with its score
   */
  public List<FaceBox> detect(FaceImage image, Options options) {
    Objects.requireNonNull(image, "image");
    int size = options.inputSize();
    INDArray out = predict(preprocess(image, size));
    return decode(
        out.data().asFloat(), size, image.width(), image.height(), options.scoreThreshold());
  }

  /**
   * face-api's {@code extractBoxes} + {@code nonMaxSuppression} + rescaling, in double.
   *
   * @param out the raw outputs of one image, {@code [g, g, 25]} in row-major order
   * @param inputSize the net's input side S ({@code g = S / 32})
   * @param width image width
   * @param height image height
   * @param scoreThreshold keep scores above this
   * @return the faces by descending score, in image pixels
   */
  public static List<FaceBox> decode(
      float[] out, int inputSize, int width, int height, double scoreThreshold) {
    int g = inputSize / 32;
    if (out.length != g * g * 25) {
      throw new IllegalArgumentException(
          "out: expected "
              + g * g * 25
              + " values for input size "
              + inputSize
              + ", got "
              + out.length);
    }
    double scale = (double) inputSize / Math.max(height, width);
    long rw = Math.round(width * scale);
    long rh = Math.round(height * scale);
    double side = Math.max(rw, rh);
    double cfx = side / rw;
    double cfy = side / rh;
    List<double[]> boxes = new ArrayList<>();
    List<Double> scores = new ArrayList<>();
    for (int row = 0; row < g; row++) {
      for (int col = 0; col < g; col++) {
        for (int a = 0; a < ANCHORS.length; a++) {
          int o = ((row * g + col) * ANCHORS.length + a) * 5;
          double score = sigmoid(out[o + 4]);
          if (score > scoreThreshold) {
            double cx = ((col + sigmoid(out[o])) / g) * cfx;
            double cy = ((row + sigmoid(out[o + 1])) / g) * cfy;
            double w = ((Math.exp(out[o + 2]) * ANCHORS[a][0]) / g) * cfx;
            double h = ((Math.exp(out[o + 3]) * ANCHORS[a][1]) / g) * cfy;
            double x = cx - w / 2;
            double y = cy - h / 2;
            // BoundingBox(x, y, x + w, y + h): face-api keeps (left, top, right - left, ...).
            boxes.add(new double[] {x, y, (x + w) - x, (y + h) - y});
            scores.add(score);
          }
        }
      }
    }
    List<FaceBox> result = new ArrayList<>();
    for (int idx : nms(boxes, scores, inputSize)) {
      double[] b = boxes.get(idx);
      // ObjectDetection rescales by the image size, FaceDetection goes back to relative and again
      // to pixels: the same double operations as face-api, so floors downstream agree.
      double x = b[0] * width * (1.0 / width) * width;
      double y = b[1] * height * (1.0 / height) * height;
      double w = b[2] * width * (1.0 / width) * width;
      double h = b[3] * height * (1.0 / height) * height;
      if (!(w > 0 && h > 0 && Double.isFinite(w) && Double.isFinite(h))) {
        continue; // exp() under- or overflowed: not a box (face-api would report it degenerate)
      }
      result.add(FaceBox.scored(x, y, w, h, scores.get(idx)));
    }
    return result;
  }

  private static List<Integer> nms(List<double[]> boxes, List<Double> scores, int inputSize) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < scores.size(); i++) {
      order.add(i);
    }
    order.sort(Comparator.comparingDouble(scores::get)); // stable, ascending like JS sort
    List<Integer> pick = new ArrayList<>();
    while (!order.isEmpty()) {
      int curr = order.remove(order.size() - 1);
      pick.add(curr);
      List<Integer> keep = new ArrayList<>();
      for (int idx : order) {
        if (iou(boxes.get(curr), boxes.get(idx), inputSize) <= IOU_THRESHOLD) {
          keep.add(idx);
        }
      }
      order = keep;
    }
    return pick;
  }

  private static double iou(double[] a, double[] b, double s) {
    double ax = a[0] * s;
    double ay = a[1] * s;
    double aw = a[2] * s;
    double ah = a[3] * s;
    double bx = b[0] * s;
    double by = b[1] * s;
    double bw = b[2] * s;
    double bh = b[3] * s;
    double w = Math.max(0.0, Math.min(ax + aw, bx + bw) - Math.max(ax, bx));
    double h = Math.max(0.0, Math.min(ay + ah, by + bh) - Math.max(ay, by));
    double inter = w * h;
    return inter / (aw * ah + bw * bh - inter);
  }

  @Override
  public String toString() {
    return "TinyFaceDetector[inputSize="
        + options.inputSize()
        + ", scoreThreshold="
        + options.scoreThreshold()
        + ", weights="
        + weights.source()
        + "]";
  }

  private static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }
}
