package io.github.facenorm.models.internal;

import io.github.facenorm.models.nets.TfjsWeights;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.enums.PadMode;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;

/**
 * SameDiff layer helpers with tfjs semantics, NHWC throughout: filters in TF layout ({@code [kh,
 * kw, in, out]}, depthwise {@code [kh, kw, in, 1]}), TF {@code SAME} padding (extra row/column at
 * the bottom/right), pooling that ignores padded cells. Weights become constants of the graph's
 * dtype, named by their manifest names; call inside {@code sd.withNameScope(scope)} so that
 * everything lands under the scope.
 */
public final class Layers {
  private final SameDiff sd;
  private final TfjsWeights weights;
  private final DataType type;
  private final String prefix;

  /**
   * A helper bound to one graph and one weight set.
   *
   * @param sd the graph
   * @param scope the name scope: SameDiff M2.1 does not apply {@code withNameScope} to constants,
   *     so they are prefixed here
   * @param weights the weights
   * @param type FLOAT or DOUBLE: the dtype of the constants (and so of the whole net)
   */
  public Layers(SameDiff sd, String scope, TfjsWeights weights, DataType type) {
    this.sd = sd;
    this.weights = weights;
    this.type = type;
    this.prefix = scope + "/";
  }

  private SDVariable constant(String name, org.nd4j.linalg.api.ndarray.INDArray value) {
    return sd.constant(prefix + name, value);
  }

  /**
   * The graph.
   *
   * @return the graph
   */
  public SameDiff sd() {
    return sd;
  }

  /**
   * A weight as a constant named by its manifest name.
   *
   * @param name the manifest name
   * @param shape the expected shape
   * @return the constant
   */
  public SDVariable weight(String name, long... shape) {
    return constant(name, weights.get(name, shape).toArray(type));
  }

  /**
   * A constant vector of the graph's dtype.
   *
   * @param name the variable name
   * @param values the values
   * @return the constant, shape {@code [n]}
   */
  public SDVariable vector(String name, double... values) {
    return constant(name, Nd4j.createFromArray(values).castTo(type));
  }

  /**
   * A scalar of the graph's dtype.
   *
   * @param name the variable name
   * @param value the value
   * @return the constant scalar
   */
  public SDVariable scalar(String name, double value) {
    return constant(name, Nd4j.scalar(type, value));
  }

  /**
   * {@code tf.conv2d(x, filters, stride, padding)}, no bias.
   *
   * @param name output name
   * @param x {@code [B, H, W, C]}
   * @param filters {@code [k, k, C, O]}
   * @param k kernel size
   * @param stride stride
   * @param same TF SAME (true) or VALID (false)
   * @return {@code [B, H', W', O]}
   */
  public SDVariable conv2d(
      String name, SDVariable x, SDVariable filters, int k, int stride, boolean same) {
    return sd.cnn().conv2d(name, x, filters, convConfig(k, stride, same ? -1 : 0));
  }

  /**
   * {@code tf.depthwiseConv2d} with channel multiplier 1.
   *
   * @param name output name
   * @param x {@code [B, H, W, C]}
   * @param filters {@code [k, k, C, 1]}
   * @param k kernel size
   * @param stride stride
   * @param pad -1 for TF SAME, otherwise explicit symmetric padding (0 = VALID)
   * @return {@code [B, H', W', C]}
   */
  public SDVariable depthwise(
      String name, SDVariable x, SDVariable filters, int k, int stride, int pad) {
    return sd.cnn().depthWiseConv2d(name, x, filters, convConfig(k, stride, pad));
  }

  /**
   * {@code tf.separableConv2d(x, dw, pw, stride, padding)} + bias: depthwise (multiplier 1), then a
   * 1x1 convolution carrying the bias, nothing in between (as tfjs composes it).
   *
   * @param prefix the manifest prefix holding {@code depthwise_filter}, {@code pointwise_filter},
   *     {@code bias}
   * @param x {@code [B, H, W, in]}
   * @param in input channels
   * @param out output channels
   * @param stride depthwise stride
   * @param pad -1 for TF SAME, otherwise explicit symmetric padding
   * @return {@code [B, H', W', out]}
   */
  public SDVariable separable(String prefix, SDVariable x, int in, int out, int stride, int pad) {
    SDVariable dw = weight(prefix + "/depthwise_filter", 3, 3, in, 1);
    SDVariable pw = weight(prefix + "/pointwise_filter", 1, 1, in, out);
    SDVariable b = weight(prefix + "/bias", out);
    SDVariable d = depthwise(prefix + "/depthwise", x, dw, 3, stride, pad);
    return sd.cnn().conv2d(prefix + "/pointwise", d, pw, b, convConfig(1, 1, 0));
  }

  /**
   * {@code tf.maxPool(x, k, stride, padding)}.
   *
   * @param name output name
   * @param x {@code [B, H, W, C]}
   * @param k window
   * @param stride stride
   * @param same TF SAME (padded cells ignored) or VALID
   * @return the pooled tensor
   */
  public SDVariable maxPool(String name, SDVariable x, int k, int stride, boolean same) {
    return sd.cnn().maxPooling2d(name, x, poolConfig(k, stride, same));
  }

  /**
   * {@code tf.avgPool(x, k, stride, 'valid')}.
   *
   * @param name output name
   * @param x {@code [B, H, W, C]}
   * @param k window
   * @param stride stride
   * @return the pooled tensor
   */
  public SDVariable avgPoolValid(String name, SDVariable x, int k, int stride) {
    return sd.cnn().avgPooling2d(name, x, poolConfig(k, stride, false));
  }

  /**
   * Zero padding after the data along H, W and C: {@code [[0,0],[0,h],[0,w],[0,c]]}.
   *
   * @param name output name
   * @param x {@code [B, H, W, C]}
   * @param h rows appended at the bottom
   * @param w columns appended at the right
   * @param c channels appended
   * @return {@code [B, H + h, W + w, C + c]}
   */
  public SDVariable padAfter(String name, SDVariable x, int h, int w, int c) {
    SDVariable p =
        constant(
            name + "_paddings", Nd4j.createFromArray(new int[][] {{0, 0}, {0, h}, {0, w}, {0, c}}));
    return sd.nn().pad(name, x, p, PadMode.CONSTANT, 0.0);
  }

  private static Conv2DConfig convConfig(int k, int stride, int pad) {
    boolean same = pad < 0;
    return Conv2DConfig.builder()
        .kH(k)
        .kW(k)
        .sH(stride)
        .sW(stride)
        .pH(same ? 0 : pad)
        .pW(same ? 0 : pad)
        .dH(1)
        .dW(1)
        .paddingMode(same ? PaddingMode.SAME : PaddingMode.VALID)
        .dataFormat("NHWC")
        .weightsFormat(WeightsFormat.YXIO)
        .build();
  }

  private static Pooling2DConfig poolConfig(int k, int stride, boolean same) {
    return Pooling2DConfig.builder()
        .kH(k)
        .kW(k)
        .sH(stride)
        .sW(stride)
        .pH(0)
        .pW(0)
        .dH(1)
        .dW(1)
        .paddingMode(same ? PaddingMode.SAME : PaddingMode.VALID)
        .divisor(Pooling2D.Divisor.EXCLUDE_PADDING)
        .isNHWC(true)
        .build();
  }
}
