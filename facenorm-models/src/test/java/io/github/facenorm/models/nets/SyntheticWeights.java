package io.github.facenorm.models.nets;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random weights with face-api's manifest names and shapes, for tests that need no cache. Scales
 * keep activations of order one through the whole net.
 */
final class SyntheticWeights {
  private final List<WeightTensor> list = new ArrayList<>();
  private final SplittableRandom rnd;

  private SyntheticWeights(long seed) {
    rnd = new SplittableRandom(seed);
  }

  private void add(String name, double lo, double hi, long... shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    float[] v = new float[(int) n];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (lo + (hi - lo) * rnd.nextDouble());
    }
    list.add(new WeightTensor(name, shape, "float32", "float32", v));
  }

  private void convLayer(String p, int k, int in, int out) {
    double a = Math.sqrt(3.0 / (k * k * in));
    add(p + "/conv/filters", -a, a, k, k, in, out);
    add(p + "/conv/bias", -0.05, 0.05, out);
    add(p + "/scale/weights", 0.6, 1.0, out);
    add(p + "/scale/biases", -0.1, 0.1, out);
  }

  private void separable(String p, int in, int out) {
    double a = Math.sqrt(3.0 / 9);
    add(p + "/depthwise_filter", -a, a, 3, 3, in, 1);
    double b = Math.sqrt(3.0 / in);
    add(p + "/pointwise_filter", -b, b, 1, 1, in, out);
    add(p + "/bias", -0.05, 0.05, out);
  }

  /** The 68-point landmark net's tensors (face-api's manifest names and shapes). */
  static TfjsWeights landmark68(long seed) {
    SyntheticWeights s = new SyntheticWeights(seed);
    double a = Math.sqrt(3.0 / 27);
    s.add("dense0/conv0/filters", -a, a, 3, 3, 3, 32);
    s.add("dense0/conv0/bias", -0.05, 0.05, 32);
    int[] widths = {32, 64, 128, 256};
    for (int d = 0; d < 4; d++) {
      int out = widths[d];
      if (d > 0) {
        s.separable("dense" + d + "/conv0", widths[d - 1], out);
      }
      for (int c = 1; c <= 3; c++) {
        s.separable("dense" + d + "/conv" + c, out, out);
      }
    }
    double f = Math.sqrt(3.0 / 256);
    s.add("fc/weights", -f, f, 256, 136);
    s.add("fc/bias", 0.3, 0.7, 136);
    return TfjsWeights.of("synthetic landmark weights", s.list);
  }

  /** The tiny face detector's tensors (face-api's manifest names and shapes). */
  static TfjsWeights tinyDetector(long seed) {
    SyntheticWeights s = new SyntheticWeights(seed);
    double a = Math.sqrt(3.0 / 27);
    s.add("conv0/filters", -a, a, 3, 3, 3, 16);
    s.add("conv0/bias", -0.05, 0.05, 16);
    int[] filters = {16, 32, 64, 128, 256, 512};
    for (int i = 1; i <= 5; i++) {
      s.separable("conv" + i, filters[i - 1], filters[i]);
    }
    double f = Math.sqrt(3.0 / 512);
    s.add("conv8/filters", -f, f, 1, 1, 512, 25);
    s.add("conv8/bias", -0.5, 0.5, 25);
    return TfjsWeights.of("synthetic detector weights", s.list);
  }

  /** The recognition net's 117 tensors. */
  static TfjsWeights recognition(long seed) {
    SyntheticWeights s = new SyntheticWeights(seed);
    s.convLayer("conv32_down", 7, 3, 32);
    int[][] blocks = {{32, 32, 3}, {32, 64, 4}, {64, 128, 3}, {128, 256, 3}};
    String[] names = {"conv32", "conv64", "conv128", "conv256"};
    for (int b = 0; b < blocks.length; b++) {
      int in = blocks[b][0];
      int out = blocks[b][1];
      int first = 1;
      if (b > 0) {
        s.convLayer(names[b] + "_down/conv1", 3, in, out);
        s.convLayer(names[b] + "_down/conv2", 3, out, out);
        first = 1;
      }
      int count = b > 0 ? blocks[b][2] - 1 : blocks[b][2];
      for (int i = first; i < first + count; i++) {
        s.convLayer(names[b] + "_" + i + "/conv1", 3, out, out);
        s.convLayer(names[b] + "_" + i + "/conv2", 3, out, out);
      }
    }
    s.convLayer("conv256_down_out/conv1", 3, 256, 256);
    s.convLayer("conv256_down_out/conv2", 3, 256, 256);
    double a = Math.sqrt(3.0 / 256);
    s.add("fc", -a, a, 256, 128);
    return TfjsWeights.of("synthetic recognition weights", s.list);
  }
}
