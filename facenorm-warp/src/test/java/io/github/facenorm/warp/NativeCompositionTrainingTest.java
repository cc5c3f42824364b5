package io.github.facenorm.warp;

import static io.github.facenorm.warp.TestArrays.maxAbsDiff;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.facenorm.warp.internal.graph.WarpBackend;
import java.io.File;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.weightinit.impl.XavierInitScheme;

/**
 * Training through the native-op composition with sd.fit, sd.save → SameDiff.load round trips, and
 * inputs whose shapes are unknown when the graph is built.
 */
class NativeCompositionTrainingTest {

  private static final int SIZE = 24; // GraphTrainingTest.blobs makes SIZE × SIZE images

  /** As GraphTrainingTest's model, on the slow path: dest a variable starting at source. */
  static SameDiff destinationModel(SplineWarp warp) {
    SameDiff sd = SameDiff.create();
    SDVariable img = sd.placeHolder("image", DataType.DOUBLE, -1, SIZE, SIZE, 1);
    SDVariable target = sd.placeHolder("target", DataType.DOUBLE, -1, SIZE, SIZE, 1);
    SDVariable src = sd.constant("source", TestArrays.nd(GraphTrainingTest.SOURCE));
    SDVariable dst = sd.var("dest", TestArrays.nd(GraphTrainingTest.SOURCE));
    SDVariable warped =
        WarpBackend.nativeOps().sparseWarp(sd, "warped", img, src, dst, warp.spec(), false)[0];
    sd.updateVariableNameAndReference(warped, "warped");
    sd.loss().meanSquaredError("loss", target, warped, null);
    sd.setTrainingConfig(
        TrainingConfig.builder()
            .updater(new Adam(0.1))
            .dataSetFeatureMapping("image")
            .dataSetLabelMapping("target")
            .build());
    return sd;
  }

  @Test
  void fitLearnsTheDestPointsOfATargetWarp() {
    SplineWarp warp = SplineWarp.builder().order(1).boundaryPoints(2).build();
    INDArray image = GraphTrainingTest.blobs(1);
    INDArray target =
        warp.apply(
                image,
                TestArrays.nd(GraphTrainingTest.SOURCE),
                TestArrays.nd(GraphTrainingTest.TRUE_DEST))
            .image();
    DataSet data = new DataSet(image, target);
    SameDiff sd = destinationModel(warp);
    double before = GraphTrainingTest.loss(sd, data);
    for (int i = 0; i < 120; i++) {
      sd.fit(data);
    }
    double after = GraphTrainingTest.loss(sd, data);
    assertThat(after).isLessThan(before * 1e-3);
    assertThat(
            maxAbsDiff(sd.getVariable("dest").getArr(), TestArrays.nd(GraphTrainingTest.TRUE_DEST)))
        .as("learned dest points")
        .isLessThan(0.05);
  }

  @ParameterizedTest(name = "order {0}")
  @ValueSource(ints = {1, 2})
  void saveAndLoadKeepOutputsGradientsAndTraining(int order, @TempDir Path dir) {
    SplineWarp warp =
        SplineWarp.builder().order(order).boundaryPoints(1).regularization(0.01).build();
    INDArray image = GraphTrainingTest.blobs(2);
    INDArray target =
        warp.apply(
                image,
                TestArrays.nd(GraphTrainingTest.SOURCE),
                TestArrays.nd(GraphTrainingTest.TRUE_DEST))
            .image();
    DataSet data = new DataSet(image, target);
    SameDiff sd = destinationModel(warp);
    for (int i = 0; i < 20; i++) {
      sd.fit(data);
    }
    File file = dir.resolve("warp.sd").toFile();
    sd.save(file, true);
    SameDiff loaded = SameDiff.load(file, true);

    Map<String, INDArray> ph = Map.of("image", image, "target", target);
    INDArray out = sd.output(ph, "warped").get("warped");
    assertThat(maxAbsDiff(loaded.output(ph, "warped").get("warped"), out)).isZero();
    assertThat(
            maxAbsDiff(
                out,
                warp.apply(
                        image,
                        TestArrays.nd(GraphTrainingTest.SOURCE),
                        sd.getVariable("dest").getArr())
                    .image()))
        .as("still the eager warp")
        .isLessThan(1e-8);
    INDArray g0 = sd.calculateGradients(ph, "dest").get("dest");
    INDArray g1 = loaded.calculateGradients(ph, "dest").get("dest");
    assertThat(maxAbsDiff(g0, g1)).isZero();
    assertThat(g0.amaxNumber().doubleValue()).isPositive();

    for (int i = 0; i < 10; i++) {
      sd.fit(data);
      loaded.fit(data);
    }
    assertThat(maxAbsDiff(loaded.getVariable("dest").getArr(), sd.getVariable("dest").getArr()))
        .isLessThan(1e-12);
    assertThat(GraphTrainingTest.loss(loaded, data))
        .isLessThan(GraphTrainingTest.loss(SameDiff.load(file, false), data));
  }

  @Test
  void trainsBetweenConvolutionsWithShapesKnownOnlyAtRunTime() {
    // conv → warp (control points from a placeholder) → conv; the warp's input is an op output
    // whose shape the graph does not know when it is built
    INDArray image = GraphTrainingTest.blobs(3).castTo(DataType.FLOAT);
    INDArray source = TestArrays.nd(GraphTrainingTest.SOURCE).castTo(DataType.FLOAT);
    INDArray dest = TestArrays.nd(GraphTrainingTest.TRUE_DEST).castTo(DataType.FLOAT);
    SplineWarp warp = SplineWarp.builder().order(1).boundaryPoints(2).build();
    SameDiff sd = SameDiff.create();
    SDVariable in = sd.placeHolder("image", DataType.FLOAT, -1, SIZE, SIZE, 1);
    SDVariable target = sd.placeHolder("target", DataType.FLOAT, -1, SIZE, SIZE, 1);
    SDVariable dst = sd.placeHolder("dst", DataType.FLOAT, -1, -1, 2);
    Conv2DConfig conv =
        Conv2DConfig.builder()
            .kH(3)
            .kW(3)
            .sH(1)
            .sW(1)
            .paddingMode(PaddingMode.SAME)
            .dataFormat("NHWC")
            .build();
    Nd4j.getRandom().setSeed(20261201); // the Xavier initial weights below
    SDVariable w1 = sd.var("w1", new XavierInitScheme('c', 9, 9), DataType.FLOAT, 3, 3, 1, 2);
    SDVariable w2 = sd.var("w2", new XavierInitScheme('c', 18, 9), DataType.FLOAT, 3, 3, 2, 1);
    SDVariable h1 = sd.nn().tanh("hidden", sd.cnn().conv2d("conv1", in, w1, conv));
    SDVariable src = sd.constant("src", source);
    SDVariable warped =
        WarpBackend.nativeOps().sparseWarp(sd, "warped", h1, src, dst, warp.spec(), false)[0];
    sd.updateVariableNameAndReference(warped, "warped");
    SDVariable out = sd.cnn().conv2d("conv2", warped, w2, conv);
    sd.loss().meanSquaredError("loss", target, out, null);
    sd.setTrainingConfig(
        TrainingConfig.builder()
            .updater(new Adam(0.02))
            .dataSetFeatureMapping("image", "dst")
            .dataSetLabelMapping("target")
            .build());

    Map<String, INDArray> ph = Map.of("image", image, "dst", dest);
    INDArray hidden = sd.output(ph, "hidden").get("hidden");
    assertThat(
            maxAbsDiff(
                sd.output(ph, "warped").get("warped"), warp.apply(hidden, source, dest).image()))
        .isLessThan(1e-3);

    INDArray want = warp.apply(image, source, dest).image().mul(0.7).add(0.1);
    org.nd4j.linalg.dataset.MultiDataSet data =
        new org.nd4j.linalg.dataset.MultiDataSet(
            new INDArray[] {image, dest}, new INDArray[] {want});
    double before = loss(sd, image, dest, want);
    INDArray w1Before = sd.getVariable("w1").getArr().dup();
    for (int i = 0; i < 60; i++) {
      sd.fit(data);
    }
    assertThat(loss(sd, image, dest, want)).isLessThan(before * 0.5);
    assertThat(maxAbsDiff(sd.getVariable("w1").getArr(), w1Before))
        .as("the first conv learned through the warp")
        .isPositive();
  }

  private static double loss(SameDiff sd, INDArray image, INDArray dest, INDArray target) {
    return sd.output(Map.of("image", image, "dst", dest, "target", target), "loss")
        .get("loss")
        .getDouble(0);
  }
}
