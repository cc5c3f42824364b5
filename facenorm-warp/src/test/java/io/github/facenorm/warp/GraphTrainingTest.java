package io.github.facenorm.warp;

import static io.github.facenorm.warp.TestArrays.maxAbsDiff;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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

/** Training through the warp with sd.fit, and sd.save → SameDiff.load round trips. */
class GraphTrainingTest {

  private static final int SIZE = 24;

  @BeforeAll
  static void kernels() {
    assertThat(FacenormKernels.install()).isTrue();
  }

  /** A smooth image [1, SIZE, SIZE, 1]: a few Gaussian blobs, so point moves change the loss. */
  static INDArray blobs(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] px = new double[SIZE * SIZE];
    for (int blob = 0; blob < 6; blob++) {
      double cx = 3 + r.nextDouble() * (SIZE - 6);
      double cy = 3 + r.nextDouble() * (SIZE - 6);
      double s2 = 2 * Math.pow(2 + 2 * r.nextDouble(), 2);
      for (int y = 0; y < SIZE; y++) {
        for (int x = 0; x < SIZE; x++) {
          px[y * SIZE + x] += Math.exp(-((x - cx) * (x - cx) + (y - cy) * (y - cy)) / s2);
        }
      }
    }
    return Nd4j.create(px, new long[] {1, SIZE, SIZE, 1}, 'c');
  }

  static final double[][][] SOURCE = {{{6, 6}, {17, 6}, {6, 17}, {17, 17}, {11.5, 11.5}}};
  static final double[][][] TRUE_DEST = {
    {{7.2, 5.1}, {16.1, 7.3}, {5.4, 16.2}, {18.3, 17.9}, {12.4, 10.8}}
  };

  /** warp(image, source, dest) with dest a variable starting at source; MSE to a placeholder. */
  static SameDiff destinationModel(SplineWarp warp) {
    SameDiff sd = SameDiff.create();
    SDVariable img = sd.placeHolder("image", DataType.DOUBLE, 1, SIZE, SIZE, 1);
    SDVariable target = sd.placeHolder("target", DataType.DOUBLE, 1, SIZE, SIZE, 1);
    SDVariable src = sd.constant("source", TestArrays.nd(SOURCE));
    SDVariable dst = sd.var("dest", TestArrays.nd(SOURCE));
    SDVariable warped = warp.apply(sd, "warped", img, src, dst);
    sd.loss().meanSquaredError("loss", target, warped, null);
    sd.setTrainingConfig(
        TrainingConfig.builder()
            .updater(new Adam(0.05))
            .dataSetFeatureMapping("image")
            .dataSetLabelMapping("target")
            .build());
    return sd;
  }

  static double loss(SameDiff sd, DataSet data) {
    return sd.output(Map.of("image", data.getFeatures(), "target", data.getLabels()), "loss")
        .get("loss")
        .getDouble(0);
  }

  @Test
  void fitLearnsTheDestPointsOfATargetWarp() {
    SplineWarp warp = SplineWarp.builder().order(1).boundaryPoints(2).build();
    INDArray image = blobs(1);
    INDArray target = warp.apply(image, TestArrays.nd(SOURCE), TestArrays.nd(TRUE_DEST)).image();
    DataSet data = new DataSet(image, target);
    SameDiff sd = destinationModel(warp);
    double before = loss(sd, data);
    for (int i = 0; i < 300; i++) {
      sd.fit(data);
    }
    double after = loss(sd, data);
    assertThat(after).isLessThan(before * 1e-3);
    assertThat(maxAbsDiff(sd.getVariable("dest").getArr(), TestArrays.nd(TRUE_DEST)))
        .as("learned dest points")
        .isLessThan(0.05);
  }

  @Test
  void saveAndLoadKeepOutputsGradientsAndTraining(@TempDir Path dir) {
    SplineWarp warp = SplineWarp.builder().order(2).boundaryPoints(1).build();
    INDArray image = blobs(2);
    INDArray target = warp.apply(image, TestArrays.nd(SOURCE), TestArrays.nd(TRUE_DEST)).image();
    DataSet data = new DataSet(image, target);
    SameDiff sd = destinationModel(warp);
    for (int i = 0; i < 20; i++) {
      sd.fit(data);
    }
    File file = dir.resolve("warp.sd").toFile();
    sd.save(file, true);
    SameDiff loaded = SameDiff.load(file, true);

    Map<String, INDArray> ph = Map.of("image", image, "target", target);
    assertThat(
            maxAbsDiff(
                loaded.output(ph, "warped").get("warped"), sd.output(ph, "warped").get("warped")))
        .isZero();
    INDArray g0 = sd.calculateGradients(ph, "dest").get("dest");
    INDArray g1 = loaded.calculateGradients(ph, "dest").get("dest");
    assertThat(maxAbsDiff(g0, g1)).isZero();
    assertThat(g0.amaxNumber().doubleValue()).isPositive();

    // training continues from the restored Adam state exactly as in the original
    for (int i = 0; i < 10; i++) {
      sd.fit(data);
      loaded.fit(data);
    }
    assertThat(maxAbsDiff(loaded.getVariable("dest").getArr(), sd.getVariable("dest").getArr()))
        .isLessThan(1e-12);
    assertThat(loss(loaded, data)).isLessThan(loss(SameDiff.load(file, false), data));
  }

  @Test
  void trainsBetweenConvolutions() {
    // conv → warp (fixed control points) → conv, regressing onto a target made the same way
    INDArray image = blobs(3).castTo(DataType.FLOAT);
    SplineWarp warp = SplineWarp.builder().order(1).boundaryPoints(2).build();
    SameDiff sd = SameDiff.create();
    SDVariable in = sd.placeHolder("image", DataType.FLOAT, -1, SIZE, SIZE, 1);
    SDVariable target = sd.placeHolder("target", DataType.FLOAT, -1, SIZE, SIZE, 1);
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
    SDVariable h1 = sd.nn().tanh(sd.cnn().conv2d("conv1", in, w1, conv));
    SDVariable src = sd.constant("src", TestArrays.nd(SOURCE).castTo(DataType.FLOAT));
    SDVariable dst = sd.constant("dst", TestArrays.nd(TRUE_DEST).castTo(DataType.FLOAT));
    SDVariable warped = warp.apply(sd, "warped", h1, src, dst);
    SDVariable out = sd.cnn().conv2d("conv2", warped, w2, conv);
    sd.loss().meanSquaredError("loss", target, out, null);
    sd.setTrainingConfig(
        TrainingConfig.builder()
            .updater(new Adam(0.02))
            .dataSetFeatureMapping("image")
            .dataSetLabelMapping("target")
            .build());
    INDArray want =
        warp.apply(
                image,
                TestArrays.nd(SOURCE).castTo(DataType.FLOAT),
                TestArrays.nd(TRUE_DEST).castTo(DataType.FLOAT))
            .image()
            .mul(0.7)
            .add(0.1);
    DataSet data = new DataSet(image, want);
    double before = loss(sd, data);
    INDArray w1Before = sd.getVariable("w1").getArr().dup();
    for (int i = 0; i < 300; i++) {
      sd.fit(data);
    }
    assertThat(loss(sd, data)).isLessThan(before * 0.05);
    assertThat(maxAbsDiff(sd.getVariable("w1").getArr(), w1Before))
        .as("the first conv learned through the warp")
        .isPositive();
  }
}
