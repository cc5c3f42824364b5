package io.github.facenorm.models.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.facenorm.core.FaceDecomposition;
import io.github.facenorm.core.FaceImage;
import io.github.facenorm.core.Landmarks;
import io.github.facenorm.core.MeanShape;
import io.github.facenorm.models.normalize.ModelConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

class TrainerTest {

  @TempDir Path dir;

  private static TrainingConfig config(int steps, long seed) {
    return new TrainingConfig(steps, 8, 1e-2, 1e-4, 5, seed, 100, 1, 1000, 1000);
  }

  private static Map<String, INDArray> params(Trainer t) {
    Map<String, INDArray> out = new TreeMap<>();
    for (String v : t.model().trainableVariables()) {
      out.put(v, t.model().graph().getArrForVarName(v).dup());
    }
    return out;
  }

  @Test
  void tinyModelOverfitsAHandfulOfSamples() throws IOException {
    TrainingData data = TinyData.data(4, 3, 100);
    Trainer t = new Trainer(data, TinyData.TINY, config(400, 3));
    double before = trainLoss(t);
    t.run(400, null, null);
    double after = trainLoss(t);
    assertThat(after).isLessThan(before / 10);
  }

  @Test
  void aPlainCnnLearnsTheRenderedTargetImageTheOthersTheTexture() throws IOException {
    TrainingData data = TinyData.data(4, 3, 100);
    int[] samples = {0, 5, 9};
    int px = 16 * 16 * 3;
    Map<String, INDArray> cnn =
        new Trainer(data, TinyData.TINY, config(10, 3)).placeholders(samples);
    Trainer plain =
        new Trainer(data, TinyData.TINY.withDecoder(ModelConfig.Decoder.PLAIN_CNN), config(300, 3));
    Map<String, INDArray> ph = plain.placeholders(samples);
    // rendered as FaceNormalizer renders: with the model's (float) mean landmarks
    MeanShape mean = MeanShape.of(plain.model().meanLandmarks(), 1);
    for (int i = 0; i < samples.length; i++) {
      float[] tex = new float[px];
      float[] lm = new float[136];
      data.copyTarget(samples[i], tex, 0, lm, 0);
      double[] xy = new double[136];
      for (int j = 0; j < 136; j++) {
        xy[j] = lm[j];
      }
      float[] image =
          FaceDecomposition.compose(FaceImage.of(16, 16, tex), Landmarks.of(xy), mean).toArray();
      float[] gotPlain = ph.get(Trainer.TARGET_TEXTURE).slice(i).dup().data().asFloat();
      float[] gotCnn = cnn.get(Trainer.TARGET_TEXTURE).slice(i).dup().data().asFloat();
      assertThat(gotPlain).containsExactly(image);
      assertThat(gotCnn).containsExactly(tex);
      assertThat(image).isNotEqualTo(tex); // the warp moves something: the test can fail
      assertThat(ph.get(Trainer.TARGET_LANDMARKS).slice(i).dup().data().asFloat())
          .containsExactly(lm);
    }
    double before = trainLoss(plain);
    plain.run(300, null, null);
    assertThat(trainLoss(plain)).isLessThan(before / 5);
  }

  private static double trainLoss(Trainer t) {
    // Loss over the whole training split, through the same graph the trainer uses.
    return t.evaluate(false)[0];
  }

  @Test
  void resumeFromACheckpointGivesTheParametersOfAnUninterruptedRun() throws IOException {
    TrainingData data = TinyData.data(5, 3, 100);
    Trainer straight = new Trainer(data, TinyData.TINY, config(30, 11));
    straight.run(30, null, null);

    Trainer first = new Trainer(data, TinyData.TINY, config(30, 11));
    first.run(13, null, null);
    first.checkpoint(dir.resolve(Trainer.CHECKPOINT));
    Trainer resumed = new Trainer(data, TinyData.TINY, config(30, 11));
    resumed.restore(dir.resolve(Trainer.CHECKPOINT));
    assertThat(resumed.step()).isEqualTo(13);
    resumed.run(30, null, null);

    Map<String, INDArray> a = params(straight);
    Map<String, INDArray> b = params(resumed);
    assertThat(b.keySet()).isEqualTo(a.keySet());
    for (String v : a.keySet()) {
      assertThat(b.get(v)).as(v).isEqualTo(a.get(v));
    }
    // And a different seed gives different parameters (the comparison can fail).
    Trainer other = new Trainer(data, TinyData.TINY, config(30, 12));
    other.run(30, null, null);
    assertThat(params(other).get(a.keySet().iterator().next()))
        .isNotEqualTo(a.get(a.keySet().iterator().next()));
  }

  @Test
  void checkpointOfOtherSettingsIsRefusedByName() throws IOException {
    TrainingData data = TinyData.data(4, 3, 100);
    Trainer t = new Trainer(data, TinyData.TINY, config(20, 1));
    t.run(2, null, null);
    Path file = dir.resolve(Trainer.CHECKPOINT);
    t.checkpoint(file);
    Trainer other = new Trainer(data, TinyData.TINY, config(21, 1));
    assertThatThrownBy(() -> other.restore(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("written by another run")
        .hasMessageContaining("steps=20");
    Files.write(file, new byte[] {1, 2, 3});
    assertThatThrownBy(() -> other.restore(file)).isInstanceOf(IOException.class);
  }

  @Test
  void validationHoldsOutWholeIdentities() {
    TrainingData data = TinyData.data(6, 3, 3);
    int[] val = data.split(true);
    int[] train = data.split(false);
    assertThat(val).hasSize(6); // persons 2 and 5
    for (int v : val) {
      for (int t : train) {
        assertThat(data.sampleTarget[v]).isNotEqualTo(data.sampleTarget[t]);
      }
    }
  }

  @Test
  void gradientsReachEveryTrainableVariableAndMatchFiniteDifferences() throws IOException {
    TrainingData data = TinyData.data(4, 3, 100);
    Trainer t = new Trainer(data, TinyData.TINY, config(10, 5));
    t.run(3, null, null); // move off the symmetric start
    int[] samples = {0, 4, 8};
    Map<String, INDArray> grads = t.gradients(samples);
    assertThat(grads.keySet()).containsExactlyInAnyOrderElementsOf(t.model().trainableVariables());
    java.util.Random r = new java.util.Random(1);
    int checked = 0;
    for (String v : t.model().trainableVariables()) {
      INDArray g = grads.get(v);
      assertThat(g.norm2Number().doubleValue()).as(v).isGreaterThan(0);
      INDArray p = t.model().graph().getArrForVarName(v);
      // the element with the largest gradient, and one at random
      long[] idx = {g.reshape(-1).argMax().getLong(0), r.nextInt((int) p.length())};
      for (long i : idx) {
        INDArray flat = p.reshape(-1);
        float orig = flat.getFloat(i);
        double h = 1e-2 * Math.max(1, Math.abs(orig));
        flat.putScalar(i, orig + h);
        double up = t.loss(samples);
        flat.putScalar(i, orig - h);
        double down = t.loss(samples);
        flat.putScalar(i, orig);
        double fd = (up - down) / (2 * h);
        double an = g.reshape(-1).getDouble(i);
        assertThat(Math.abs(fd - an))
            .as("%s[%d]: finite difference %g vs gradient %g", v, i, fd, an)
            .isLessThanOrEqualTo(0.1 * Math.max(Math.abs(fd), Math.abs(an)) + 2e-3);
        checked++;
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(2 * 10);
  }

  @Test
  void paperPresetBuildsAndTakesATrainingStep() throws IOException {
    // 224 px frames: the records' frames must have the preset's size.
    java.util.List<PhotoRecord> small = TinyData.records(3, 3, 5);
    java.util.List<PhotoRecord> big = new java.util.ArrayList<>();
    int s = io.github.facenorm.models.normalize.ModelConfig.PAPER.frameSize();
    double k = s / 16.0;
    for (PhotoRecord r : small) {
      double[] xy = r.landmarks().toFlatArray();
      for (int i = 0; i < xy.length; i++) {
        xy[i] *= k;
      }
      big.add(
          new PhotoRecord(
              r.person(),
              r.photo(),
              false,
              io.github.facenorm.core.FaceImage.of(s, s, new float[s * s * 3]),
              io.github.facenorm.core.Landmarks.of(xy),
              0,
              true,
              true,
              true,
              r.features(),
              r.descriptor()));
    }
    TrainingData data = TrainingData.build(big, new TrainingData.TargetRule(30, false, 3, 100), 2);
    Trainer t =
        new Trainer(
            data,
            io.github.facenorm.models.normalize.ModelConfig.PAPER,
            new TrainingConfig(1, 2, 1e-4, 1e-6, 0, 1, 100, 1, 10, 10));
    long params =
        t.model().trainableVariables().stream()
            .mapToLong(v -> t.model().graph().getArrForVarName(v).length())
            .sum();
    assertThat(params).isBetween(100_000_000L, 110_000_000L); // the paper-sized FC dominates
    t.run(1, null, null);
    assertThat(t.step()).isEqualTo(1);
  }

  @Test
  void learningRateWarmsUpThenDecaysToTheMinimum() {
    TrainingConfig c = new TrainingConfig(100, 8, 1e-3, 1e-5, 10, 1, 100, 1, 10, 10);
    assertThat(c.learningRate(0)).isEqualTo(1e-4, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(c.learningRate(9)).isEqualTo(1e-3, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(c.learningRate(55)).isBetween(4e-4, 6e-4);
    assertThat(c.learningRate(100)).isEqualTo(1e-5, org.assertj.core.api.Assertions.within(1e-12));
  }
}
