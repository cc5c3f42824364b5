package io.github.facenorm.warp;

import static io.github.facenorm.warp.TestArrays.maxAbsDiff;
import static io.github.facenorm.warp.TestArrays.nested3;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.facenorm.warp.internal.WarpSpline;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class PolyharmonicSplineTest {

  private static INDArray random(SplittableRandom r, long... shape) {
    double[] v = new double[(int) java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
    for (int i = 0; i < v.length; i++) {
      v[i] = r.nextDouble() * 10;
    }
    return Nd4j.create(v, shape, 'c');
  }

  @ParameterizedTest(name = "order {0}, d {1}, k {2}, B {3}")
  @CsvSource({"1,1,1,1", "2,2,3,3", "3,3,2,2", "4,2,1,1", "5,2,2,1", "6,3,1,2"})
  void reproducesTheValuesAtTheCentersWithoutRegularization(int order, int d, int k, int b) {
    SplittableRandom r = new SplittableRandom(order * 31 + d);
    INDArray c = random(r, b, 12, d);
    INDArray f = random(r, b, 12, k);
    INDArray atCenters = PolyharmonicSpline.builder().order(order).build().interpolate(c, f, c);
    assertThat(maxAbsDiff(atCenters, f)).isLessThan(1e-8);
  }

  @Test
  void regularizationSmoothsInsteadOfInterpolating() {
    SplittableRandom r = new SplittableRandom(2);
    INDArray c = random(r, 1, 15, 2);
    INDArray f = random(r, 1, 15, 1);
    INDArray smooth =
        PolyharmonicSpline.builder().order(2).regularization(1).build().interpolate(c, f, c);
    assertThat(maxAbsDiff(smooth, f)).isGreaterThan(1e-3);
  }

  @Test
  void reproducesAffineFunctionsExactly() {
    SplittableRandom r = new SplittableRandom(3);
    INDArray c = random(r, 2, 10, 3);
    INDArray q = random(r, 2, 7, 3);
    // f(p) = 2 x − y + 0.5 z + 4 is in the spline's affine space: w = 0, so exact everywhere
    INDArray f = affine(c);
    INDArray got = PolyharmonicSpline.builder().order(1).build().interpolate(c, f, q);
    assertThat(maxAbsDiff(got, affine(q))).isLessThan(1e-9);
  }

  private static INDArray affine(INDArray p) {
    double[][][] a = nested3(p);
    double[][][] out = new double[a.length][a[0].length][1];
    for (int b = 0; b < a.length; b++) {
      for (int i = 0; i < a[b].length; i++) {
        out[b][i][0] = 2 * a[b][i][0] - a[b][i][1] + 0.5 * a[b][i][2] + 4;
      }
    }
    return TestArrays.nd(out);
  }

  @Test
  void fitOnceEvaluateManyEqualsInterpolate() {
    SplittableRandom r = new SplittableRandom(4);
    INDArray c = random(r, 3, 20, 2);
    INDArray f = random(r, 3, 20, 2);
    PolyharmonicSpline spline = PolyharmonicSpline.builder().order(2).threads(2).build();
    SplineFit fit = spline.fit(c, f);
    for (int i = 0; i < 3; i++) {
      INDArray q = random(r, 3, 9, 2);
      assertThat(maxAbsDiff(fit.evaluate(q), spline.interpolate(c, f, q))).isZero();
    }
    assertThat(fit.weights().shape()).containsExactly(3, 20, 2);
    assertThat(fit.affine().shape()).containsExactly(3, 3, 2);
    // the weights are orthogonal to the affine space: Σ w = 0 and Σ w c = 0
    assertThat(fit.weights().sum(1).amaxNumber().doubleValue()).isLessThan(1e-9);
  }

  @Test
  void evaluatesInTheValuesType() {
    SplittableRandom r = new SplittableRandom(5);
    INDArray c = random(r, 1, 6, 2);
    INDArray f = random(r, 1, 6, 1).castTo(DataType.FLOAT);
    INDArray got = PolyharmonicSpline.builder().build().interpolate(c, f, c);
    assertThat(got.dataType()).isEqualTo(DataType.FLOAT);
  }

  @Test
  void builderRecordsItsConfiguration() {
    assertThat(PolyharmonicSpline.builder().order(3).regularization(0.5).threads(2).build())
        .hasToString("PolyharmonicSpline{order=3, regularization=0.5, threads=2}");
    assertThat(SplineWarp.builder().order(1).boundaryPoints(2).threads(1).build())
        .hasToString(
            "SplineWarp{order=1, regularization=0.0, boundaryPoints=2, pointOrder=XY, threads=1}");
  }

  @Test
  void boundaryPointsAreWhereTfaPutsThem() {
    // TFA: _get_boundary_locations(5, 7, 1): 3×3 grid over rows {0, 2, 4} × cols {0, 3, 6}
    double[] got = WarpSpline.boundaryLocationsXy(5, 7, 2);
    assertThat(got).containsExactly(0, 0, 3, 0, 6, 0, 0, 2, 6, 2, 0, 4, 3, 4, 6, 4);
    assertThat(WarpSpline.boundaryLocationsXy(5, 7, 1)).containsExactly(0, 0, 6, 0, 0, 4, 6, 4);
    assertThat(WarpSpline.boundaryLocationsXy(5, 7, 3)).hasSize(24);
  }
}
