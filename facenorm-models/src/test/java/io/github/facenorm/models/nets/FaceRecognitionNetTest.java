package io.github.facenorm.models.nets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.facenorm.core.FaceImage;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The recognition graph's structure and gradients, with random weights (no cache needed). */
class FaceRecognitionNetTest {
  private static final TfjsWeights WEIGHTS = SyntheticWeights.recognition(7);

  @Test
  void buildsNamedOutputsOfTheRightShapeAndEmbeddingIsPooledTimesFc() {
    FaceRecognitionNet net = FaceRecognitionNet.fromWeights(WEIGHTS);
    SameDiff sd = SameDiff.create();
    SDVariable in = sd.placeHolder("image", DataType.FLOAT, -1, 150, 150, 3);
    FaceRecognitionNet.Outputs out = net.build(sd, "enc", in);
    assertThat(out.embedding().name()).isEqualTo("enc/embedding");
    assertThat(out.pooled().name()).isEqualTo("enc/pooled");
    assertThat(sd.getVariable("enc/conv32_down/conv/filters")).isNotNull();
    for (SDVariable v : sd.variables()) {
      if (v != in) {
        assertThat(v.name()).startsWith("enc/");
      }
    }
    INDArray x = Nd4j.rand(DataType.FLOAT, 2, 150, 150, 3).muli(255);
    Map<String, INDArray> r = sd.output(Map.of("image", x), "enc/embedding", "enc/pooled");
    assertThat(r.get("enc/embedding").shape()).containsExactly(2, 128);
    assertThat(r.get("enc/pooled").shape()).containsExactly(2, 256);
    INDArray expected = r.get("enc/pooled").mmul(WEIGHTS.get("fc").toArray(DataType.FLOAT));
    assertThat(r.get("enc/embedding").equalsWithEps(expected, 1e-4)).isTrue();
    // A batch equals its examples run one by one.
    INDArray one = net.embed(x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 2)).dup());
    assertThat(one.equalsWithEps(r.get("enc/embedding").getRow(1).reshape(1, 128), 1e-4)).isTrue();
  }

  @Test
  void gradientWithRespectToTheInputImageMatchesFiniteDifferencesInDouble() {
    FaceRecognitionNet net = FaceRecognitionNet.fromWeights(WEIGHTS);
    SameDiff sd = SameDiff.create();
    SDVariable in = sd.placeHolder("image", DataType.DOUBLE, 1, 150, 150, 3);
    // SameDiff M2.1 refuses to differentiate a graph without a trainable variable on the path to
    // the loss ("graph does not contain any trainable SDVariables"): a zero variable added to the
    // image is one (in facenorm, the decoder that produces the image plays this role).
    SDVariable delta = sd.var("delta", Nd4j.zeros(DataType.DOUBLE, 1, 150, 150, 3));
    FaceRecognitionNet.Outputs out = net.build(sd, "enc", in.add("image_in", delta));
    INDArray dir = Nd4j.rand(DataType.DOUBLE, 1, 128).subi(0.5);
    SDVariable loss = out.embedding().mul(sd.constant("dir", dir)).sum("loss");
    sd.setLossVariables(loss);
    Nd4j.getRandom().setSeed(3);
    INDArray x = Nd4j.rand(DataType.DOUBLE, 1, 150, 150, 3).muli(255);

    Map<String, INDArray> grads = sd.calculateGradients(Map.of("image", x), "image", "delta");
    INDArray grad = grads.get("image");
    assertThat(grads.get("delta").equalsWithEps(grad, 1e-12)).isTrue();
    assertThat(grad.shape()).containsExactly(1, 150, 150, 3);
    assertThat(grad.amaxNumber().doubleValue()).isGreaterThan(0);

    double eps = 1e-3;
    int[][] pixels = {{0, 75, 75, 1}, {0, 40, 100, 0}, {0, 149, 149, 2}};
    for (int[] p : pixels) {
      double orig = x.getDouble(p[0], p[1], p[2], p[3]);
      x.putScalar(new long[] {p[0], p[1], p[2], p[3]}, orig + eps);
      double up = sd.output(Map.of("image", x), "loss").get("loss").getDouble(0);
      x.putScalar(new long[] {p[0], p[1], p[2], p[3]}, orig - eps);
      double down = sd.output(Map.of("image", x), "loss").get("loss").getDouble(0);
      x.putScalar(new long[] {p[0], p[1], p[2], p[3]}, orig);
      double fd = (up - down) / (2 * eps);
      double an = grad.getDouble(p[0], p[1], p[2], p[3]);
      assertThat(an)
          .as("pixel %s", java.util.Arrays.toString(p))
          .isCloseTo(fd, org.assertj.core.data.Offset.offset(1e-6 + 1e-4 * Math.abs(fd)));
    }
  }

  @Test
  void asAFaceEncoderItGivesTheDescriptorAndThePooledFeaturesOfFaceImages() {
    FaceRecognitionNet net = FaceRecognitionNet.fromWeights(WEIGHTS);
    java.util.Random rnd = new java.util.Random(3);
    byte[] a = new byte[150 * 150 * 3];
    byte[] b = new byte[120 * 90 * 3];
    rnd.nextBytes(a);
    rnd.nextBytes(b);
    FaceImage fa = FaceImage.ofRgb8(150, 150, a);
    FaceImage fb = FaceImage.ofRgb8(90, 120, b); // padded to 120 x 120, resized to 150 x 150
    assertThat(net.dimension()).isEqualTo(128);
    float[] ea = net.encode(fa);
    assertThat(ea).hasSize(128);
    // The translator gives the net exactly the 8-bit values, as face-api's tensors.
    INDArray raw = Nd4j.createFromArray(a).castTo(DataType.FLOAT).reshape(1, 150, 150, 3);
    raw = raw.add(raw.lt(0).castTo(DataType.FLOAT).muli(256)); // bytes are signed
    assertThat(Nd4j.createFromArray(ea).reshape(1, 128).equalsWithEps(net.embed(raw), 1e-6))
        .isTrue();
    float[][] both = net.encode(java.util.List.of(fa, fb));
    assertThat(both[0]).containsExactly(ea, org.assertj.core.data.Offset.offset(1e-4f));
    assertThat(both[1]).containsExactly(net.encode(fb), org.assertj.core.data.Offset.offset(1e-4f));

    io.github.facenorm.core.FaceEncoder pooled = net.pooledFeatureEncoder();
    assertThat(pooled.dimension()).isEqualTo(FaceRecognitionNet.POOLED_SIZE);
    float[] pa = pooled.encode(fa);
    assertThat(pa).hasSize(256).containsExactly(net.pooledFeatures(fa));
    float[][] pb = net.pooledFeatures(java.util.List.of(fa, fb));
    assertThat(pb[0]).containsExactly(pa, org.assertj.core.data.Offset.offset(1e-4f));
    assertThat(pb[1]).hasSize(256);

    // both outputs of one call are the two single-output calls' results
    FaceRecognitionNet.Encodings all = net.encodeAll(java.util.List.of(fa, fb));
    assertThat(all.descriptors()).isDeepEqualTo(both);
    assertThat(all.pooledFeatures()).isDeepEqualTo(pb);
  }

  @Test
  void rejectsWrongInputs() {
    FaceRecognitionNet net = FaceRecognitionNet.fromWeights(WEIGHTS);
    assertThatThrownBy(() -> net.embed(Nd4j.zeros(DataType.FLOAT, 1, 112, 112, 3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[B, 150, 150, 3]")
        .hasMessageContaining("[1, 112, 112, 3]");
    assertThatThrownBy(() -> FaceRecognitionNet.preprocess(java.util.List.of()))
        .hasMessageContaining("images")
        .hasMessageContaining("at least one");
    SameDiff sd = SameDiff.create();
    TfjsWeights missing = TfjsWeights.of("partial", java.util.List.of(WEIGHTS.get("fc")));
    assertThatThrownBy(
            () ->
                FaceRecognitionNet.fromWeights(missing)
                    .build(sd, "x", sd.placeHolder("in", DataType.FLOAT, 1, 150, 150, 3)))
        .hasMessageContaining("missing weight 'conv32_down/conv/filters' in partial");
  }
}
