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
