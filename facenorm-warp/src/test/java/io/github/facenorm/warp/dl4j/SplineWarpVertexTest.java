package io.github.facenorm.warp.dl4j;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.facenorm.warp.FacenormKernels;
import io.github.facenorm.warp.SplineWarp;
import java.util.SplittableRandom;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class SplineWarpVertexTest {

  private static final int H = 8;
  private static final int W = 9;
  private static final int N = 4;

  @BeforeAll
  static void kernels() {
    assertThat(FacenormKernels.install()).isTrue();
  }

  /**
   * conv (trainable, linear, so the target below is exactly learnable) → warp vertex (landmark
   * inputs) → per-pixel MSE.
   */
  static ComputationGraph network(DataType type, boolean train) {
    return network(type, train, WorkspaceMode.ENABLED);
  }

  static ComputationGraph network(DataType type, boolean train, WorkspaceMode workspaces) {
    ComputationGraphConfiguration conf =
        new NeuralNetConfiguration.Builder()
            .dataType(type)
            .seed(12)
            .updater(train ? new Adam(0.03) : new NoOp())
            .weightInit(WeightInit.XAVIER)
            .trainingWorkspaceMode(workspaces)
            .inferenceWorkspaceMode(workspaces)
            .graphBuilder()
            .addInputs("image", "source", "dest")
            .setInputTypes(
                InputType.convolutional(H, W, 1),
                InputType.feedForward(2 * N),
                InputType.feedForward(2 * N))
            .addLayer(
                "conv",
                new ConvolutionLayer.Builder(3, 3)
                    .nIn(1)
                    .nOut(2)
                    .convolutionMode(ConvolutionMode.Same)
                    .activation(Activation.IDENTITY)
                    .build(),
                "image")
            .addVertex("warped", new SplineWarpVertex(N, 1, 2), "conv", "source", "dest")
            .addLayer(
                "loss",
                new CnnLossLayer.Builder(LossFunctions.LossFunction.MSE)
                    .activation(Activation.IDENTITY)
                    .build(),
                "warped")
            .setOutputs("loss")
            .build();
    ComputationGraph net = new ComputationGraph(conf);
    net.init();
    return net;
  }

  static MultiDataSet data(DataType type, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int batch = 2;
    double[] img = new double[batch * H * W];
    for (int i = 0; i < img.length; i++) {
      img[i] = r.nextDouble();
    }
    double[] src = new double[batch * 2 * N];
    double[] dst = new double[batch * 2 * N];
    for (int i = 0; i < batch * N; i++) {
      src[2 * i] = 1.3 + r.nextDouble() * (W - 3.6);
      src[2 * i + 1] = 1.3 + r.nextDouble() * (H - 3.6);
      dst[2 * i] = src[2 * i] + r.nextDouble() * 2 - 1;
      dst[2 * i + 1] = src[2 * i + 1] + r.nextDouble() * 2 - 1;
    }
    INDArray image = Nd4j.create(img, new long[] {batch, 1, H, W}, 'c').castTo(type);
    INDArray source = Nd4j.create(src, new long[] {batch, 2 * N}, 'c').castTo(type);
    INDArray dest = Nd4j.create(dst, new long[] {batch, 2 * N}, 'c').castTo(type);
    // target: the image warped by the same points, in both channels, scaled
    INDArray nhwc = image.permute(0, 2, 3, 1).dup('c');
    INDArray warped =
        SplineWarp.builder()
            .order(1)
            .boundaryPoints(2)
            .build()
            .apply(nhwc, source.reshape(batch, N, 2), dest.reshape(batch, N, 2))
            .image()
            .permute(0, 3, 1, 2);
    INDArray target = Nd4j.concat(1, warped.mul(0.8), warped.mul(-0.5)).castTo(type);
    return new MultiDataSet(new INDArray[] {image, source, dest}, new INDArray[] {target.dup('c')});
  }

  @Test
  void gradientsPassDl4jsGradientCheck() {
    DataType before = Nd4j.dataType();
    DataType beforeFloat = Nd4j.defaultFloatingPointType();
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE); // GradientCheckUtil insists
    try {
      ComputationGraph net = network(DataType.DOUBLE, false);
      MultiDataSet d = data(DataType.DOUBLE, 1);
      boolean ok =
          GradientCheckUtil.checkGradients(
              new GradientCheckUtil.GraphConfig()
                  .net(net)
                  .inputs(d.getFeatures())
                  .labels(d.getLabels())
                  .epsilon(1e-6)
                  .maxRelError(1e-3)
                  .minAbsoluteError(1e-8));
      assertThat(ok).as("DL4J gradient check through the warp vertex").isTrue();
    } finally {
      Nd4j.setDefaultDataTypes(before, beforeFloat);
    }
  }

  @ParameterizedTest(name = "workspaces {0}")
  @EnumSource(
      value = WorkspaceMode.class,
      names = {"ENABLED", "NONE"})
  void netFitTrainsThroughTheVertex(WorkspaceMode workspaces) {
    ComputationGraph net = network(DataType.FLOAT, true, workspaces);
    MultiDataSet d = data(DataType.FLOAT, 2);
    double before = net.score(d);
    for (int i = 0; i < 300; i++) {
      net.fit(d);
    }
    // the conv before the warp is linear, so the target is exactly reachable
    assertThat(net.score(d)).isLessThan(before * 0.01);
  }

  @Test
  void survivesJsonRoundTrip() {
    ComputationGraph net = network(DataType.FLOAT, true);
    MultiDataSet d = data(DataType.FLOAT, 2);
    ComputationGraphConfiguration restored =
        ComputationGraphConfiguration.fromJson(net.getConfiguration().toJson());
    assertThat(restored.getVertices().get("warped")).isEqualTo(new SplineWarpVertex(N, 1, 2));
    ComputationGraph copy = new ComputationGraph(restored);
    copy.init(net.params().dup(), false);
    assertThat(copy.output(d.getFeatures())[0].equalsWithEps(net.output(d.getFeatures())[0], 1e-6))
        .isTrue();
  }
}
