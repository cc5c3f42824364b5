package io.github.facenorm.warp;

import static io.github.facenorm.warp.Goldens.array;
import static io.github.facenorm.warp.Goldens.swapLast;
import static io.github.facenorm.warp.TestArrays.maxAbsDiff;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Our eager results against the numpy float64 re-implementation of TFA. */
class GoldenTest {

  static Stream<Arguments> cases(String file) {
    return Goldens.load(file).stream()
        .flatMap(
            c ->
                Stream.of(DataType.DOUBLE, DataType.FLOAT)
                    .map(t -> Arguments.of(c.get("name").asText(), t, c)));
  }

  static Stream<Arguments> interpolateCases() {
    return cases("interpolate");
  }

  static Stream<Arguments> sparseCases() {
    return cases("sparse_warp");
  }

  static Stream<Arguments> denseCases() {
    return cases("dense_warp");
  }

  /**
   * Error allowed for the flow and the image. DOUBLE agrees with the float64 goldens to ~1e-10;
   * FLOAT inputs are rounded to float first, and order 1 is then evaluated in float.
   */
  private static double warpTolerance(DataType t, int order) {
    if (t == DataType.DOUBLE) {
      return 1e-9;
    }
    return 1e-4; // order 1 sums in float; orders ≥ 2 evaluate in double for FLOAT images too
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("interpolateCases")
  void interpolate(String name, DataType type, JsonNode c) {
    int order = c.get("order").asInt();
    INDArray expected = array(c.get("expected"));
    INDArray got =
        PolyharmonicSpline.builder()
            .order(order)
            .regularization(c.get("regularization").asDouble())
            .build()
            .interpolate(
                array(c.get("centers")).castTo(type),
                array(c.get("values")).castTo(type),
                array(c.get("queries")).castTo(type));
    assertThat(got.dataType()).isEqualTo(type);
    assertThat(got.shape()).isEqualTo(expected.shape());
    double scale = Math.max(1, expected.amaxNumber().doubleValue());
    // FLOAT rounds the inputs to float (evaluation is in double), which moves a spline by up to
    // ~3e-5 of its scale; DOUBLE agrees with the float64 goldens to ~1e-10
    double rel = type == DataType.DOUBLE ? 1e-9 : 1e-4;
    assertThat(maxAbsDiff(got, expected)).as(name).isLessThan(rel * scale);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("sparseCases")
  void sparseWarp(String name, DataType type, JsonNode c) {
    int order = c.get("order").asInt();
    SplineWarp.Builder b =
        SplineWarp.builder()
            .order(order)
            .regularization(c.get("regularization").asDouble())
            .boundaryPoints(c.get("boundaryPoints").asInt());
    INDArray image = array(c.get("image")).castTo(type);
    INDArray source = array(c.get("source")).castTo(type);
    INDArray dest = array(c.get("dest")).castTo(type);
    INDArray expectedImage = array(c.get("expectedImage"));
    INDArray expectedFlow = array(c.get("expectedFlow"));

    WarpResult yx = b.pointOrder(PointOrder.YX).build().apply(image, source, dest);
    double flowErr = maxAbsDiff(yx.flow(), expectedFlow);
    double imgErr = maxAbsDiff(yx.image(), expectedImage);
    WarpResult xy =
        b.pointOrder(PointOrder.XY).build().apply(image, swapLast(source), swapLast(dest));
    double flowErrXy = maxAbsDiff(swapLast(xy.flow()), expectedFlow);
    double imgErrXy = maxAbsDiff(xy.image(), expectedImage);
    double tol = warpTolerance(type, order);
    assertThat(yx.image().dataType()).isEqualTo(type);
    assertThat(yx.flow().dataType()).isEqualTo(type);
    assertThat(flowErr).as("flow, YX").isLessThan(tol);
    assertThat(imgErr).as("image, YX").isLessThan(tol);
    assertThat(flowErrXy).as("flow, XY").isLessThan(tol);
    assertThat(imgErrXy).as("image, XY").isLessThan(tol);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("denseCases")
  void denseWarp(String name, DataType type, JsonNode c) {
    INDArray image = array(c.get("image")).castTo(type);
    INDArray flow = array(c.get("flow")).castTo(type);
    INDArray expected = array(c.get("expected"));
    double e1 = maxAbsDiff(DenseImageWarp.apply(image, flow, PointOrder.YX), expected);
    double e2 = maxAbsDiff(DenseImageWarp.apply(image, swapLast(flow)), expected);
    double tol = type == DataType.DOUBLE ? 1e-12 : 1e-5;
    assertThat(e1).as("YX flow").isLessThan(tol);
    assertThat(e2).as("XY flow").isLessThan(tol);
  }
}
