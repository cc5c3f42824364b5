package io.github.facenorm.models.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.facenorm.core.FaceBox;
import io.github.facenorm.core.FaceImage;
import io.github.facenorm.core.Landmarks;
import io.github.facenorm.models.nets.FaceApiPipeline;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The subject describer over stand-in models: selection, fallback box, builder. */
class SubjectDescriberTest {

  /** Landmarks of a face filling {@code box}: jaw across the middle, eyes above, mouth below. */
  private static Landmarks spread(FaceBox box) {
    double[] xy = new double[2 * Landmarks.COUNT];
    for (int i = 0; i < Landmarks.COUNT; i++) {
      double u;
      double v;
      if (i < 36) {
        u = i / 35.0;
        v = 0.5;
      } else if (i < 48) {
        u = (i < 42 ? 0.3 : 0.7) + 0.01 * (i % 6);
        v = 0.35;
      } else {
        u = 0.4 + 0.01 * (i - 48);
        v = 0.75;
      }
      xy[2 * i] = box.left() + box.width() * u;
      xy[2 * i + 1] = box.top() + box.height() * v;
    }
    return Landmarks.of(xy);
  }

  /** A pipeline whose encoder reports the chip's size, and which records the boxes it was given. */
  private static FaceApiPipeline pipeline(List<FaceBox> detections, List<FaceBox> seen) {
    return new FaceApiPipeline(
        image -> detections,
        (image, box) -> {
          seen.add(box);
          return spread(box);
        },
        new io.github.facenorm.core.FaceEncoder() {
          @Override
          public int dimension() {
            return 2;
          }

          @Override
          public float[] encode(FaceImage face) {
            return new float[] {face.width(), face.height()};
          }
        });
  }

  @Test
  void describesTheChosenDetectionOrTheFallbackBox() {
    FaceImage img = FaceImage.ofRgb8(200, 200, new byte[200 * 200 * 3]);
    FaceBox corner = FaceBox.scored(0, 0, 60, 60, 0.9);
    FaceBox middle = FaceBox.scored(70, 70, 60, 60, 0.8);
    List<FaceBox> seen = new ArrayList<>();
    SubjectDescriber best =
        SubjectDescriber.builder(pipeline(List.of(corner, middle), seen)).build();
    assertThat(best.apply(img)).get().satisfies(d -> assertThat(d.fallback()).isFalse());
    assertThat(seen).containsExactly(corner);

    seen.clear();
    SubjectDescriber centered =
        SubjectDescriber.builder(pipeline(List.of(corner, middle), seen))
            .selection(SubjectDescriber.Selection.CLOSEST_TO_CENTER)
            .build();
    assertThat(centered.apply(img)).isPresent();
    assertThat(seen).containsExactly(middle);

    seen.clear();
    SubjectDescriber none = SubjectDescriber.builder(pipeline(List.of(), seen)).build();
    assertThat(none.apply(img)).get().satisfies(d -> assertThat(d.fallback()).isTrue());
    assertThat(seen).containsExactly(SubjectDescriber.fallbackBox(200, 200, 0.5, 0.56, 0.46));
  }

  @Test
  void fallbackBoxIsASquareAtTheRelativeCenter() {
    FaceBox b = SubjectDescriber.fallbackBox(250, 250, 0.5, 0.56, 0.46);
    assertThat(b.width()).isCloseTo(115, within(1e-9));
    assertThat(b.height()).isCloseTo(115, within(1e-9));
    assertThat(b.centerX()).isCloseTo(125, within(1e-9));
    assertThat(b.centerY()).isCloseTo(140, within(1e-9));
    FaceBox wide = SubjectDescriber.fallbackBox(400, 200, 0.5, 0.5, 0.5);
    assertThat(wide.width()).isCloseTo(100, within(1e-9));
    assertThat(wide.left()).isCloseTo(150, within(1e-9));
    assertThat(wide.score()).isEmpty();
  }

  @Test
  void builderRejectsBadValuesAndRecordsItsSettings() {
    FaceApiPipeline pipeline = pipeline(List.of(), new ArrayList<>());
    SubjectDescriber.Builder b = SubjectDescriber.builder(pipeline);
    assertThatThrownBy(() -> b.fallbackBox(0.5, 0.5, 0)).hasMessageContaining("side");
    assertThatThrownBy(() -> b.fallbackBox(1.5, 0.5, 0.4)).hasMessageContaining("centerX");
    assertThatThrownBy(() -> b.fallbackBox(0.5, -1, 0.4)).hasMessageContaining("centerY");
    assertThatThrownBy(() -> SubjectDescriber.builder(null)).hasMessageContaining("pipeline");
    String s =
        b.selection(SubjectDescriber.Selection.CLOSEST_TO_CENTER)
            .fallbackBox(0.5, 0.5, 0.4)
            .build()
            .toString();
    assertThat(s).contains("CLOSEST_TO_CENTER").contains("side 0.4");
  }
}
