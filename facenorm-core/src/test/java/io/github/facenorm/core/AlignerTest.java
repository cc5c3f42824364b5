package io.github.facenorm.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AlignerTest {

  @ParameterizedTest
  @CsvSource({
    "40, 0, 150, 140, 55, 224, 224, 0.4",
    "80, 25, 200, 210, 55, 224, 224, 0.4",
    "30, -40, 120, 100, 55, 224, 224, 0.4",
    "95, 3, 300, 320, 30, 64, 80, 0.35",
    "50, 170, 160, 150, 55, 224, 224, 0.5"
  })
  void eyesLandExactlyWhereAsked(
      double iod,
      double rollDeg,
      double cx,
      double cy,
      double interocular,
      int w,
      int h,
      double eyeHeight) {
    Landmarks unit = Landmarks.of(SyntheticFaces.MEAN_SHAPE);
    double s = iod / (unit.leftEyeCenter().x() - unit.rightEyeCenter().x());
    Landmarks lm = SyntheticFaces.posed(0, 0, rollDeg, s, cx, cy);
    Aligner aligner =
        Aligner.builder().interocular(interocular).outputSize(w, h).eyeHeight(eyeHeight).build();
    AlignedFace face = aligner.align(SyntheticFaces.linear(400, 400), lm);

    Landmarks.Point r = face.landmarks().rightEyeCenter();
    Landmarks.Point l = face.landmarks().leftEyeCenter();
    assertThat(r.x()).isCloseTo((w - 1) / 2.0 - interocular / 2, within(1e-9));
    assertThat(l.x()).isCloseTo((w - 1) / 2.0 + interocular / 2, within(1e-9));
    assertThat(r.y()).isCloseTo(eyeHeight * (h - 1), within(1e-9));
    assertThat(l.y()).isCloseTo(eyeHeight * (h - 1), within(1e-9));
    assertThat(face.image().width()).isEqualTo(w);
    assertThat(face.image().height()).isEqualTo(h);
    assertThat(face.transform().scale()).isCloseTo(interocular / iod, within(1e-9));
    assertThat(Math.toDegrees(face.transform().rotationRadians()))
        .isCloseTo(-rollDeg, within(1e-9));
    // Roll is undone: the aligned face reads as upright.
    assertThat(HeadPose.estimate(face.landmarks()).roll()).isCloseTo(0, within(1e-9));
  }

  @Test
  void landmarksAndTransformRoundTripToThePhoto() {
    Landmarks lm = SyntheticFaces.posed(4, -3, 17, 120, 180, 170);
    AlignedFace face = Aligner.builder().build().align(SyntheticFaces.linear(360, 360), lm);
    Landmarks back = face.photoLandmarks();
    for (int i = 0; i < Landmarks.COUNT; i++) {
      assertThat(back.x(i)).isCloseTo(lm.x(i), within(1e-9));
      assertThat(back.y(i)).isCloseTo(lm.y(i), within(1e-9));
    }
    Landmarks.Point p = face.toPhoto(10, 200);
    Landmarks.Point q = face.transform().apply(p);
    assertThat(q.x()).isCloseTo(10, within(1e-9));
    assertThat(q.y()).isCloseTo(200, within(1e-9));
  }

  @ParameterizedTest
  @CsvSource({"true, 30", "false, 30", "true, 120", "false, 120"})
  void pixelsComeFromTheInverseSimilarity(boolean antialias, double iod) {
    // Affine color ramps are reproduced exactly by bilinear sampling and by box averaging.
    int pw = 500;
    int ph = 480;
    Landmarks.Point unitR = Landmarks.of(SyntheticFaces.MEAN_SHAPE).rightEyeCenter();
    Landmarks.Point unitL = Landmarks.of(SyntheticFaces.MEAN_SHAPE).leftEyeCenter();
    double s = iod / (unitL.x() - unitR.x());
    Landmarks lm = SyntheticFaces.posed(0, 0, 12, s, 250, 230);
    Aligner aligner = Aligner.builder().antialias(antialias).build();
    AlignedFace face = aligner.align(SyntheticFaces.linear(pw, ph), lm);
    int checked = 0;
    for (int v = 0; v < 224; v += 7) {
      for (int u = 0; u < 224; u += 7) {
        Landmarks.Point p = face.toPhoto(u, v);
        // Stay one pixel (and one supersampling footprint) inside the photo.
        double margin = 2 + 1 / face.transform().scale();
        if (p.x() < margin
            || p.y() < margin
            || p.x() > pw - 1 - margin
            || p.y() > ph - 1 - margin) {
          continue;
        }
        for (int c = 0; c < 3; c++) {
          assertThat((double) face.image().get(u, v, c))
              .as("pixel (%d, %d) channel %d", u, v, c)
              .isCloseTo(SyntheticFaces.linearValue(c, p.x(), p.y(), pw, ph), within(2e-5));
        }
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(500);
  }

  @Test
  void shrinkingAveragesInsteadOfAliasing() {
    // A one-pixel checkerboard shrunk 5×: bilinear point sampling hits pixel centers and keeps
    // the full contrast, the 5 × 5 box prefilter averages it to near gray (12/25 or 13/25).
    int n = 800;
    float[] v = new float[n * n * 3];
    for (int y = 0; y < n; y++) {
      for (int x = 0; x < n; x++) {
        float c = ((x + y) & 1) == 0 ? 1f : 0f;
        int i = (y * n + x) * 3;
        v[i] = c;
        v[i + 1] = c;
        v[i + 2] = c;
      }
    }
    FaceImage board = FaceImage.of(n, n, v);
    SimilarityTransform shrink = SimilarityTransform.of(0.2, 0, 0, 0);
    FaceImage smooth = Aligner.builder().outputSize(64).build().resample(board, shrink);
    FaceImage aliased =
        Aligner.builder().outputSize(64).antialias(false).build().resample(board, shrink);
    assertThat(stdDev(smooth)).isLessThan(0.05);
    assertThat(stdDev(aliased)).isGreaterThan(0.4);
  }

  private static double stdDev(FaceImage img) {
    float[] v = img.toArray();
    double s = 0;
    double s2 = 0;
    for (float f : v) {
      s += f;
      s2 += f * f;
    }
    double m = s / v.length;
    return Math.sqrt(s2 / v.length - m * m);
  }

  @Test
  void defaultsAreThePapers() {
    Aligner a = Aligner.builder().build();
    assertThat(a.interocular()).isEqualTo(55);
    assertThat(a.width()).isEqualTo(224);
    assertThat(a.height()).isEqualTo(224);
    assertThat(a.rightEyeTarget()).isEqualTo(new Landmarks.Point(84, 0.4 * 223));
    assertThat(a.leftEyeTarget()).isEqualTo(new Landmarks.Point(139, 0.4 * 223));
    assertThat(a.toString()).contains("interocular=55.0", "224×224");
  }

  @Test
  void badInputsGetClearMessages() {
    assertThatThrownBy(() -> Aligner.builder().interocular(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("interocular");
    assertThatThrownBy(() -> Aligner.builder().outputSize(1, 224))
        .hasMessageContaining("outputSize");
    assertThatThrownBy(() -> Aligner.builder().eyeHeight(1.5)).hasMessageContaining("eyeHeight");
    double[] xy = new double[136];
    Landmarks collapsed = Landmarks.of(xy);
    assertThatThrownBy(
            () -> Aligner.builder().build().align(SyntheticFaces.linear(8, 8), collapsed))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("eye centers coincide");
    Landmarks lm = SyntheticFaces.frontal(40, 0.5, 0.5);
    assertThatThrownBy(() -> Aligner.builder().build().align(FaceImage.of(1, 1, new float[3]), lm))
        .hasMessageContaining("photo: expected at least 2 × 2");
  }
}
