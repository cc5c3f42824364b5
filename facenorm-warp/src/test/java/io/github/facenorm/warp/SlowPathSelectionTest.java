package io.github.facenorm.warp;

import static io.github.facenorm.warp.TestArrays.displaced;
import static io.github.facenorm.warp.TestArrays.maxAbsDiff;
import static io.github.facenorm.warp.TestArrays.nd;
import static io.github.facenorm.warp.TestArrays.randomImage;
import static io.github.facenorm.warp.TestArrays.randomPoints;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * With ND4J started on its own executioner (no {@code opexec}, {@link FacenormKernels#install()}
 * never called), the public graph builders take the native-op composition and still give the eager
 * numbers and gradients. Needs a JVM of its own: it skips itself when {@code opexec} is set, as in
 * the default test run.
 */
class SlowPathSelectionTest {

  @BeforeAll
  static void onlyWithoutFacenormsExecutioner() {
    Assumptions.assumeTrue(
        System.getProperty("opexec") == null,
        "opexec is set: this JVM runs facenorm's executioner; run this class in a JVM without it");
  }

  @Test
  void graphBuildersTakeTheNativeCompositionAndMatchEager() {
    assertThat(FacenormKernels.isActive()).as("fused kernels active").isFalse();
    assertThat(Nd4j.getExecutioner().getClass().getName())
        .isNotEqualTo(FacenormKernels.CPU_EXECUTIONER);

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
    assertThat(out[0].name()).isEqualTo("warped");
    assertThat(out[1].name()).isEqualTo("warped/flow");
    assertThat(sd.getVariable("warped/solve")).as("the composition's solve").isNotNull();
    Map<String, INDArray> got = sd.output(Map.of(), "warped", "warped/flow");
    WarpResult want = warp.apply(img, src, dst);
    assertThat(maxAbsDiff(got.get("warped"), want.image())).isLessThan(1e-4);
    assertThat(maxAbsDiff(got.get("warped/flow"), want.flow())).isLessThan(1e-4);
  }

  @Test
  void gradientsOnTheSlowPathMatchFiniteDifferences() {
    SplittableRandom r = new SplittableRandom(2);
    INDArray img = nd(randomImage(r, 1, 6, 7, 2));
    double[][][] s = randomPoints(r, 1, 4, 6, 7, PointOrder.XY);
    INDArray src = nd(s);
    INDArray dst = nd(displaced(r, s, 1.5));
    INDArray r1 = nd(randomImage(r, 1, 6, 7, 2)).subi(0.5);
    SplineWarp warp = SplineWarp.builder().order(1).boundaryPoints(2).build();
    SameDiff sd = SameDiff.create();
    SDVariable out =
        warp.apply(sd, "warped", sd.var("img", img), sd.var("src", src), sd.var("dst", dst));
    sd.setLossVariables(out.mul(sd.constant("r1", r1)).sum());
    Map<String, INDArray> g = sd.calculateGradients(Map.of(), "img", "src", "dst");
    GraphGradientTest.assertMatchesFiniteDifferences(
        "d/dimage",
        img,
        g.get("img"),
        x -> warp.apply(x, src, dst).image().mul(r1).sumNumber().doubleValue());
    GraphGradientTest.assertMatchesFiniteDifferences(
        "d/ddest",
        dst,
        g.get("dst"),
        x -> warp.apply(img, src, x).image().mul(r1).sumNumber().doubleValue());
  }

  @Test
  void denseWarpAndInterpolateTakeTheSlowPathToo() {
    SplittableRandom r = new SplittableRandom(3);
    INDArray img = nd(randomImage(r, 1, 5, 6, 2));
    INDArray flow = nd(randomImage(r, 1, 5, 6, 2)).muli(3).subi(1.2);
    SameDiff sd = SameDiff.create();
    SDVariable warped =
        DenseImageWarp.apply(sd, "dense", sd.var("img", img), sd.var("flow", flow), PointOrder.YX);
    assertThat(maxAbsDiff(warped.eval(), DenseImageWarp.apply(img, flow, PointOrder.YX)))
        .isLessThan(1e-12);

    INDArray c = nd(randomPoints(r, 1, 7, 10, 10, PointOrder.XY));
    INDArray f = nd(randomPoints(r, 1, 7, 3, 3, PointOrder.XY));
    INDArray q = nd(randomPoints(r, 1, 5, 12, 12, PointOrder.XY));
    PolyharmonicSpline spline = PolyharmonicSpline.builder().order(2).build();
    SDVariable s = spline.interpolate(sd, "spline", sd.var("c", c), sd.var("f", f), sd.var("q", q));
    assertThat(s.name()).isEqualTo("spline");
    assertThat(maxAbsDiff(s.eval(), spline.interpolate(c, f, q))).isLessThan(1e-8);
  }

  /**
   * On ND4J's stock executioner the composition refuses what the eager path refuses, with its
   * messages (issue 19, class 6): no NaN image out, no native "input matrix is singular".
   */
  @Test
  void badInputsOnTheStockExecutionerGetTheEagerPathsErrors() {
    SplittableRandom r = new SplittableRandom(4);
    INDArray img = nd(randomImage(r, 1, 9, 10, 2));
    double[][][] s = randomPoints(r, 1, 5, 9, 10, PointOrder.XY);
    SplineWarp warp = SplineWarp.builder().order(1).boundaryPoints(1).build();
    INDArray nan = img.dup();
    nan.putScalar(new long[] {0, 2, 3, 1}, Double.NaN);
    assertThat(NearSingularTest.refusal(() -> run(warp, nan, nd(s), nd(s))))
        .hasMessageContaining("image: element [0, 2, 3, 1] is NaN");
    double[][][] dup = {s[0].clone()};
    dup[0][1] = dup[0][0].clone();
    assertThat(NearSingularTest.refusal(() -> run(warp, img, nd(s), nd(dup))))
        .hasMessageContaining("dest point 0 and dest point 1 coincide");
    double[][][] near = {s[0].clone()};
    near[0][1] = new double[] {near[0][0][0] + 1e-9, near[0][0][1]};
    assertThat(NearSingularTest.refusal(() -> run(warp, img, nd(s), nd(near))))
        .hasMessageContaining("dest point 0 (")
        .hasMessageContaining("dest point 1 (")
        .hasMessageContaining("too close");
    assertThat(maxAbsDiff(run(warp, img, nd(s), nd(s)), img)).as("identity").isLessThan(1e-12);
  }

  private static INDArray run(SplineWarp warp, INDArray img, INDArray src, INDArray dst) {
    SameDiff sd = SameDiff.create();
    SDVariable out =
        warp.apply(
            sd, "warped", sd.constant("img", img), sd.constant("src", src), sd.var("dst", dst));
    return sd.output(Map.of(), "warped").get("warped");
  }
}
