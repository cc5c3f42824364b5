package io.github.facenorm.warp;

import static io.github.facenorm.warp.TestArrays.displaced;
import static io.github.facenorm.warp.TestArrays.maxAbsDiff;
import static io.github.facenorm.warp.TestArrays.nd;
import static io.github.facenorm.warp.TestArrays.randomImage;
import static io.github.facenorm.warp.TestArrays.randomPoints;
import static io.github.facenorm.warp.TestArrays.withBackends;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.facenorm.warp.internal.graph.WarpBackend;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Every graph backend (the fused ops and the native-op composition) against the eager path,
 * forward. Both are built in this JVM: native ops run natively on either executioner.
 */
class GraphWarpTest {

  @BeforeAll
  static void kernels() {
    assertThat(FacenormKernels.install()).as("fused kernels active").isTrue();
  }

  @Test
  void publicBuilderNamesItsOutputsAndEqualsEagerExactly() {
    SplittableRandom r = new SplittableRandom(1);
    INDArray img = nd(randomImage(r, 2, 9, 12, 3)).castTo(DataType.FLOAT);
    double[][][] s = randomPoints(r, 2, 6, 9, 12, PointOrder.XY);
    INDArray src = nd(s).castTo(DataType.FLOAT);
    INDArray dst = nd(displaced(r, s, 2)).castTo(DataType.FLOAT);
    SplineWarp warp = SplineWarp.builder().order(1).boundaryPoints(2).build();
    SameDiff sd = SameDiff.create();
    SDVariable[] out =
        warp.applyWithFlow(
            sd, "warped", sd.constant("img", img), sd.var("src", src), sd.var("dst", dst));
    Map<String, INDArray> got = sd.output(Map.of(), "warped", "warped/flow");
    WarpResult want = warp.apply(img, src, dst);
    assertThat(out[0].name()).isEqualTo("warped");
    assertThat(maxAbsDiff(got.get("warped"), want.image())).isZero();
    assertThat(maxAbsDiff(got.get("warped/flow"), want.flow())).isZero();
  }

  static Stream<Arguments> warpCases() {
    Stream.Builder<Arguments> s = Stream.builder();
    for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
      for (int order = 1; order <= 3; order++) {
        for (double lambda : new double[] {0, 0.3}) {
          for (int boundary : new int[] {0, 2}) {
            for (int batch : new int[] {1, 2}) {
              s.add(Arguments.of(type, order, lambda, boundary, batch));
            }
          }
        }
      }
    }
    return s.build();
  }

  /** Max differences {image, flow} of the composition against the eager warp. */
  static double[] sparseWarpDifferences(
      WarpBackend backend, SplineWarp warp, INDArray img, INDArray src, INDArray dst) {
    SameDiff sd = SameDiff.create();
    SDVariable[] out =
        backend.sparseWarp(
            sd,
            "warped",
            sd.var("img", img),
            sd.var("src", src),
            sd.var("dst", dst),
            warp.spec(),
            true);
    sd.updateVariableNameAndReference(out[0], "warped");
    sd.updateVariableNameAndReference(out[1], "warped/flow");
    Map<String, INDArray> got = sd.output(Map.of(), "warped", "warped/flow");
    WarpResult want = warp.apply(img, src, dst);
    assertThat(got.get("warped").dataType()).isEqualTo(img.dataType());
    assertThat(got.get("warped/flow").dataType()).isEqualTo(img.dataType());
    assertThat(got.get("warped").shape()).isEqualTo(want.image().shape());
    assertThat(got.get("warped/flow").shape()).isEqualTo(want.flow().shape());
    return new double[] {
      maxAbsDiff(got.get("warped"), want.image()), maxAbsDiff(got.get("warped/flow"), want.flow())
    };
  }

  static Stream<Arguments> backendWarpCases() {
    return withBackends(warpCases());
  }

  @ParameterizedTest(name = "{0}, {1}, order {2}, lambda {3}, boundary {4}, batch {5}")
  @MethodSource("backendWarpCases")
  void sparseWarpMatchesEager(
      WarpBackend backend, DataType type, int order, double lambda, int boundary, int batch) {
    SplittableRandom r = new SplittableRandom(order * 1000 + boundary * 10 + batch);
    int h = 9;
    int w = 12;
    INDArray img = nd(randomImage(r, batch, h, w, 3)).castTo(type);
    double[][][] s = randomPoints(r, batch, 6, h, w, PointOrder.XY);
    INDArray src = nd(s).castTo(type);
    INDArray dst = nd(displaced(r, s, 2)).castTo(type);
    SplineWarp warp =
        SplineWarp.builder().order(order).regularization(lambda).boundaryPoints(boundary).build();
    double[] diff = sparseWarpDifferences(backend, warp, img, src, dst);
    double tol = type == DataType.DOUBLE ? 1e-8 : 1e-3;
    assertThat(diff[0]).as("image").isLessThan(tol);
    assertThat(diff[1]).as("flow").isLessThan(tol);
  }

  static Stream<Arguments> backendOrders() {
    return withBackends(Stream.of(Arguments.of(PointOrder.XY), Arguments.of(PointOrder.YX)));
  }

  @ParameterizedTest(name = "{0}, {1}")
  @MethodSource("backendOrders")
  void sparseWarpFollowsThePointOrder(WarpBackend backend, PointOrder order) {
    SplittableRandom r = new SplittableRandom(3);
    INDArray img = nd(randomImage(r, 2, 8, 10, 2));
    double[][][] s = randomPoints(r, 2, 5, 8, 10, order);
    SplineWarp warp = SplineWarp.builder().order(2).boundaryPoints(1).pointOrder(order).build();
    double[] diff = sparseWarpDifferences(backend, warp, img, nd(s), nd(displaced(r, s, 1.5)));
    assertThat(diff[0]).isLessThan(1e-8);
    assertThat(diff[1]).isLessThan(1e-8);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.facenorm.warp.TestArrays#backends")
  void faceSizedWarpInFloatMatchesEager(WarpBackend backend) {
    // pixel-scale system (cond ~1e8+) and a float image, as the face pipeline uses it
    SplittableRandom r = new SplittableRandom(11);
    int size = 96;
    INDArray img = nd(randomImage(r, 1, size, size, 3)).castTo(DataType.FLOAT);
    double[][][] s = randomPoints(r, 1, 40, size, size, PointOrder.XY);
    INDArray src = nd(s).castTo(DataType.FLOAT);
    INDArray dst = nd(displaced(r, s, 3)).castTo(DataType.FLOAT);
    SplineWarp warp = SplineWarp.builder().order(1).boundaryPoints(2).build();
    double[] diff = sparseWarpDifferences(backend, warp, img, src, dst);
    assertThat(diff[0]).isLessThan(1e-3);
    assertThat(diff[1]).isLessThan(1e-3);
    double[] inDouble =
        sparseWarpDifferences(
            backend,
            warp,
            img.castTo(DataType.DOUBLE),
            src.castTo(DataType.DOUBLE),
            dst.castTo(DataType.DOUBLE));
    assertThat(inDouble[0]).isLessThan(1e-8);
    assertThat(inDouble[1]).isLessThan(1e-8);
  }

  static Stream<Arguments> denseCases() {
    return Stream.of(
        Arguments.of(PointOrder.XY, DataType.DOUBLE),
        Arguments.of(PointOrder.YX, DataType.DOUBLE),
        Arguments.of(PointOrder.XY, DataType.FLOAT),
        Arguments.of(PointOrder.YX, DataType.FLOAT));
  }

  static Stream<Arguments> backendDenseCases() {
    return withBackends(denseCases());
  }

  @ParameterizedTest(name = "{0}, {1}, {2}")
  @MethodSource("backendDenseCases")
  void denseWarpMatchesEager(WarpBackend backend, PointOrder order, DataType type) {
    SplittableRandom r = new SplittableRandom(5);
    INDArray img = nd(randomImage(r, 2, 5, 6, 3)).castTo(type);
    // some samples land outside the image, some exactly on pixels and on the last row/column
    INDArray flow = nd(randomImage(r, 2, 5, 6, 2)).muli(5).subi(2.3);
    flow.putScalar(new long[] {0, 4, 5, 0}, 0);
    flow.putScalar(new long[] {0, 4, 5, 1}, 0);
    flow.putScalar(new long[] {1, 2, 3, 0}, 1);
    flow.putScalar(new long[] {1, 2, 3, 1}, -1);
    flow = flow.castTo(type);
    SameDiff sd = SameDiff.create();
    SDVariable out = backend.denseWarp(sd, "w", sd.var("img", img), sd.var("flow", flow), order);
    INDArray got = out.eval();
    INDArray want = DenseImageWarp.apply(img, flow, order);
    assertThat(got.dataType()).isEqualTo(type);
    assertThat(maxAbsDiff(got, want)).isLessThan(type == DataType.DOUBLE ? 1e-12 : 1e-6);
  }

  static Stream<Arguments> interpolateCases() {
    Stream.Builder<Arguments> s = Stream.builder();
    for (int d = 1; d <= 3; d++) {
      for (int order = 1; order <= 4; order++) {
        s.add(Arguments.of(d, order, 0.0));
      }
      s.add(Arguments.of(d, 2, 0.25));
      s.add(Arguments.of(d, 5, 0.0));
    }
    return s.build();
  }

  static Stream<Arguments> backendInterpolateCases() {
    return withBackends(interpolateCases());
  }

  @ParameterizedTest(name = "{0}, d {1}, order {2}, lambda {3}")
  @MethodSource("backendInterpolateCases")
  void interpolateMatchesEager(WarpBackend backend, int d, int order, double lambda) {
    SplittableRandom r = new SplittableRandom(d * 10 + order);
    INDArray c = nd(points(r, 2, 9, d, 10));
    INDArray f = nd(points(r, 2, 9, 3, 2));
    INDArray q = nd(points(r, 2, 7, d, 12));
    PolyharmonicSpline spline =
        PolyharmonicSpline.builder().order(order).regularization(lambda).build();
    SameDiff sd = SameDiff.create();
    SDVariable out =
        backend.interpolate(sd, "s", sd.var("c", c), sd.var("f", f), sd.var("q", q), spline.spec());
    INDArray want = spline.interpolate(c, f, q);
    assertThat(maxAbsDiff(out.eval(), want)).isLessThan(1e-8);
    // FLOAT values give a FLOAT result with the same numbers (the system is solved in double)
    SameDiff sf = SameDiff.create();
    SDVariable outF =
        backend.interpolate(
            sf,
            "s",
            sf.var("c", c.castTo(DataType.FLOAT)),
            sf.var("f", f.castTo(DataType.FLOAT)),
            sf.var("q", q.castTo(DataType.FLOAT)),
            spline.spec());
    INDArray gotF = outF.eval();
    assertThat(gotF.dataType()).isEqualTo(DataType.FLOAT);
    INDArray wantF =
        spline.interpolate(
            c.castTo(DataType.FLOAT), f.castTo(DataType.FLOAT), q.castTo(DataType.FLOAT));
    assertThat(maxAbsDiff(gotF, wantF)).isLessThan(1e-4);
  }

  /** Uniform points [B, n, d] in [0, scale)^d. */
  static double[][][] points(SplittableRandom r, int b, int n, int d, double scale) {
    double[][][] p = new double[b][n][d];
    for (double[][] x : p) {
      for (double[] y : x) {
        for (int a = 0; a < d; a++) {
          y[a] = r.nextDouble() * scale;
        }
      }
    }
    return p;
  }
}
