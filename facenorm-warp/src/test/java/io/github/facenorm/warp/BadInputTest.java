package io.github.facenorm.warp;

import static io.github.facenorm.warp.TestArrays.nd;
import static io.github.facenorm.warp.TestArrays.randomImage;
import static io.github.facenorm.warp.TestArrays.randomPoints;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Every bad input gets an exception naming the argument, what was expected and what came. */
class BadInputTest {

  private final SplittableRandom r = new SplittableRandom(1);
  private final INDArray image = nd(randomImage(r, 2, 8, 9, 3));
  private final INDArray points = nd(randomPoints(r, 2, 5, 8, 9, PointOrder.XY));
  private final SplineWarp warp = SplineWarp.builder().order(1).build();

  @Test
  void imageOfWrongRank() {
    assertThatThrownBy(() -> warp.apply(Nd4j.zeros(8, 9, 3), points, points))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("image")
        .hasMessageContaining("rank 4 [B, H, W, C]")
        .hasMessageContaining("rank 3 with shape [8, 9, 3]");
  }

  @Test
  void pointsOfWrongShape() {
    assertThatThrownBy(() -> warp.apply(image, Nd4j.zeros(2, 5, 3), Nd4j.zeros(2, 5, 3)))
        .hasMessageContaining("source")
        .hasMessageContaining("2 coordinates per point")
        .hasMessageContaining("[2, 5, 3]");
    assertThatThrownBy(() -> warp.apply(image, points, Nd4j.zeros(2, 10)))
        .hasMessageContaining("dest")
        .hasMessageContaining("rank 3 [B, n, 2]")
        .hasMessageContaining("[2, 10]");
  }

  @Test
  void sourceAndDestOfDifferentShapes() {
    INDArray fewer = nd(randomPoints(r, 2, 4, 8, 9, PointOrder.XY));
    assertThatThrownBy(() -> warp.apply(image, points, fewer))
        .hasMessageContaining("source [2, 5, 2] and dest [2, 4, 2]");
  }

  @Test
  void mismatchedBatchSizes() {
    INDArray three = nd(randomPoints(r, 3, 5, 8, 9, PointOrder.XY));
    assertThatThrownBy(() -> warp.apply(image, three, three))
        .hasMessageContaining("source")
        .hasMessageContaining("batch size B (the image's) = 2")
        .hasMessageContaining("[3, 5, 2]");
    assertThatThrownBy(() -> DenseImageWarp.apply(image, Nd4j.zeros(DataType.FLOAT, 1, 8, 9, 2)))
        .hasMessageContaining("flow")
        .hasMessageContaining("batch size B (the image's) = 2");
    assertThatThrownBy(() -> DenseImageWarp.apply(image, Nd4j.zeros(DataType.FLOAT, 2, 9, 8, 2)))
        .hasMessageContaining("flow")
        .hasMessageContaining("height H (the image's) = 8");
  }

  @Test
  void nanAndInfinity() {
    INDArray bad = points.dup();
    bad.putScalar(new long[] {1, 3, 0}, Double.NaN);
    assertThatThrownBy(() -> warp.apply(image, points, bad))
        .hasMessageContaining("dest: element [1, 3, 0] is NaN");
    INDArray inf = points.dup();
    inf.putScalar(new long[] {0, 2, 1}, Double.POSITIVE_INFINITY);
    assertThatThrownBy(() -> warp.apply(image, inf, points))
        .hasMessageContaining("source: element [0, 2, 1] is Infinity");
    INDArray badImage = image.dup();
    badImage.putScalar(new long[] {0, 1, 2, 0}, Double.NaN);
    assertThatThrownBy(() -> warp.apply(badImage, points, points))
        .hasMessageContaining("image: element [0, 1, 2, 0] is NaN");
    INDArray flow = Nd4j.zeros(DataType.DOUBLE, 2, 8, 9, 2);
    flow.putScalar(new long[] {1, 7, 8, 1}, Double.NaN);
    assertThatThrownBy(() -> DenseImageWarp.apply(image, flow))
        .hasMessageContaining("flow: element [1, 7, 8, 1] is NaN");
    INDArray centers = nd(randomPoints(r, 1, 5, 8, 9, PointOrder.XY));
    INDArray values = Nd4j.ones(1, 5, 1);
    values.putScalar(new long[] {0, 4, 0}, Double.NaN);
    assertThatThrownBy(() -> PolyharmonicSpline.builder().build().fit(centers, values))
        .hasMessageContaining("values: element [0, 4, 0] is NaN");
  }

  @Test
  void duplicatePointsWithoutRegularization() {
    double[][][] p = {{{1, 1}, {5, 2}, {3, 6}, {5, 2}}};
    assertThatThrownBy(() -> warp.apply(nd(randomImage(r, 1, 8, 9, 1)), nd(p), nd(p)))
        .hasMessageContaining("dest point 1 and dest point 3 coincide at (5.0, 2.0)")
        .hasMessageContaining("regularization > 0");
    // a landmark on a corner collides with the corner boundary point
    double[][][] corner = {{{0, 0}, {5, 2}, {3, 6}}};
    SplineWarp pinned = SplineWarp.builder().order(1).boundaryPoints(1).build();
    assertThatThrownBy(() -> pinned.apply(nd(randomImage(r, 1, 8, 9, 1)), nd(corner), nd(corner)))
        .hasMessageContaining("dest point 0 and boundary point 0 (added by the warp) coincide");
    // with regularization the same points are fine
    SplineWarp.builder()
        .order(1)
        .regularization(0.1)
        .build()
        .apply(nd(randomImage(r, 1, 8, 9, 1)), nd(p), nd(p));
  }

  @Test
  void tooFewOrCollinearPoints() {
    double[][][] two = {{{1, 1}, {5, 2}}};
    assertThatThrownBy(() -> warp.apply(nd(randomImage(r, 1, 8, 9, 1)), nd(two), nd(two)))
        .hasMessageContaining("at least 3 control points")
        .hasMessageContaining("n = 2");
    double[][][] line = {{{1, 1}, {2, 2}, {4, 4}, {6, 6}}};
    assertThatThrownBy(() -> warp.apply(nd(randomImage(r, 1, 8, 9, 1)), nd(line), nd(line)))
        .hasMessageContaining("collinear");
    assertThatThrownBy(
            () ->
                PolyharmonicSpline.builder().build().fit(Nd4j.zeros(1, 3, 3), Nd4j.zeros(1, 3, 1)))
        .hasMessageContaining("at least d + 1 = 4 points, got n = 3");
  }

  @Test
  void badBuilderValues() {
    assertThatThrownBy(() -> SplineWarp.builder().order(0))
        .hasMessage("order: expected an integer from 1 to 6, got 0");
    assertThatThrownBy(() -> PolyharmonicSpline.builder().regularization(-0.5))
        .hasMessage("regularization: expected a finite value ≥ 0, got -0.5");
    assertThatThrownBy(() -> SplineWarp.builder().regularization(Double.NaN))
        .hasMessageContaining("got NaN");
    assertThatThrownBy(() -> SplineWarp.builder().boundaryPoints(-1))
        .hasMessageContaining("boundaryPoints: expected ≥ 0");
    assertThatThrownBy(() -> SplineWarp.builder().threads(0))
        .hasMessageContaining("threads: expected ≥ 1, got 0");
    assertThatThrownBy(() -> SplineWarp.builder().pointOrder(null))
        .hasMessageContaining("pointOrder must not be null");
  }

  @Test
  void imagesSmallerThanTwoByTwo() {
    double[][][] p = {{{0, 0}, {1, 0}, {0, 1}}};
    assertThatThrownBy(() -> warp.apply(Nd4j.zeros(1, 1, 5, 3), nd(p), nd(p)))
        .hasMessageContaining("H ≥ 2, W ≥ 2")
        .hasMessageContaining("[1, 1, 5, 3]");
    assertThatThrownBy(() -> DenseImageWarp.apply(Nd4j.zeros(1, 4, 1, 3), Nd4j.zeros(1, 4, 1, 2)))
        .hasMessageContaining("[1, 4, 1, 3]");
  }

  @Test
  void integerAndNullInputs() {
    assertThatThrownBy(() -> warp.apply(image.castTo(DataType.INT32), points, points))
        .hasMessageContaining("image: expected data type FLOAT or DOUBLE, got INT");
    assertThatThrownBy(() -> warp.apply(null, points, points))
        .hasMessageContaining("image must not be null");
  }

  @Test
  void queriesOfWrongDimension() {
    SplineFit fit =
        PolyharmonicSpline.builder()
            .build()
            .fit(nd(randomPoints(r, 1, 6, 8, 9, PointOrder.XY)), Nd4j.ones(1, 6, 2));
    assertThatThrownBy(() -> fit.evaluate(Nd4j.zeros(1, 4, 3)))
        .hasMessageContaining("queries")
        .hasMessageContaining("dimension d (the centers') = 2")
        .hasMessageContaining("[1, 4, 3]");
    assertThatThrownBy(() -> fit.evaluate(Nd4j.zeros(2, 4, 2)))
        .hasMessageContaining("batch size B (the centers') = 1");
  }
}
