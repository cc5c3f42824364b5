package io.github.facenorm.models.decoder;

import java.util.Objects;
import java.util.Random;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.DeConv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The paper's decoders (Sec. 3, Fig. 3–4) as SameDiff graph builders. Each adds trainable variables
 * under its {@code scope} to the caller's graph and returns the decoded tensor, so the decoders can
 * be put into any network. Initial weights are He-normal from the given seed (same seed, same
 * graph, same weights). Images are NHWC.
 */
public final class Decoders {

  private Decoders() {}

  /**
   * The landmark decoder: a shallow MLP, {@code features → hidden (ReLU) → 68 × 2}, predicting each
   * point as an offset from a mean shape, in units of {@code scale} pixels (so the initial output
   * is the mean shape and the weights stay of order 1).
   *
   * @param sd the graph
   * @param scope name scope of its variables
   * @param features {@code [B, f]}
   * @param featureWidth {@code f}
   * @param hidden width of the hidden layer
   * @param meanLandmarks {@code [68, 2]} the mean shape in output pixels (x, y)
   * @param scale pixels per output unit, e.g. the frame size
   * @param seed initial-weight seed
   * @return landmarks {@code [B, 68, 2]} in pixels
   */
  public static SDVariable landmarkMlp(
      SameDiff sd,
      String scope,
      SDVariable features,
      int featureWidth,
      int hidden,
      INDArray meanLandmarks,
      double scale,
      long seed) {
    Objects.requireNonNull(meanLandmarks, "meanLandmarks");
    long n = meanLandmarks.length();
    if (meanLandmarks.rank() != 2 || meanLandmarks.size(1) != 2) {
      throw new IllegalArgumentException(
          "meanLandmarks: expected [n, 2], got "
              + java.util.Arrays.toString(meanLandmarks.shape()));
    }
    Random rng = new Random(seed);
    int f = checkWidth(features, featureWidth);
    SDVariable h = dense(sd, scope + "/hidden", features, f, hidden, rng, true);
    SDVariable out = dense(sd, scope + "/out", h, hidden, (int) n, rng, false).mul(scale * 0.1);
    SDVariable mean =
        sd.constant(scope + "/mean", meanLandmarks.castTo(features.dataType()).reshape(1, n));
    return out.add(mean).reshape(sd.constant(Nd4j.createFromArray(-1L, n / 2, 2L)));
  }

  /**
   * The texture decoder: {@code features → FC → grid × grid × channels[0]}, then one 5×5 stride-2
   * transposed convolution + ReLU per further entry of {@code channels} (each doubles the side),
   * then a 1×1 convolution to RGB and a sigmoid (values in (0, 1)).
   *
   * @param sd the graph
   * @param scope name scope of its variables
   * @param features {@code [B, f]}
   * @param featureWidth {@code f}
   * @param grid side of the first tensor
   * @param channels channels at each resolution; the output side is {@code grid · 2^(len − 1)}
   * @param seed initial-weight seed
   * @return the texture {@code [B, S, S, 3]}
   */
  public static SDVariable textureCnn(
      SameDiff sd,
      String scope,
      SDVariable features,
      int featureWidth,
      int grid,
      int[] channels,
      long seed) {
    Objects.requireNonNull(channels, "channels");
    if (grid < 1 || channels.length < 1) {
      throw new IllegalArgumentException("grid, channels: expected grid ≥ 1 and ≥ 1 level");
    }
    Random rng = new Random(seed);
    int f = checkWidth(features, featureWidth);
    SDVariable x = dense(sd, scope + "/fc", features, f, grid * grid * channels[0], rng, true);
    x = x.reshape(sd.constant(Nd4j.createFromArray(-1L, grid, grid, channels[0])));
    int side = grid;
    for (int i = 1; i < channels.length; i++) {
      x = upsample(sd, scope + "/up" + i, x, side, channels[i - 1], channels[i], rng);
      side *= 2;
    }
    int c = channels[channels.length - 1];
    SDVariable w =
        sd.var(scope + "/rgb/w", he(rng, c, x.dataType(), 1, 1, c, 3)); // [kH, kW, iC, oC]
    SDVariable b = sd.var(scope + "/rgb/b", Nd4j.zeros(x.dataType(), 3));
    SDVariable rgb =
        sd.cnn()
            .conv2d(
                x,
                w,
                b,
                Conv2DConfig.builder()
                    .kH(1)
                    .kW(1)
                    .sH(1)
                    .sW(1)
                    .paddingMode(PaddingMode.VALID)
                    .dataFormat("NHWC")
                    .weightsFormat(WeightsFormat.YXIO)
                    .build());
    return sd.nn().sigmoid(scope + "/texture", rgb);
  }

  /**
   * The paper's fully connected texture baseline: one linear layer {@code f → S·S·3} and a sigmoid.
   *
   * @param sd the graph
   * @param scope name scope
   * @param features {@code [B, f]}
   * @param featureWidth {@code f}
   * @param size output side S
   * @param seed initial-weight seed
   * @return the texture {@code [B, S, S, 3]}
   */
  public static SDVariable fullyConnectedTexture(
      SameDiff sd, String scope, SDVariable features, int featureWidth, int size, long seed) {
    if (size < 1) {
      throw new IllegalArgumentException("size: expected ≥ 1, got " + size);
    }
    Random rng = new Random(seed);
    int f = checkWidth(features, featureWidth);
    SDVariable x = dense(sd, scope + "/fc", features, f, size * size * 3, rng, false);
    return sd.nn()
        .sigmoid(
            scope + "/texture", x.reshape(sd.constant(Nd4j.createFromArray(-1L, size, size, 3L))));
  }

  /**
   * The paper's plain-CNN baseline: the same network as {@link #textureCnn}, trained to produce the
   * normalized image directly (no landmarks, no warp). Only the intended target differs.
   *
   * @param sd the graph
   * @param scope name scope
   * @param features {@code [B, f]}
   * @param featureWidth {@code f}
   * @param grid side of the first tensor
   * @param channels channels per resolution
   * @param seed initial-weight seed
   * @return the image {@code [B, S, S, 3]}
   */
  public static SDVariable plainCnn(
      SameDiff sd,
      String scope,
      SDVariable features,
      int featureWidth,
      int grid,
      int[] channels,
      long seed) {
    return textureCnn(sd, scope, features, featureWidth, grid, channels, seed);
  }

  /**
   * A fully connected layer {@code [B, in] → [B, out]}, He-initialized, optionally with ReLU.
   *
   * @param sd the graph
   * @param scope variable name prefix
   * @param x {@code [B, in]}
   * @param in input width
   * @param out output width
   * @param rng initial-weight source
   * @param relu whether to apply ReLU
   * @return {@code [B, out]}
   */
  public static SDVariable dense(
      SameDiff sd, String scope, SDVariable x, int in, int out, Random rng, boolean relu) {
    SDVariable w = sd.var(scope + "/w", he(rng, in, x.dataType(), in, out));
    SDVariable b = sd.var(scope + "/b", Nd4j.zeros(x.dataType(), 1, out));
    SDVariable y = x.mmul(w).add(b);
    return relu ? sd.nn().relu(y, 0) : y;
  }

  /**
   * Exact 2× upsampling by a 5×5 stride-2 transposed convolution + ReLU: VALID with padding 1, then
   * the last row and column dropped, which equals TF's SAME and runs on oneDNN (see the decoder-ops
   * note).
   */
  private static SDVariable upsample(
      SameDiff sd, String scope, SDVariable x, int side, int in, int out, Random rng) {
    SDVariable w = sd.var(scope + "/w", he(rng, in * 25 / 4, x.dataType(), 5, 5, out, in));
    SDVariable b = sd.var(scope + "/b", Nd4j.zeros(x.dataType(), out));
    SDVariable y =
        sd.cnn()
            .deconv2d(
                x,
                w,
                b,
                DeConv2DConfig.builder()
                    .kH(5)
                    .kW(5)
                    .sH(2)
                    .sW(2)
                    .pH(1)
                    .pW(1)
                    .isSameMode(false)
                    .dataFormat("NHWC")
                    .build());
    int s2 = 2 * side;
    y = y.get(SDIndex.all(), SDIndex.interval(0, s2), SDIndex.interval(0, s2), SDIndex.all());
    return sd.nn().relu(y, 0);
  }

  private static int checkWidth(SDVariable features, int width) {
    Objects.requireNonNull(features, "features");
    if (width < 1) {
      throw new IllegalArgumentException("featureWidth: expected ≥ 1, got " + width);
    }
    long[] s = features.getShape();
    if (s != null && (s.length != 2 || (s[1] >= 0 && s[1] != width))) {
      throw new IllegalArgumentException(
          "features: expected shape [B, " + width + "], got " + java.util.Arrays.toString(s));
    }
    return width;
  }

  private static INDArray he(Random rng, int fanIn, DataType type, long... shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    double std = Math.sqrt(2.0 / fanIn);
    double[] v = new double[Math.toIntExact(n)];
    for (int i = 0; i < v.length; i++) {
      v[i] = rng.nextGaussian() * std;
    }
    return Nd4j.createFromArray(v).reshape('c', shape).castTo(type);
  }
}
