package io.github.facenorm.models.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.facenorm.augment.FaceSet;
import io.github.facenorm.core.FaceDecomposition;
import io.github.facenorm.core.MeanShape;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingDataTest {

  private static final TrainingData.TargetRule RULE = new TrainingData.TargetRule(12, false, 3, 4);

  @Test
  void faceSetHoldsTheTrainingIdentitiesOnRealPhotoBackgrounds() {
    List<PhotoRecord> records = TinyData.records(8, 3, 5);
    TrainingData td = TrainingData.build(records, RULE, 2);
    FaceSet set = td.faceSet(records, 4, 2);

    List<String> ids = new ArrayList<>();
    for (int i = 0; i < set.size(); i++) {
      ids.add(set.face(i).id());
      assertThat(set.face(i).texture().width()).isEqualTo(TinyData.TINY.frameSize());
    }
    assertThat(ids).containsExactlyElementsOf(td.trainingPersons());
    assertThat(ids).doesNotContainAnyElementsOf(td.validationPersons());
    assertThat(td.validationPersons()).hasSize(2);

    // Backgrounds: training photos only, evenly spaced, decomposed onto the targets' mean shape.
    assertThat(set.backgroundCount()).isEqualTo(4);
    List<PhotoRecord> training =
        records.stream().filter(r -> td.trainingPersons().contains(r.person())).toList();
    PhotoRecord second = training.get(training.size() / 4);
    float[] want =
        FaceDecomposition.decompose(
                second.frame(),
                second.landmarks(),
                MeanShape.of(td.meanLandmarks, 1),
                FaceDecomposition.PAPER_WARP)
            .texture()
            .toArray();
    assertThat(set.background(1).toArray()).containsExactly(want);
    assertThat(set.meanShape().landmarks().toFlatArray())
        .containsExactly(td.meanLandmarks.toFlatArray());
  }

  @Test
  void faceSetNeedsABackground() {
    List<PhotoRecord> records = TinyData.records(8, 3, 5);
    TrainingData td = TrainingData.build(records, RULE, 1);
    assertThatThrownBy(() -> td.faceSet(records, 0, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxBackgrounds");
    assertThatThrownBy(() -> td.faceSet(List.of(), 3, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no photo of a training person");
  }
}
