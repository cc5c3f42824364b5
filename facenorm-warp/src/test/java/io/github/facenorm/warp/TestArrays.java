package io.github.facenorm.warp;

import io.github.facenorm.warp.internal.graph.WarpBackend;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Conversions between nested Java arrays and INDArrays, and seeded random inputs, for tests. */
final class TestArrays {

  private TestArrays() {}

  static INDArray nd(double[][][][] a) {
    int b = a.length;
    int h = a[0].length;
    int w = a[0][0].length;
    int c = a[0][0][0].length;
    double[] flat = new double[b * h * w * c];
    int i = 0;
    for (double[][][] x : a) {
      for (double[][] y : x) {
        for (double[] z : y) {
          for (double v : z) {
            flat[i++] = v;
          }
        }
      }
    }
    return Nd4j.create(flat, new long[] {b, h, w, c}, 'c');
  }

  static INDArray nd(double[][][] a) {
    int b = a.length;
    int n = a[0].length;
    int d = a[0][0].length;
    double[] flat = new double[b * n * d];
    int i = 0;
    for (double[][] x : a) {
      for (double[] y : x) {
        for (double v : y) {
          flat[i++] = v;
        }
      }
    }
    return Nd4j.create(flat, new long[] {b, n, d}, 'c');
  }

  static double[][][][] nested4(INDArray a) {
    long[] s = a.shape();
    double[] flat = a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    double[][][][] out = new double[(int) s[0]][(int) s[1]][(int) s[2]][(int) s[3]];
    int i = 0;
    for (double[][][] x : out) {
      for (double[][] y : x) {
        for (double[] z : y) {
          for (int c = 0; c < z.length; c++) {
            z[c] = flat[i++];
          }
        }
      }
    }
    return out;
  }

  static double[][][] nested3(INDArray a) {
    long[] s = a.shape();
    double[] flat = a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    double[][][] out = new double[(int) s[0]][(int) s[1]][(int) s[2]];
    int i = 0;
    for (double[][] x : out) {
      for (double[] y : x) {
        for (int c = 0; c < y.length; c++) {
          y[c] = flat[i++];
        }
      }
    }
    return out;
  }

  /** Uniform [0, 1) image [B, H, W, C]. */
  static double[][][][] randomImage(SplittableRandom r, int b, int h, int w, int c) {
    double[][][][] img = new double[b][h][w][c];
    for (double[][][] x : img) {
      for (double[][] y : x) {
        for (double[] z : y) {
          for (int i = 0; i < c; i++) {
            z[i] = r.nextDouble();
          }
        }
      }
    }
    return img;
  }

  /**
   * n distinct points [B, n, 2] in the given order, inside the image (margin 1 px), coordinates
   * kept off integer values.
   */
  static double[][][] randomPoints(SplittableRandom r, int b, int n, int h, int w, PointOrder o) {
    double[][][] p = new double[b][n][2];
    for (double[][] pts : p) {
      for (double[] pt : pts) {
        double x = 1 + r.nextDouble() * (w - 3);
        double y = 1 + r.nextDouble() * (h - 3);
        pt[o.xIndex()] = x;
        pt[o.yIndex()] = y;
      }
    }
    return p;
  }

  /** points + uniform displacement in [-mag, mag] per coordinate. */
  static double[][][] displaced(SplittableRandom r, double[][][] points, double mag) {
    double[][][] out = new double[points.length][][];
    for (int b = 0; b < points.length; b++) {
      out[b] = new double[points[b].length][2];
      for (int i = 0; i < points[b].length; i++) {
        for (int a = 0; a < 2; a++) {
          out[b][i][a] = points[b][i][a] + (2 * r.nextDouble() - 1) * mag;
        }
      }
    }
    return out;
  }

  /** Swaps the two entries of the last axis: XY ↔ YX. */
  static double[][][] swapLast(double[][][] a) {
    double[][][] out = new double[a.length][][];
    for (int b = 0; b < a.length; b++) {
      out[b] = new double[a[b].length][];
      for (int i = 0; i < a[b].length; i++) {
        out[b][i] = new double[] {a[b][i][1], a[b][i][0]};
      }
    }
    return out;
  }

  static double maxAbsDiff(INDArray a, INDArray b) {
    return a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
  }

  /** Every graph backend, each built directly (the fused one needs facenorm's executioner). */
  static Stream<WarpBackend> backends() {
    return Stream.of(WarpBackend.fused(), WarpBackend.nativeOps());
  }

  /** Each case once per graph backend, the backend as the first argument. */
  static Stream<Arguments> withBackends(Stream<Arguments> cases) {
    List<Arguments> all = cases.collect(Collectors.toList());
    return backends()
        .flatMap(
            b ->
                all.stream()
                    .map(
                        c -> {
                          Object[] in = c.get();
                          Object[] out = new Object[in.length + 1];
                          out[0] = b;
                          System.arraycopy(in, 0, out, 1, in.length);
                          return Arguments.of(out);
                        }));
  }
}
