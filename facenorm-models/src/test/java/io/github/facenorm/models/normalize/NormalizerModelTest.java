package io.github.facenorm.models.normalize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.facenorm.core.Landmarks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class NormalizerModelTest {

  static final ModelConfig TINY =
      new ModelConfig("tiny", 16, 6, 0.4, 8, 16, 4, new int[] {8, 8, 4});

  @TempDir Path dir;

  static NormalizerModel tiny(long seed) {
    return tiny(seed, TINY);
  }

  static NormalizerModel tiny(long seed, ModelConfig config) {
    Random r = new Random(seed);
    double[] xy = new double[136];
    for (int i = 0; i < xy.length; i++) {
      xy[i] = 2 + 12 * r.nextDouble();
    }
    float[] mean = new float[256];
    float[] std = new float[256];
    for (int i = 0; i < 256; i++) {
      mean[i] = (float) r.nextGaussian();
      std[i] = 0.5f + r.nextFloat();
    }
    return NormalizerModel.create(config, Landmarks.of(xy), mean, std, seed);
  }

  @Test
  void decodesLandmarksAndTextureOfTheConfiguredShapes() {
    NormalizerModel m = tiny(1);
    NormalizerModel.Decoded d = m.decode(Nd4j.rand(DataType.FLOAT, 3, 256));
    assertThat(d.landmarks().shape()).containsExactly(3, 68, 2);
    assertThat(d.texture().shape()).containsExactly(3, 16, 16, 3);
    assertThat(d.texture().minNumber().doubleValue()).isGreaterThan(0);
    assertThat(d.texture().maxNumber().doubleValue()).isLessThan(1);
    assertThatThrownBy(() -> m.decode(Nd4j.rand(DataType.FLOAT, 3, 255)))
        .hasMessageContaining("features: expected [B, 256]");
  }

  @Test
  void savedAndLoadedModelGivesIdenticalOutputs() throws IOException {
    NormalizerModel m = tiny(2);
    m.putInfo("command", "test");
    m.save(dir);
    NormalizerModel back = NormalizerModel.load(dir);
    INDArray f = Nd4j.rand(DataType.FLOAT, 4, 256);
    assertThat(back.decode(f).texture()).isEqualTo(m.decode(f).texture());
    assertThat(back.decode(f).landmarks()).isEqualTo(m.decode(f).landmarks());
    assertThat(back.config()).isEqualTo(TINY);
    assertThat(back.info()).containsEntry("command", "test");
    assertThat(back.meanLandmarks()).isEqualTo(m.meanLandmarks());
    // a model with other seeds really differs (the comparison above can fail)
    assertThat(tiny(3).decode(f).texture()).isNotEqualTo(m.decode(f).texture());
  }

  @Test
  void everyDecoderSavesItsKindAndLoadsWithTheSameOutputs() throws IOException {
    INDArray f = Nd4j.rand(DataType.FLOAT, 2, 256);
    java.util.Set<java.util.List<String>> variables = new java.util.HashSet<>();
    for (ModelConfig.Decoder d : ModelConfig.Decoder.values()) {
      ModelConfig c = TINY.withDecoder(d);
      NormalizerModel m = tiny(5, c);
      Path where = dir.resolve(d.id());
      m.save(where);
      String props = Files.readString(where.resolve(NormalizerModel.CONFIG_FILE));
      // the paper's decoder is the default, so models saved before decoders had names still load
      assertThat(props.contains("decoder=")).isEqualTo(d != ModelConfig.Decoder.CNN);
      NormalizerModel back = NormalizerModel.load(where);
      assertThat(back.config()).isEqualTo(c);
      assertThat(back.config().decoder()).isEqualTo(d);
      assertThat(back.decode(f).texture()).isEqualTo(m.decode(f).texture());
      assertThat(m.decode(f).texture().shape()).containsExactly(2, 16, 16, 3);
      variables.add(m.trainableVariables());
    }
    assertThat(variables).hasSize(3); // three different networks
    assertThat(ModelConfig.Decoder.of("fc")).isEqualTo(ModelConfig.Decoder.FULLY_CONNECTED);
    assertThat(ModelConfig.Decoder.PLAIN_CNN.warps()).isFalse();
    assertThat(ModelConfig.Decoder.CNN.warps()).isTrue();
    assertThatThrownBy(() -> ModelConfig.Decoder.of("mlp"))
        .hasMessageContaining("expected cnn, fc or plain, got 'mlp'");
    assertThat(TINY.withDecoder(ModelConfig.Decoder.PLAIN_CNN)).isNotEqualTo(TINY);
    assertThat(TINY.toString()).doesNotContain("decoder");
    assertThat(TINY.withDecoder(ModelConfig.Decoder.PLAIN_CNN).toString())
        .endsWith(", decoder plain");
  }

  @Test
  void aFlippedByteInTheWeightsIsRejectedByName() throws IOException {
    tiny(4).save(dir);
    Path w = dir.resolve(NormalizerModel.WEIGHTS_FILE);
    byte[] b = Files.readAllBytes(w);
    b[b.length / 2] ^= 0x10;
    Files.write(w, b);
    assertThatThrownBy(() -> NormalizerModel.load(dir))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("weights.bin")
        .hasMessageContaining("sha256 mismatch");
  }

  @Test
  void aFolderWithoutAModelSaysSo() {
    assertThatThrownBy(() -> NormalizerModel.load(dir))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not a facenorm model folder");
  }

  @Test
  void presetsHaveTheDocumentedSizes() {
    assertThat(ModelConfig.SMALL.frameSize()).isEqualTo(128);
    assertThat(ModelConfig.PAPER.frameSize()).isEqualTo(224);
    assertThat(ModelConfig.PAPER.grid()).isEqualTo(56);
    assertThat(ModelConfig.preset("small")).isEqualTo(ModelConfig.SMALL);
    assertThatThrownBy(() -> ModelConfig.preset("huge")).hasMessageContaining("small or paper");
    assertThatThrownBy(() -> new ModelConfig("x", 100, 10, 0.4, 8, 8, 4, new int[] {8, 8}))
        .hasMessageContaining("grid · 2^(channels − 1) = frameSize");
  }

  @Test
  void smallPresetBuildsAndDecodes() {
    double[] xy = new double[136];
    Arrays.fill(xy, 64);
    for (int i = 0; i < 68; i++) {
      xy[2 * i] = 30 + i;
      xy[2 * i + 1] = 30 + (i * 7) % 60;
    }
    float[] ones = new float[256];
    Arrays.fill(ones, 1f);
    NormalizerModel m =
        NormalizerModel.create(ModelConfig.SMALL, Landmarks.of(xy), new float[256], ones, 1);
    NormalizerModel.Decoded d = m.decode(Nd4j.rand(DataType.FLOAT, 2, 256));
    assertThat(d.texture().shape()).containsExactly(2, 128, 128, 3);
    long params =
        m.trainableVariables().stream()
            .mapToLong(v -> m.graph().getArrForVarName(v).length())
            .sum();
    assertThat(params).isBetween(5_000_000L, 6_500_000L);
  }
}
