package io.github.facenorm.warp;

import static io.github.facenorm.warp.TestArrays.displaced;
import static io.github.facenorm.warp.TestArrays.maxAbsDiff;
import static io.github.facenorm.warp.TestArrays.nd;
import static io.github.facenorm.warp.TestArrays.randomImage;
import static io.github.facenorm.warp.TestArrays.randomPoints;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.facenorm.warp.internal.EagerWarp;
import io.github.facenorm.warp.internal.WarpKernels;
import io.github.facenorm.warp.internal.WarpSpec;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Every {@link WarpKernels} implementation this JVM can run (scalar always; the Vector API one
 * where the tests' {@code --add-modules jdk.incubator.vector} and the CPU allow) against the same
 * cases: the scalar double kernel (golden-tested against TFA in {@link GoldenTest}) as reference.
 */
class KernelBackendsTest {

  static List<WarpKernels> kernels() {
    return WarpKernels.available();
  }

  @Test
  void thePreferredImplementationIsTheOneThatRuns() {
    List<WarpKernels> all = kernels();
    assertThat(all.get(0).description()).isEqualTo("scalar Java loops");
    assertThat(WarpKernels.get().description()).isEqualTo(all.get(all.size() - 1).description());
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
      // the build's surefire argLine adds the module; CI machines are AVX2 or AVX-512 with FMA
      assertThat(WarpKernels.get().description()).startsWith("Vector API");
    }
  }

  @Test
  void luEliminationGivesTheScalarBitsOnEveryBackend() {
    // sizes below, at and between vector lengths (4 and 8 doubles); a zero multiplier row; the
    // steps of a whole factorization (no pivoting needed: diagonally dominant)
    SplittableRandom r = new SplittableRandom(18);
    for (int n : new int[] {1, 2, 3, 7, 8, 9, 16, 17, 79, 100}) {
      double[] m = new double[n * n];
      for (int i = 0; i < m.length; i++) {
        m[i] = r.nextDouble(-1, 1) * Math.pow(10, r.nextInt(-3, 8));
      }
      for (int i = 0; i < n; i++) {
        m[i * n + i] = 1e12 * (1 + i);
      }
      if (n > 2) {
        m[2 * n] = 0; // row 2's multiplier at column 0 is zero
      }
      double[] want = null;
      for (WarpKernels k : kernels()) {
        double[] a = m.clone();
        for (int col = 0; col + 1 < n; col++) {
          k.eliminate(a, n, col);
        }
        if (want == null) {
          want = a;
          // and the step is the right one: L (unit lower) times U gives the matrix back
          for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
              double sum = 0;
              for (int t = 0; t <= Math.min(i, j); t++) {
                sum += (t == i ? 1 : a[i * n + t]) * a[t * n + j];
              }
              assertThat(sum)
                  .as("n %d, (%d, %d)", n, i, j)
                  .isCloseTo(m[i * n + j], within(1e-6 * (1 + Math.abs(m[i * n + j]))));
            }
          }
        } else {
          assertThat(a).as("%s, n %d", k, n).isEqualTo(want);
        }
      }
    }
  }

  @Test
  void phiOfSquaredDistancesMatchesPhiApplyOnEveryBackend() {
    // odd orders exactly; even orders within the vector logarithm's ulp; below EPS, at 0 and at
    // lengths that are not multiples of any vector length
    SplittableRandom r = new SplittableRandom(4);
    for (WarpKernels k : kernels()) {
      for (int order = 1; order <= 6; order++) {
        for (int n : new int[] {0, 1, 7, 8, 9, 33, 79}) {
          double[] r2 = new double[n + 2];
          for (int i = 0; i < r2.length; i++) {
            r2[i] = i % 11 == 3 ? 0 : i % 13 == 5 ? 1e-12 : Math.pow(10, r.nextDouble(-4, 5));
          }
          double[] got = r2.clone();
          k.phiInPlace(order, got, 1, n + 1);
          assertThat(got[0]).isEqualTo(r2[0]); // outside [from, to): untouched
          assertThat(got[n + 1]).isEqualTo(r2[n + 1]);
          for (int i = 1; i <= n; i++) {
            double want = io.github.facenorm.warp.internal.Phi.apply(order, r2[i]);
            if ((order & 1) == 1) {
              assertThat(got[i]).as("%s order %d r2 %s", k, order, r2[i]).isEqualTo(want);
            } else {
              assertThat(got[i])
                  .as("%s order %d r2 %s", k, order, r2[i])
                  .isCloseTo(want, within(4 * Math.ulp(want) + 1e-300));
            }
          }
        }
      }
    }
  }

  static Stream<Arguments> cases() {
    Stream.Builder<Arguments> s = Stream.builder();
    for (WarpKernels k : kernels()) {
      for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
        for (int order = 1; order <= 6; order++) {
          for (PointOrder po : PointOrder.values()) {
            s.add(Arguments.of(k, type, order, po));
          }
        }
      }
    }
    return s.build();
  }

  @ParameterizedTest(name = "{0}, {1}, order {2}, {3}")
  @MethodSource("cases")
  void sparseWarpMatchesTheScalarDoubleKernel(
      WarpKernels k, DataType type, int order, PointOrder po) {
    // widths that are not multiples of any vector block, batch 2, RGB and single-channel images
    SplittableRandom r = new SplittableRandom(order * 31L + po.ordinal());
    for (int[] size : new int[][] {{13, 29, 3}, {8, 5, 1}, {21, 40, 2}}) {
      int h = size[0];
      int w = size[1];
      INDArray img = nd(randomImage(r, 2, h, w, size[2]));
      double[][][] s = randomPoints(r, 2, 7, h, w, po);
      INDArray src = nd(s);
      INDArray dst = nd(displaced(r, s, 2));
      WarpSpec spec = new WarpSpec(order, order == 3 ? 0.1 : 0, 2, po, 2);
      img = img.castTo(type);
      src = src.castTo(type);
      dst = dst.castTo(type);
      INDArray[] want = EagerWarp.sparseWarp(img, src, dst, spec, WarpKernels.available().get(0));
      INDArray[] got = EagerWarp.sparseWarp(img, src, dst, spec, k);
      assertThat(got[0].dataType()).isEqualTo(type);
      assertThat(got[1].dataType()).isEqualTo(type);
      // the same inputs; FLOAT order 1 sums in float (in another order on another backend)
      double tol = type == DataType.DOUBLE ? 1e-9 : 1e-4;
      assertThat(maxAbsDiff(got[1], want[1])).as("flow %dx%d", h, w).isLessThan(tol);
      assertThat(maxAbsDiff(got[0], want[0])).as("image %dx%d", h, w).isLessThan(tol);
      if (order == 1) {
        // bit for bit: datasets written with and without the Vector API must be byte-identical
        assertThat(maxAbsDiff(got[1], want[1])).as("order 1 flow, exactly").isZero();
        assertThat(maxAbsDiff(got[0], want[0])).as("order 1 image, exactly").isZero();
      }
    }
  }

  static Stream<Arguments> faceCases() {
    Stream.Builder<Arguments> s = Stream.builder();
    for (WarpKernels k : kernels()) {
      for (int order = 1; order <= 2; order++) {
        s.add(Arguments.of(k, order));
      }
    }
    return s.build();
  }

  /**
   * FACE-224 sized (68 points + 8 boundary points, displacements of a few pixels, a pixel-scale
   * system): a FLOAT image keeps the flow within 3e-4 px (order 1, summed in float) and 1e-5 px
   * (order 2, summed in double; the issue asks 1e-3) of the float64 flow; DOUBLE within 1e-9.
   */
  @ParameterizedTest(name = "{0}, order {1}")
  @MethodSource("faceCases")
  void faceSizedWarpKeepsItsAccuracy(WarpKernels k, int order) {
    SplittableRandom r = new SplittableRandom(224 + order);
    int size = 224;
    INDArray img = nd(randomImage(r, 1, size, size, 3));
    // landmarks about 16 px apart, as on an aligned face (none nearly coinciding)
    double[][][] s = new double[1][68][2];
    for (int j = 0; j < 68; j++) {
      s[0][j][0] = 40 + 16 * (j % 9) + 4 * r.nextDouble();
      s[0][j][1] = 40 + 18 * (j / 9) + 4 * r.nextDouble();
    }
    double[][][] d = new double[1][68][2];
    for (int j = 0; j < 68; j++) {
      double angle = r.nextDouble() * 2 * Math.PI;
      double mag = 3 + 5 * r.nextDouble();
      d[0][j][0] = s[0][j][0] + mag * Math.cos(angle);
      d[0][j][1] = s[0][j][1] + mag * Math.sin(angle);
    }
    INDArray src = nd(s);
    INDArray dst = nd(d);
    WarpSpec spec = new WarpSpec(order, 0, 2, PointOrder.XY, 2);
    INDArray[] ref = EagerWarp.sparseWarp(img, src, dst, spec, WarpKernels.available().get(0));
    INDArray[] dbl = EagerWarp.sparseWarp(img, src, dst, spec, k);
    assertThat(maxAbsDiff(dbl[1], ref[1])).as("DOUBLE flow").isLessThan(1e-9);
    assertThat(maxAbsDiff(dbl[0], ref[0])).as("DOUBLE image").isLessThan(1e-9);
    // FLOAT against float64 on the same float-rounded numbers: the kernel's own error
    INDArray imgF = img.castTo(DataType.FLOAT);
    INDArray srcF = src.castTo(DataType.FLOAT);
    INDArray dstF = dst.castTo(DataType.FLOAT);
    INDArray[] refF =
        EagerWarp.sparseWarp(
            imgF.castTo(DataType.DOUBLE),
            srcF.castTo(DataType.DOUBLE),
            dstF.castTo(DataType.DOUBLE),
            spec,
            WarpKernels.available().get(0));
    INDArray[] flt = EagerWarp.sparseWarp(imgF, srcF, dstF, spec, k);
    // order 1 sums ~76 terms of up to ~1e3 px that cancel to a few px, in float: 1.7–1.9e-4 px on
    // both backends here (the C and Java float probes of shared/notes/vector-api.md: 1.5–1.7e-4)
    double tol = order == 1 ? 3e-4 : 1e-5;
    assertThat(maxAbsDiff(flt[1], refF[1])).as("FLOAT flow (px)").isLessThan(tol);
    assertThat(maxAbsDiff(flt[0], refF[0])).as("FLOAT image").isLessThan(tol);
  }

  static Stream<Arguments> adjointCases() {
    Stream.Builder<Arguments> s = Stream.builder();
    for (WarpKernels k : kernels()) {
      for (int order = 1; order <= 4; order++) {
        s.add(Arguments.of(k, order));
      }
    }
    return s.build();
  }

  /** The grid adjoint's sums (dw, dv, dc) against the scalar loop, with some centers on pixels. */
  @ParameterizedTest(name = "{0}, order {1}")
  @MethodSource("adjointCases")
  void gridAdjointMatchesTheScalarLoop(WarpKernels k, int order) {
    SplittableRandom r = new SplittableRandom(order);
    int n = 9;
    int h = 11;
    int w = 19;
    double[] centers = new double[2 * n * 2];
    double[] weights = new double[centers.length];
    for (int i = 0; i < centers.length; i += 2) {
      // every third center sits exactly on a pixel, where TF's clamp cuts the gradient
      boolean onPixel = i % 3 == 0;
      centers[i] = onPixel ? r.nextInt(w) : r.nextDouble() * w;
      centers[i + 1] = onPixel ? r.nextInt(h) : r.nextDouble() * h;
      weights[i] = r.nextDouble() - 0.5;
      weights[i + 1] = r.nextDouble() - 0.5;
    }
    double[] g = new double[2 * h * w * 2];
    for (int i = 0; i < g.length; i++) {
      g[i] = r.nextDouble() - 0.5;
    }
    for (int b = 0; b < 2; b++) {
      double[] want =
          WarpKernels.available()
              .get(0)
              .gridAdjointRows(centers, weights, b, n, order, h, w, g, 2, h);
      double[] got = k.gridAdjointRows(centers, weights, b, n, order, h, w, g, 2, h);
      assertThat(got.length).isEqualTo(want.length);
      for (int i = 0; i < want.length; i++) {
        assertThat(got[i])
            .as("sum %d", i)
            .isCloseTo(want[i], within(1e-9 * (1 + Math.abs(want[i]))));
      }
    }
  }
}
