package io.github.facenorm.models.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Augment samples joined to photo data: their own targets, training split only, checked ids. */
class AugmentedExamplesTest {

  private static AugmentedExamples examples(int size, Set<String> ids, int count) {
    float[][] f = new float[count][256];
    float[][] d = new float[count][128];
    byte[][] t = new byte[count][size * size * 3];
    float[][] l = new float[count][136];
    for (int i = 0; i < count; i++) {
      f[i][0] = 1000 + i;
      d[i][0] = 2000 + i;
      for (int j = 0; j < t[i].length; j++) {
        t[i][j] = (byte) (j * 7 + i * 31);
      }
      for (int j = 0; j < 136; j++) {
        l[i][j] = i * 1000 + j;
      }
    }
    return AugmentedExamples.of(Path.of("aug"), size, f, d, t, l, ids);
  }

  @Test
  void samplesJoinTheTrainingSplitWithTheirOwnTargets() {
    TrainingData data = TinyData.data(6, 3, 3); // persons 2 and 5 are held out
    int s = data.size;
    Set<String> ids = Set.copyOf(data.trainingPersons());
    TrainingData all = data.withAugmented(examples(s, ids, 5));

    int photos = data.sampleTarget.length;
    assertThat(all.split(true)).containsExactly(data.split(true));
    assertThat(all.split(false)).hasSize(data.split(false).length + 5).endsWith(photos + 4);
    assertThat(all.sampleFeatures[photos + 3][0]).isEqualTo(1003f);
    assertThat(all.sampleDescriptors[photos + 3][0]).isEqualTo(2003f);
    assertThat(all.summary()).endsWith(", 5 augment samples (dataset test)");
    assertThat(all.summary()).contains(data.split(false).length + " training");

    int px = s * s * 3;
    float[] tex = new float[2 * px];
    float[] lm = new float[2 * 136];
    all.copyTarget(photos + 2, tex, px, lm, 136);
    for (int j = 0; j < px; j++) {
      assertThat(tex[px + j]).isEqualTo(((j * 7 + 2 * 31) & 0xFF) / 255f);
    }
    assertThat(lm[136]).isEqualTo(2000f);
    assertThat(lm[136 + 135]).isEqualTo(2135f);
    // a photo sample still gets its person's target
    all.copyTarget(0, tex, 0, lm, 0);
    int t0 = data.sampleTarget[0];
    assertThat(java.util.Arrays.copyOf(tex, px)).isEqualTo(data.textures[t0]);
    assertThat(java.util.Arrays.copyOf(lm, 136)).isEqualTo(data.landmarks[t0]);
  }

  @Test
  void aDatasetOfOtherFacesOrSizeIsRefused() {
    TrainingData data = TinyData.data(6, 3, 3);
    String held = data.validationPersons().get(0);
    assertThatThrownBy(() -> data.withAugmented(examples(data.size, Set.of(held), 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(held)
        .hasMessageContaining("a validation person");
    assertThatThrownBy(() -> data.withAugmented(examples(data.size, Set.of("x/nobody"), 1)))
        .hasMessageContaining("x/nobody")
        .hasMessageContaining("unknown here");
    assertThatThrownBy(
            () ->
                data.withAugmented(examples(data.size * 2, Set.copyOf(data.trainingPersons()), 1)))
        .hasMessageContaining("--size " + data.size);
    TrainingData all =
        data.withAugmented(examples(data.size, Set.copyOf(data.trainingPersons()), 1));
    assertThatThrownBy(
            () -> all.withAugmented(examples(data.size, Set.copyOf(data.trainingPersons()), 1)))
        .hasMessageContaining("already added");
  }

  @Test
  void aTinyModelFitsAugmentSamples() throws java.io.IOException {
    TrainingData data = TinyData.data(4, 3, 100);
    TrainingData all =
        data.withAugmented(examples(data.size, Set.copyOf(data.trainingPersons()), 8));
    Trainer t =
        new Trainer(
            all, TinyData.TINY, new TrainingConfig(300, 8, 1e-2, 1e-4, 5, 3, 100, 1, 1000, 1000));
    double before = t.evaluate(false)[0];
    t.run(300, null, null);
    assertThat(t.evaluate(false)[0]).isLessThan(before / 3);
  }
}
