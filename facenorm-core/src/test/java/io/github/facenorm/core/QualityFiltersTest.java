package io.github.facenorm.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.facenorm.core.internal.ImageStats;
import org.junit.jupiter.api.Test;

class QualityFiltersTest {

  private static final Aligner ALIGNER = Aligner.builder().build();
  private static final QualityFilters FILTERS = QualityFilters.builder().build();

  /** A textured photo of a frontal face, eyes 60 px apart. */
  private static AlignedFace face(FaceImage photo, Landmarks lm) {
    return ALIGNER.align(photo, lm);
  }

  @Test
  void blurRanksSharperAboveBlurrier() {
    FaceImage photo = SyntheticFaces.textured(240, 240, 1);
    Landmarks lm = SyntheticFaces.frontal(55, 120, 100);
    double sharp = FILTERS.check(face(photo, lm)).blur().sharpness();
    double blur1 = FILTERS.check(face(SyntheticFaces.boxBlur(photo, 1), lm)).blur().sharpness();
    double blur3 = FILTERS.check(face(SyntheticFaces.boxBlur(photo, 3), lm)).blur().sharpness();
    assertThat(sharp).isGreaterThan(2 * blur1);
    assertThat(blur1).isGreaterThan(2 * blur3);
    QualityReport r =
        QualityFilters.builder()
            .minSharpness(blur1 * 1.01)
            .build()
            .check(face(SyntheticFaces.boxBlur(photo, 3), lm));
    assertThat(r.blur().passed()).isFalse();
    assertThat(r.passed()).isFalse();
    assertThat(r.blur().minSharpness()).isEqualTo(blur1 * 1.01);
  }

  @Test
  void grayscaleFailsTheMonochromeFilter() {
    FaceImage photo = SyntheticFaces.textured(240, 240, 2);
    Landmarks lm = SyntheticFaces.frontal(55, 120, 100);
    QualityReport color = FILTERS.check(face(photo, lm));
    QualityReport gray = FILTERS.check(face(SyntheticFaces.gray(photo), lm));
    assertThat(color.monochrome().colorfulness()).isGreaterThan(0.15);
    assertThat(color.monochrome().passed()).isTrue();
    assertThat(gray.monochrome().colorfulness()).isCloseTo(0, within(1e-6));
    assertThat(gray.monochrome().passed()).isFalse();
    // Gray does not change sharpness much: the filters measure different things.
    assertThat(gray.blur().sharpness()).isGreaterThan(0.1 * color.blur().sharpness());
  }

  @Test
  void poseFilterKeepsFrontalAndRejectsTurnedFaces() {
    FaceImage photo = SyntheticFaces.textured(300, 300, 3);
    QualityReport frontal =
        FILTERS.check(face(photo, SyntheticFaces.posed(0, 0, 0, 140, 150, 130)));
    QualityReport turned =
        FILTERS.check(face(photo, SyntheticFaces.posed(12, 0, 0, 140, 150, 130)));
    QualityReport nodded =
        FILTERS.check(face(photo, SyntheticFaces.posed(0, -15, 0, 140, 150, 130)));
    QualityReport rolled =
        FILTERS.check(face(photo, SyntheticFaces.posed(0, 0, 25, 140, 150, 130)));
    assertThat(frontal.pose().passed()).isTrue();
    assertThat(turned.pose().passed()).isFalse();
    assertThat(turned.pose().headPose().yaw()).isCloseTo(12, within(1e-4));
    assertThat(nodded.pose().passed()).isFalse();
    assertThat(nodded.pose().headPose().pitch()).isCloseTo(-15, within(1e-4));
    // In-plane rotation is undone by alignment, so it is measured but not held against the face.
    assertThat(rolled.pose().passed()).isTrue();
    assertThat(rolled.pose().headPose().roll()).isCloseTo(25, within(1e-6));
    assertThat(
            QualityFilters.builder()
                .maxYaw(15)
                .build()
                .check(face(photo, SyntheticFaces.posed(12, 0, 0, 140, 150, 130)))
                .pose()
                .passed())
        .isTrue();
  }

  @Test
  void expressionFilterMeasuresMouthOpeningAndWidth() {
    Landmarks neutral = SyntheticFaces.frontal(55, 120, 100);
    QualityReport.Expression n = FILTERS.expression(neutral);
    assertThat(n.passed()).isTrue();
    // Open the mouth: move the lower inner lip (65–67) down by 0.25 interocular distances.
    double[] xy = neutral.toFlatArray();
    for (int i = 65; i <= 67; i++) {
      xy[2 * i + 1] += 0.25 * 55;
    }
    QualityReport.Expression open = FILTERS.expression(Landmarks.of(xy));
    assertThat(open.mouthOpening()).isCloseTo(n.mouthOpening() + 0.25, within(0.02));
    assertThat(open.passed()).isFalse();
    // Smile: pull the corners apart.
    double[] wide = neutral.toFlatArray();
    wide[2 * 48] -= 10;
    wide[2 * 54] += 10;
    QualityReport.Expression smile = FILTERS.expression(Landmarks.of(wide));
    assertThat(smile.mouthWidth()).isCloseTo(n.mouthWidth() + 20 / 55.0, within(1e-3));
    assertThat(smile.passed()).isFalse();
    // Scale-free: the same face twice as large measures the same.
    QualityReport.Expression big = FILTERS.expression(SyntheticFaces.frontal(110, 300, 200));
    assertThat(big.mouthOpening()).isCloseTo(n.mouthOpening(), within(1e-9));
    assertThat(big.mouthWidth()).isCloseTo(n.mouthWidth(), within(1e-9));
    assertThat(big.smile()).isCloseTo(n.smile(), within(1e-9));
  }

  @Test
  void smileScoreRisesWhenTheCornersLiftAndIsFreeOfPlacement() {
    Landmarks neutral = SyntheticFaces.frontal(55, 120, 100);
    QualityReport.Expression n = FILTERS.expression(neutral);
    assertThat(Math.abs(n.smile())).isLessThan(FILTERS.maxSmile());
    // A closed-lip smile: corners up and out by 0.08 interocular distances, the width still within
    // its limit.
    double[] xy = neutral.toFlatArray();
    xy[2 * 48] -= 0.04 * 55;
    xy[2 * 54] += 0.04 * 55;
    xy[2 * 48 + 1] -= 0.08 * 55;
    xy[2 * 54 + 1] -= 0.08 * 55;
    for (int i : new int[] {49, 53, 59, 55, 60, 64}) {
      xy[2 * i + 1] -= 0.04 * 55;
    }
    QualityReport.Expression s = FILTERS.expression(Landmarks.of(xy));
    assertThat(s.mouthWidth()).isLessThan(FILTERS.maxMouthWidth());
    assertThat(s.smile()).isGreaterThan(n.smile() + 0.5);
    assertThat(s.passed()).isFalse();
    // Rolled and moved: the same score.
    QualityReport.Expression rolled =
        FILTERS.expression(SyntheticFaces.posed(0, 0, 20, 140, 150, 130));
    QualityReport.Expression upright =
        FILTERS.expression(SyntheticFaces.posed(0, 0, 0, 140, 150, 130));
    assertThat(rolled.smile()).isCloseTo(upright.smile(), within(1e-9));
    assertThatThrownBy(() -> QualityFilters.builder().maxSmile(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxSmile");
  }

  @Test
  void judgeAppliesTheThresholdsToStoredMeasurements() {
    QualityReport r =
        QualityFilters.builder()
            .maxYaw(3)
            .build()
            .judge(new HeadPose(4, 0, 0), 100, 0.2, 0.01, 0.8);
    assertThat(r.pose().passed()).isFalse();
    assertThat(r.blur().passed()).isTrue();
    assertThat(r.monochrome().passed()).isTrue();
    assertThat(r.expression().passed()).isTrue();
    assertThat(r.passed()).isFalse();
    assertThat(r.toString()).contains("failed", "yaw 4.00°");
    // Stored without a smile score: that check is skipped; with one, it counts.
    assertThat(r.expression().smile()).isNaN();
    QualityFilters f = QualityFilters.builder().build();
    assertThat(f.judge(new HeadPose(0, 0, 0), 100, 0.2, 0.01, 0.8, 0.9).expression().passed())
        .isFalse();
    assertThat(f.judge(new HeadPose(0, 0, 0), 100, 0.2, 0.01, 0.8, 0.1).expression().passed())
        .isTrue();
  }

  @Test
  void fastStatisticsMatchTheObviousOnes() {
    FaceImage img = SyntheticFaces.textured(37, 29, 9);
    float[] v = img.toArray();
    int w = 37;
    int h = 29;
    // Reference: Laplacian of every pixel whose 4 neighbours exist, inside [3, 30) × [2, 25).
    double s = 0;
    double s2 = 0;
    int n = 0;
    for (int y = 2; y < 25; y++) {
      for (int x = 3; x < 30; x++) {
        double lap =
            luma(v, w, x - 1, y)
                + luma(v, w, x + 1, y)
                + luma(v, w, x, y - 1)
                + luma(v, w, x, y + 1)
                - 4 * luma(v, w, x, y);
        s += lap;
        s2 += lap * lap;
        n++;
      }
    }
    double var = s2 / n - (s / n) * (s / n);
    assertThat(ImageStats.laplacianVariance(v, w, h, 3, 2, 30, 25))
        .isCloseTo(var, within(1e-6 * var));
    // At the border only interior pixels count.
    assertThat(ImageStats.laplacianVariance(v, w, h, 0, 0, w, h))
        .isEqualTo(ImageStats.laplacianVariance(v, w, h, 1, 1, w - 1, h - 1));
    double chroma = 0;
    for (int i = 0; i < v.length; i += 3) {
      chroma +=
          Math.max(v[i], Math.max(v[i + 1], v[i + 2]))
              - Math.min(v[i], Math.min(v[i + 1], v[i + 2]));
    }
    assertThat(ImageStats.meanChroma(v, w, h, 0, 0, w, h))
        .isCloseTo(chroma / (w * h), within(1e-9));
  }

  private static double luma(float[] v, int w, int x, int y) {
    int i = (y * w + x) * 3;
    return 255.0 * (0.299 * v[i] + 0.587 * v[i + 1] + 0.114 * v[i + 2]);
  }

  @Test
  void buildersRejectBadThresholds() {
    assertThatThrownBy(() -> QualityFilters.builder().maxYaw(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxYaw");
    assertThatThrownBy(() -> QualityFilters.builder().maxPitch(91))
        .hasMessageContaining("maxPitch");
    assertThatThrownBy(() -> QualityFilters.builder().minSharpness(Double.NaN))
        .hasMessageContaining("minSharpness");
    assertThatThrownBy(() -> QualityFilters.builder().minColorfulness(2))
        .hasMessageContaining("minColorfulness");
    assertThatThrownBy(() -> QualityFilters.builder().maxMouthWidth(-0.1))
        .hasMessageContaining("maxMouthWidth");
    assertThatThrownBy(() -> FILTERS.expression(Landmarks.of(new double[136])))
        .hasMessageContaining("eye centers coincide");
  }
}
