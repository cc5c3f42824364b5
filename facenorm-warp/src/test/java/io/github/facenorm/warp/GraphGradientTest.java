package io.github.facenorm.warp;

import static io.github.facenorm.warp.TestArrays.displaced;
import static io.github.facenorm.warp.TestArrays.nd;
import static io.github.facenorm.warp.TestArrays.randomImage;
import static io.github.facenorm.warp.TestArrays.randomPoints;
import static io.github.facenorm.warp.TestArrays.withBackends;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.facenorm.warp.internal.SamplingAdjoint;
import io.github.facenorm.warp.internal.graph.WarpBackend;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Gradients of every graph backend (the fused ops and the native-op composition, both built in this
 * JVM: native ops run natively on either executioner) against double-precision central finite
 * differences of the eager forward, for every input.
 */
class GraphGradientTest {

  private static final double EPS = 1e-6;

  @BeforeAll
  static void kernels() {
    assertThat(FacenormKernels.install()).isTrue();
  }

  static Stream<Arguments> warpCases() {
    Stream.Builder<Arguments> s = Stream.builder();
    for (int order = 1; order <= 3; order++) {
      for (double lambda : new double[] {0, 0.3}) {
        for (int boundary : new int[] {0, 2}) {
          for (int batch : new int[] {1, 2}) {
            s.add(Arguments.of(order, lambda, boundary, batch));
          }
        }
      }
    }
    return s.build();
  }

  /**
   * Central differences of {@code f} with respect to every element of {@code x}, compared with
   * {@code analytic}.
   */
  static void assertMatchesFiniteDifferences(
      String what, INDArray x, INDArray analytic, ToDoubleFunction<INDArray> f) {
    INDArray probe = x.dup();
    double worst = 0;
    for (long i = 0; i < probe.length(); i++) {
      double v = probe.getDouble(i);
      probe.putScalar(i, v + EPS);
      double up = f.applyAsDouble(probe);
      probe.putScalar(i, v - EPS);
      double down = f.applyAsDouble(probe);
      probe.putScalar(i, v);
      double fd = (up - down) / (2 * EPS);
      double got = analytic.getDouble(i);
      double err = Math.abs(got - fd) / (1e-4 + Math.abs(fd));
      worst = Math.max(worst, err);
      assertThat(got)
          .as("%s element %d: analytic %s vs finite difference %s", what, i, got, fd)
          .isCloseTo(fd, org.assertj.core.api.Assertions.within(1e-5 + 1e-5 * Math.abs(fd)));
    }
    assertThat(worst).isLessThan(1e-3);
  }

  static Stream<Arguments> backendWarpCases() {
    return withBackends(warpCases());
  }

  @ParameterizedTest(name = "{0}, order {1}, lambda {2}, boundary {3}, batch {4}")
  @MethodSource("backendWarpCases")
  void sparseWarpGradients(WarpBackend backend, int order, double lambda, int boundary, int batch) {
    SplittableRandom r = new SplittableRandom(order * 1000 + boundary * 10 + batch);
    int h = 6;
    int w = 7;
    INDArray img = nd(randomImage(r, batch, h, w, 2));
    double[][][] s = randomPoints(r, batch, 4, h, w, PointOrder.XY);
    INDArray src = nd(s);
    INDArray dst = nd(displaced(r, s, 1.5));
    INDArray r1 = nd(randomImage(r, batch, h, w, 2)).subi(0.5);
    INDArray r2 = nd(randomImage(r, batch, h, w, 2)).subi(0.5);
    SplineWarp warp =
        SplineWarp.builder().order(order).regularization(lambda).boundaryPoints(boundary).build();

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
    SDVariable loss =
        out[0].mul(sd.constant("r1", r1)).sum().add(out[1].mul(sd.constant("r2", r2)).sum());
    sd.setLossVariables(loss);
    Map<String, INDArray> g = sd.calculateGradients(Map.of(), "img", "src", "dst");

    ToDoubleFunction<WarpResult> objective =
        res ->
            res.image().mul(r1).sumNumber().doubleValue()
                + res.flow().mul(r2).sumNumber().doubleValue();
    assertMatchesFiniteDifferences(
        "d/dimage", img, g.get("img"), x -> objective.applyAsDouble(warp.apply(x, src, dst)));
    assertMatchesFiniteDifferences(
        "d/dsource", src, g.get("src"), x -> objective.applyAsDouble(warp.apply(img, x, dst)));
    assertMatchesFiniteDifferences(
        "d/ddest", dst, g.get("dst"), x -> objective.applyAsDouble(warp.apply(img, src, x)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.facenorm.warp.TestArrays#backends")
  void sparseWarpGradientsInYxOrder(WarpBackend backend) {
    SplittableRandom r = new SplittableRandom(77);
    INDArray img = nd(randomImage(r, 1, 6, 8, 1));
    double[][][] s = randomPoints(r, 1, 5, 6, 8, PointOrder.YX);
    INDArray src = nd(s);
    INDArray dst = nd(displaced(r, s, 1.5));
    INDArray r1 = nd(randomImage(r, 1, 6, 8, 1));
    INDArray r2 = nd(randomImage(r, 1, 6, 8, 2)).subi(0.5);
    SplineWarp warp =
        SplineWarp.builder().order(2).boundaryPoints(1).pointOrder(PointOrder.YX).build();
    SameDiff sd = SameDiff.create();
    SDVariable[] out =
        backend.sparseWarp(
            sd, "w", sd.var("img", img), sd.var("src", src), sd.var("dst", dst), warp.spec(), true);
    sd.setLossVariables(
        out[0].mul(sd.constant("r1", r1)).sum().add(out[1].mul(sd.constant("r2", r2)).sum()));
    Map<String, INDArray> g = sd.calculateGradients(Map.of(), "src", "dst");
    ToDoubleFunction<WarpResult> objective =
        res ->
            res.image().mul(r1).sumNumber().doubleValue()
                + res.flow().mul(r2).sumNumber().doubleValue();
    assertMatchesFiniteDifferences(
        "d/dsource", src, g.get("src"), x -> objective.applyAsDouble(warp.apply(img, x, dst)));
    assertMatchesFiniteDifferences(
        "d/ddest", dst, g.get("dst"), x -> objective.applyAsDouble(warp.apply(img, src, x)));
  }

  static Stream<Arguments> backendOrders() {
    return withBackends(Stream.of(Arguments.of(PointOrder.XY), Arguments.of(PointOrder.YX)));
  }

  @ParameterizedTest(name = "{0}, {1}")
  @MethodSource("backendOrders")
  void denseWarpGradients(WarpBackend backend, PointOrder order) {
    SplittableRandom r = new SplittableRandom(5);
    INDArray img = nd(randomImage(r, 2, 5, 6, 3));
    // flows away from integers so no sample sits on a bilinear kink; some push outside the image
    INDArray flow = nd(randomImage(r, 2, 5, 6, 2)).muli(5).subi(2.3);
    INDArray r1 = nd(randomImage(r, 2, 5, 6, 3));
    SameDiff sd = SameDiff.create();
    SDVariable out = backend.denseWarp(sd, "w", sd.var("img", img), sd.var("flow", flow), order);
    sd.setLossVariables(out.mul(sd.constant("r1", r1)).sum());
    Map<String, INDArray> g = sd.calculateGradients(Map.of(), "img", "flow");
    assertMatchesFiniteDifferences(
        "d/dimage",
        img,
        g.get("img"),
        x -> DenseImageWarp.apply(x, flow, order).mul(r1).sumNumber().doubleValue());
    assertMatchesFiniteDifferences(
        "d/dflow",
        flow,
        g.get("flow"),
        x -> DenseImageWarp.apply(img, x, order).mul(r1).sumNumber().doubleValue());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.facenorm.warp.TestArrays#backends")
  void denseWarpGradientMasksAreTfas(WarpBackend backend) {
    // On the kinks finite differences say nothing; the masks must be TFA's, as SamplingAdjoint
    // implements them: zero flow puts interior samples at fraction 0 (no gradient) and the last
    // row and column at fraction 1 after the clamped floor (gradient passes); samples pushed
    // outside the image are clamped (no gradient).
    int h = 4;
    int w = 5;
    INDArray img = nd(randomImage(new SplittableRandom(9), 1, h, w, 2));
    double[][][][] f = new double[1][h][w][2];
    f[0][1][1][0] = -7.5; // x beyond the right edge
    f[0][2][3][1] = 6.25; // y above the top edge
    f[0][0][2][0] = 0.5; // an ordinary interior sample
    f[0][0][2][1] = -0.25;
    INDArray flow = nd(f);
    INDArray r1 = nd(randomImage(new SplittableRandom(10), 1, h, w, 2));
    SameDiff sd = SameDiff.create();
    SDVariable out =
        backend.denseWarp(sd, "w", sd.var("img", img), sd.var("flow", flow), PointOrder.XY);
    sd.setLossVariables(out.mul(sd.constant("r1", r1)).sum());
    Map<String, INDArray> g = sd.calculateGradients(Map.of(), "img", "flow");
    double[] dImage = new double[(int) img.length()];
    double[] dFlow = new double[(int) flow.length()];
    SamplingAdjoint.backward(
        img.data().asDouble(),
        flow.data().asDouble(),
        r1.data().asDouble(),
        1,
        h,
        w,
        2,
        1,
        dImage,
        dFlow);
    assertThat(g.get("flow").data().asDouble()).containsExactly(dFlow, within(1e-12));
    assertThat(g.get("img").data().asDouble()).containsExactly(dImage, within(1e-12));
    assertThat(dFlow[2 * (h * w - 1)]).as("last pixel, fraction 1: gradient passes").isNotZero();
    assertThat(dFlow[2 * (w + 1)]).as("clamped sample: no gradient").isZero();
  }

  static Stream<Arguments> backendInterpolateCases() {
    return withBackends(interpolateCases());
  }

  @ParameterizedTest(name = "{0}, order {1}, lambda {2}")
  @MethodSource("backendInterpolateCases")
  void interpolateGradients(WarpBackend backend, int order, double lambda) {
    SplittableRandom r = new SplittableRandom(order);
    INDArray c = nd(randomPoints(r, 2, 7, 10, 10, PointOrder.XY));
    INDArray f = nd(randomPoints(r, 2, 7, 3, 3, PointOrder.XY));
    INDArray q = nd(randomPoints(r, 2, 5, 12, 12, PointOrder.XY));
    INDArray r1 = nd(randomPoints(r, 2, 5, 4, 4, PointOrder.XY));
    PolyharmonicSpline spline =
        PolyharmonicSpline.builder().order(order).regularization(lambda).build();
    SameDiff sd = SameDiff.create();
    SDVariable out =
        backend.interpolate(sd, "s", sd.var("c", c), sd.var("f", f), sd.var("q", q), spline.spec());
    sd.setLossVariables(out.mul(sd.constant("r1", r1)).sum());
    Map<String, INDArray> g = sd.calculateGradients(Map.of(), "c", "f", "q");
    assertMatchesFiniteDifferences(
        "d/dcenters",
        c,
        g.get("c"),
        x -> spline.interpolate(x, f, q).mul(r1).sumNumber().doubleValue());
    assertMatchesFiniteDifferences(
        "d/dvalues",
        f,
        g.get("f"),
        x -> spline.interpolate(c, x, q).mul(r1).sumNumber().doubleValue());
    assertMatchesFiniteDifferences(
        "d/dqueries",
        q,
        g.get("q"),
        x -> spline.interpolate(c, f, x).mul(r1).sumNumber().doubleValue());
  }

  static Stream<Arguments> interpolateCases() {
    return Stream.of(
        Arguments.of(1, 0.0),
        Arguments.of(2, 0.0),
        Arguments.of(3, 0.0),
        Arguments.of(4, 0.1),
        Arguments.of(2, 0.5));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.facenorm.warp.TestArrays#backends")
  void interpolateGradientsInThreeDimensions(WarpBackend backend) {
    SplittableRandom r = new SplittableRandom(31);
    INDArray c = nd(GraphWarpTest.points(r, 1, 8, 3, 5));
    INDArray f = nd(GraphWarpTest.points(r, 1, 8, 1, 1));
    INDArray q = nd(GraphWarpTest.points(r, 1, 4, 3, 5));
    PolyharmonicSpline spline = PolyharmonicSpline.builder().order(3).build();
    SameDiff sd = SameDiff.create();
    SDVariable out =
        backend.interpolate(sd, "s", sd.var("c", c), sd.var("f", f), sd.var("q", q), spline.spec());
    sd.setLossVariables(out.mul(out).sum());
    Map<String, INDArray> g = sd.calculateGradients(Map.of(), "c", "f", "q");
    ToDoubleFunction<INDArray> sq = y -> y.mul(y).sumNumber().doubleValue();
    assertMatchesFiniteDifferences(
        "d/dcenters", c, g.get("c"), x -> sq.applyAsDouble(spline.interpolate(x, f, q)));
    assertMatchesFiniteDifferences(
        "d/dvalues", f, g.get("f"), x -> sq.applyAsDouble(spline.interpolate(c, x, q)));
    assertMatchesFiniteDifferences(
        "d/dqueries", q, g.get("q"), x -> sq.applyAsDouble(spline.interpolate(c, f, x)));
  }
}
