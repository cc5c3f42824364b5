package io.github.facenorm.warp;

import static io.github.facenorm.warp.TestArrays.nd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.facenorm.warp.internal.EagerWarp;
import io.github.facenorm.warp.internal.WarpSpec;
import io.github.facenorm.warp.internal.graph.WarpBackend;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * Issue 19, classes 1 and 6: near-singular spline systems are refused with a message naming the
 * points or the order, on the eager path and on both graph paths (fused ops and the native-op
 * composition), and the graph paths refuse NaN/Inf inputs as the eager path does.
 */
class NearSingularTest {

  private static final int FACE = 224;

  @BeforeAll
  static void kernels() {
    assertThat(FacenormKernels.install()).isTrue();
  }

  /**
   * 68 dest points spread like a face's landmarks over a 224² image (a jittered ellipse ring and an
   * inner grid, at least 4 px apart), each moved 3–8 px from its source: a healthy FACE-224 warp.
   */
  static double[][][][] face(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[][] dst = new double[68][];
    int k = 0;
    for (int i = 0; i < 28; i++) {
      double a = 2 * Math.PI * i / 28;
      dst[k++] =
          new double[] {
            112 + 70 * Math.cos(a) + r.nextDouble(-1, 1),
            118 + 85 * Math.sin(a) + r.nextDouble(-1, 1)
          };
    }
    for (int gy = 0; gy < 5; gy++) {
      for (int gx = 0; gx < 8; gx++) {
        dst[k++] =
            new double[] {
              70 + 12 * gx + r.nextDouble(-1.5, 1.5), 80 + 18 * gy + r.nextDouble(-1.5, 1.5)
            };
      }
    }
    double[][] src = new double[68][];
    for (int i = 0; i < 68; i++) {
      double mag = r.nextDouble(3, 8);
      double ang = r.nextDouble(2 * Math.PI);
      src[i] = new double[] {dst[i][0] - mag * Math.cos(ang), dst[i][1] - mag * Math.sin(ang)};
    }
    return new double[][][][] {{src}, {dst}};
  }

  /**
   * face(seed) with dest point 31 moved to {@code gap} px from dest point 30 (source untouched).
   */
  static double[][][][] nearDuplicate(long seed, double gap) {
    double[][][][] p = face(seed);
    double[] a = p[1][0][30];
    p[1][0][31] = new double[] {a[0] + gap * 0.6, a[1] + gap * 0.8};
    return p;
  }

  private static INDArray image(int h, int w, DataType type) {
    SplittableRandom r = new SplittableRandom(3);
    return nd(TestArrays.randomImage(r, 1, h, w, 3)).castTo(type);
  }

  static Stream<Arguments> gaps() {
    return Stream.of(1e-4, 1e-8, 1e-12).map(Arguments::of);
  }

  @ParameterizedTest(name = "gap {0} px")
  @MethodSource("gaps")
  void nearDuplicateDestPointsAreRefusedNamingThem(double gap) {
    double[][][][] p = nearDuplicate(1, gap);
    for (int order = 1; order <= 3; order++) {
      SplineWarp warp = SplineWarp.builder().order(order).boundaryPoints(2).build();
      assertThatThrownBy(() -> warp.apply(image(FACE, FACE, DataType.FLOAT), nd(p[0]), nd(p[1])))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("dest point 30 (")
          .hasMessageContaining("dest point 31 (")
          .hasMessageContaining("too close");
    }
  }

  @ParameterizedTest(name = "gap {0} px")
  @MethodSource("gaps")
  void tinyRegularizationOnNearDuplicatesIsRefused(double gap) {
    double[][][][] p = nearDuplicate(2, gap);
    for (double lambda : new double[] {1e-12, 1e-9}) {
      SplineWarp warp =
          SplineWarp.builder().order(1).regularization(lambda).boundaryPoints(2).build();
      assertThatThrownBy(() -> warp.apply(image(FACE, FACE, DataType.FLOAT), nd(p[0]), nd(p[1])))
          .as("λ = %s", lambda)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("too close")
          .hasMessageContaining("larger regularization")
          .hasMessageContaining("dest point 30 (")
          .hasMessageContaining("dest point 31 (");
    }
  }

  @ParameterizedTest(name = "order {0}")
  @ValueSource(ints = {7, 40, 100})
  void ordersPastTheSupportedRangeAreRefused(int order) {
    assertThatThrownBy(() -> SplineWarp.builder().order(order))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("order: expected an integer from 1 to " + SplineLimitsView.MAX)
        .hasMessageContaining("got " + order);
    assertThatThrownBy(() -> PolyharmonicSpline.builder().order(order))
        .hasMessageContaining("got " + order);
    // a spec that did not come through the builders (a saved graph's arguments) is checked too
    double[][][][] p = face(3);
    WarpSpec spec = new WarpSpec(order, 0, 2, PointOrder.XY, 1);
    assertThatThrownBy(
            () -> EagerWarp.sparseWarp(image(FACE, FACE, DataType.FLOAT), nd(p[0]), nd(p[1]), spec))
        .hasMessageContaining("order: expected an integer from 1 to");
  }

  /**
   * The orders that are reliable at image scale (1–4) solve a healthy FACE-224 system and reproduce
   * its centers; 5 and 6 may be refused there (SplineLimits.MAX_ORDER).
   */
  @ParameterizedTest(name = "order {0}")
  @MethodSource("supportedOrders")
  void healthyFaceWarpPassesForEverySupportedOrder(int order) {
    double[][][][] p = face(4);
    SplineWarp warp = SplineWarp.builder().order(order).boundaryPoints(2).build();
    WarpResult result = warp.apply(image(FACE, FACE, DataType.DOUBLE), nd(p[0]), nd(p[1]));
    // the flow at a dest point that sits on a pixel is dest − source there
    double[] d = p[1][0][5];
    INDArray centers = nd(new double[][][] {{d}});
    SplineFit fit =
        PolyharmonicSpline.builder()
            .order(order)
            .build()
            .fit(
                nd(new double[][][] {withBoundary(p[1][0])}),
                nd(new double[][][] {flowsWithBoundary(p[0][0], p[1][0])}));
    INDArray at = fit.evaluate(centers);
    assertThat(at.getDouble(0, 0, 0)).isCloseTo(d[0] - p[0][0][5][0], within(1e-6));
    assertThat(at.getDouble(0, 0, 1)).isCloseTo(d[1] - p[0][0][5][1], within(1e-6));
    assertThat(result.flow().amaxNumber().doubleValue()).isFinite().isLessThan(FACE);
  }

  /**
   * The check after the solve passes a large healthy system too: FitOnceBenchmark's 1024 points (a
   * jittered 32 × 32 grid over 224²), orders 1 and 2.
   */
  @ParameterizedTest(name = "order {0}")
  @ValueSource(ints = {1, 2})
  void aThousandPointGridPasses(int order) {
    SplittableRandom r = new SplittableRandom(8);
    double[][][] c = new double[1][1024][];
    double[][][] v = new double[1][1024][];
    double cell = 0.8 * 223 / 31;
    for (int j = 0; j < 1024; j++) {
      c[0][j] =
          new double[] {
            22.3 + (j % 32) * cell + r.nextDouble(-0.25, 0.25) * cell,
            22.3 + (j / 32) * cell + r.nextDouble(-0.25, 0.25) * cell
          };
      v[0][j] = new double[] {r.nextDouble(-8, 8), r.nextDouble(-8, 8)};
    }
    SplineFit fit = PolyharmonicSpline.builder().order(order).build().fit(nd(c), nd(v));
    INDArray at = fit.evaluate(nd(new double[][][] {{c[0][100]}}));
    assertThat(at.getDouble(0, 0, 1)).isCloseTo(v[0][100][1], within(1e-6));
  }

  static Stream<Arguments> supportedOrders() {
    return java.util.stream.IntStream.rangeClosed(1, 4).mapToObj(Arguments::of);
  }

  private static org.assertj.core.data.Offset<Double> within(double v) {
    return org.assertj.core.data.Offset.offset(v);
  }

  private static double[][] withBoundary(double[][] pts) {
    double[] b = io.github.facenorm.warp.internal.WarpSpline.boundaryLocationsXy(FACE, FACE, 2);
    double[][] out = new double[pts.length + 8][];
    System.arraycopy(pts, 0, out, 0, pts.length);
    for (int i = 0; i < 8; i++) {
      out[pts.length + i] = new double[] {b[2 * i], b[2 * i + 1]};
    }
    return out;
  }

  private static double[][] flowsWithBoundary(double[][] src, double[][] dst) {
    double[][] out = new double[dst.length + 8][];
    for (int i = 0; i < dst.length; i++) {
      out[i] = new double[] {dst[i][0] - src[i][0], dst[i][1] - src[i][1]};
    }
    for (int i = 0; i < 8; i++) {
      out[dst.length + i] = new double[] {0, 0};
    }
    return out;
  }

  // ------------------------------------------------------------------------- both graph paths

  static Stream<Arguments> backends() {
    return TestArrays.backends().map(Arguments::of);
  }

  /** Runs the warp's graph form and returns its output. */
  private static INDArray graphWarp(
      WarpBackend backend, SplineWarp warp, INDArray image, INDArray source, INDArray dest) {
    SameDiff sd = SameDiff.create();
    SDVariable out =
        backend
            .sparseWarp(
                sd,
                "warped",
                sd.placeHolder("image", image.dataType(), image.shape()),
                sd.constant("source", source),
                sd.var("dest", dest),
                warp.spec(),
                false)[0];
    return sd.output(Map.of("image", image), out.name()).get(out.name());
  }

  /** The first IllegalArgumentException in the chain of what {@code call} throws. */
  static IllegalArgumentException refusal(ThrowingCallable call) {
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(call);
    assertThat(t).as("an exception").isNotNull();
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof IllegalArgumentException e) {
        return e;
      }
    }
    throw new AssertionError("no IllegalArgumentException in the chain", t);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void graphPathsRefuseNanAndInfinity(WarpBackend backend) {
    SplittableRandom r = new SplittableRandom(5);
    double[][][] s = TestArrays.randomPoints(r, 1, 6, 12, 14, PointOrder.XY);
    double[][][] d = TestArrays.displaced(r, s, 1);
    SplineWarp warp = SplineWarp.builder().order(1).boundaryPoints(1).build();
    for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
      INDArray img = image(12, 14, type);
      INDArray nan = img.dup();
      nan.putScalar(new long[] {0, 3, 4, 1}, Double.NaN);
      assertThat(refusal(() -> graphWarp(backend, warp, nan, nd(s), nd(d))))
          .hasMessageContaining("image: element [0, 3, 4, 1] is NaN");
      INDArray inf = img.dup();
      inf.putScalar(new long[] {0, 0, 13, 2}, Double.POSITIVE_INFINITY);
      assertThat(refusal(() -> graphWarp(backend, warp, inf, nd(s), nd(d))))
          .hasMessageContaining("image: element [0, 0, 13, 2] is Infinity");
      INDArray badDest = nd(d);
      badDest.putScalar(new long[] {0, 4, 1}, Double.NaN);
      assertThat(refusal(() -> graphWarp(backend, warp, img, nd(s), badDest)))
          .hasMessageContaining("dest: element [0, 4, 1] is NaN");
      INDArray badSource = nd(s);
      badSource.putScalar(new long[] {0, 2, 0}, Double.NEGATIVE_INFINITY);
      assertThat(refusal(() -> graphWarp(backend, warp, img, badSource, nd(d))))
          .hasMessageContaining("source: element [0, 2, 0] is -Infinity");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void graphPathsRefuseCoincidingAndTooClosePoints(WarpBackend backend) {
    SplineWarp warp = SplineWarp.builder().order(1).boundaryPoints(2).build();
    INDArray img = image(FACE, FACE, DataType.FLOAT);
    double[][][][] dup = nearDuplicate(6, 0);
    assertThat(refusal(() -> graphWarp(backend, warp, img, nd(dup[0]), nd(dup[1]))))
        .hasMessageContaining("dest point 30 and dest point 31 coincide at");
    for (double gap : new double[] {1e-4, 1e-8, 1e-12}) {
      double[][][][] p = nearDuplicate(6, gap);
      assertThat(refusal(() -> graphWarp(backend, warp, img, nd(p[0]), nd(p[1]))))
          .hasMessageContaining("dest point 30 (")
          .hasMessageContaining("dest point 31 (")
          .hasMessageContaining("too close");
    }
    // the same points, healthy, still warp as the eager path does
    double[][][][] ok = face(6);
    INDArray got = graphWarp(backend, warp, img, nd(ok[0]), nd(ok[1]));
    INDArray want = warp.apply(img, nd(ok[0]), nd(ok[1])).image();
    assertThat(TestArrays.maxAbsDiff(got, want)).isLessThan(1e-3);
  }

  @Test
  void slowPathInterpolationAndDenseWarpCheckToo() {
    WarpBackend slow = WarpBackend.nativeOps();
    double[][][] c = {{{0, 0}, {10, 0}, {0, 10}, {10, 1e-9}}};
    double[][][] v = {{{1}, {2}, {3}, {4}}};
    SameDiff sd = SameDiff.create();
    SDVariable out =
        slow.interpolate(
            sd,
            "s",
            sd.constant("c", nd(c)),
            sd.constant("v", nd(v)),
            sd.constant("q", nd(new double[][][] {{{5, 5}}})),
            WarpSpec.interpolation(2, 0, 1));
    assertThat(refusal(() -> sd.output(Map.of(), out.name())))
        .hasMessageContaining("centers 1 (")
        .hasMessageContaining("centers 3 (")
        .hasMessageContaining("too close");
    SameDiff sd2 = SameDiff.create();
    INDArray flow = Nd4j.zeros(DataType.FLOAT, 1, 5, 6, 2);
    flow.putScalar(new long[] {0, 4, 5, 0}, Float.NaN);
    SDVariable warped =
        slow.denseWarp(
            sd2,
            "d",
            sd2.constant("img", image(5, 6, DataType.FLOAT)),
            sd2.constant("flow", flow),
            PointOrder.XY);
    assertThat(refusal(() -> sd2.output(Map.of(), warped.name())))
        .hasMessageContaining("flow: element [0, 4, 5, 0] is NaN");
  }

  /**
   * Learned dest points that drift together during training end in the error naming them, from the
   * graph op, not in a NaN or garbage loss: SGD on a loss that pulls dest 3 towards dest 4 shrinks
   * their distance 1e6-fold per step.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void destPointsDriftingTogetherInTrainingEndInTheError(WarpBackend backend) {
    double[][][] source = {{{6, 6}, {17, 6}, {6, 17}, {17, 17}, {11.5, 11.5}}};
    SameDiff sd = SameDiff.create();
    SDVariable img = sd.placeHolder("image", DataType.DOUBLE, 1, 24, 24, 1);
    SDVariable target = sd.placeHolder("target", DataType.DOUBLE, 1, 24, 24, 1);
    SDVariable src = sd.constant("source", nd(source));
    SDVariable dst = sd.var("dest", nd(source));
    SplineWarp warp = SplineWarp.builder().order(1).boundaryPoints(2).build();
    SDVariable warped = backend.sparseWarp(sd, "warped", img, src, dst, warp.spec(), false)[0];
    INDArray select = Nd4j.zeros(DataType.DOUBLE, 1, 5, 2);
    select.putScalar(new long[] {0, 3, 0}, 1);
    select.putScalar(new long[] {0, 3, 1}, 1);
    select.putScalar(new long[] {0, 4, 0}, -1);
    select.putScalar(new long[] {0, 4, 1}, -1);
    SDVariable gap = sd.sum(dst.mul(sd.constant("select", select)), 1); // dest 3 − dest 4
    SDVariable pull = sd.sum(sd.math().square(gap));
    SDVariable fit = sd.mean(sd.math().square(warped.sub(target)));
    sd.setLossVariables(pull.add("loss", fit.mul(1e-9)));
    // dest 3 and 4 move by ∓2 lr (d3 − d4) per step: lr just under 0.25 shrinks the gap ~1e6-fold
    sd.setTrainingConfig(
        TrainingConfig.builder()
            .updater(new Sgd(0.25 * (1 - 1e-6)))
            .dataSetFeatureMapping("image")
            .dataSetLabelMapping("target")
            .build());
    INDArray image = GraphTrainingTest.blobs(1);
    DataSet data = new DataSet(image, image.dup());
    IllegalArgumentException e =
        refusal(
            () -> {
              for (int i = 0; i < 10; i++) {
                sd.fit(data);
                double loss =
                    sd.output(Map.of("image", image, "target", image), "loss")
                        .get("loss")
                        .getDouble(0);
                assertThat(loss).as("loss at step %d", i).isFinite();
              }
            });
    assertThat(e.getMessage())
        .contains("dest point 3 (")
        .contains("dest point 4 (")
        .containsAnyOf("too close", "coincide");
  }

  /** The supported range, for the assertions above. */
  private static final class SplineLimitsView {
    static final int MAX = PolyharmonicSpline.MAX_ORDER;
  }
}
