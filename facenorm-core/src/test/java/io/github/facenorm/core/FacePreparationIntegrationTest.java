package io.github.facenorm.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.facenorm.core.dlib.DlibShapePredictor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Alignment, filters, decomposition and photo adjustment on a real FRL London photo (CC BY 4.0)
 * with dlib's landmarks. Needs the cached model ({@code scripts/fetch-dlib-model.sh}) and {@code
 * data/frl-london} under {@code -Dfacenorm.shared} (default {@code ../shared} beside the
 * repository); skipped without them.
 */
@Tag("integration")
class FacePreparationIntegrationTest {

  private static FacePreparer preparer;
  private static FaceImage neutral;
  private static FaceImage smiling;

  private static Path sharedDir() {
    String p = System.getProperty("facenorm.shared");
    if (p != null && !p.isBlank()) {
      return Paths.get(p);
    }
    Path module = Paths.get(System.getProperty("basedir", "")).toAbsolutePath();
    return module.getParent().resolve("../shared").normalize();
  }

  @BeforeAll
  static void load() throws IOException {
    Path model = DlibShapePredictor.defaultModelPath();
    Assumptions.assumeTrue(
        Files.isRegularFile(model),
        "dlib model not cached at " + model + ": run scripts/fetch-dlib-model.sh; skipping");
    Path dir = sharedDir().resolve("data/frl-london/001");
    Assumptions.assumeTrue(
        Files.isRegularFile(dir.resolve("001_03.jpg")),
        "FRL London photos not found under " + dir + " (set -Dfacenorm.shared); skipping");
    preparer = FacePreparer.builder(DlibShapePredictor.loadDefault()).build();
    neutral = FaceImage.read(dir.resolve("001_03.jpg"));
    smiling = FaceImage.read(dir.resolve("001_08.jpg"));
  }

  @Test
  void alignsARealFaceWithTheEyesOnTarget() {
    FacePreparer.Prepared p = preparer.prepare(neutral);
    Aligner a = preparer.aligner();
    assertThat(p.aligned().landmarks().rightEyeCenter().x())
        .isCloseTo(a.rightEyeTarget().x(), within(1e-9));
    assertThat(p.aligned().landmarks().leftEyeCenter().y())
        .isCloseTo(a.leftEyeTarget().y(), within(1e-9));
    // 675 × 675 studio photo, eyes ~95 px apart: shrunk by about 0.58.
    assertThat(p.aligned().transform().scale()).isBetween(0.45, 0.75);
    QualityReport q = p.quality();
    assertThat(q.blur().passed()).isTrue();
    assertThat(q.monochrome().passed()).isTrue();
    assertThat(q.expression().passed()).isTrue();
    assertThat(Math.abs(q.pose().headPose().yaw())).isLessThan(10);
    assertThat(Math.abs(q.pose().headPose().pitch())).isLessThan(10);
  }

  @Test
  void filtersRankBlurredGrayAndRotatedVersions() {
    QualityReport orig = preparer.prepare(neutral).quality();
    QualityReport blur2 = preparer.prepare(SyntheticFaces.boxBlur(neutral, 2)).quality();
    QualityReport blur5 = preparer.prepare(SyntheticFaces.boxBlur(neutral, 5)).quality();
    assertThat(orig.blur().sharpness()).isGreaterThan(2 * blur2.blur().sharpness());
    assertThat(blur2.blur().sharpness()).isGreaterThan(2 * blur5.blur().sharpness());

    QualityReport gray = preparer.prepare(SyntheticFaces.gray(neutral)).quality();
    assertThat(gray.monochrome().colorfulness()).isLessThan(1e-6);
    assertThat(gray.monochrome().passed()).isFalse();
    assertThat(orig.monochrome().colorfulness()).isGreaterThan(0.1);

    // Rotate the photo 20° about its center: roll follows, yaw and pitch barely move, and the
    // alignment still lands the eyes on target.
    int n = neutral.width();
    double c = (n - 1) / 2.0;
    double rad = Math.toRadians(20);
    SimilarityTransform rot =
        SimilarityTransform.of(1, 0, -c, -c).andThen(SimilarityTransform.of(1, rad, c, c));
    FaceImage rotated =
        Aligner.builder().outputSize(n, neutral.height()).build().resample(neutral, rot);
    FacePreparer.Prepared r = preparer.prepare(rotated);
    HeadPose p0 = orig.pose().headPose();
    HeadPose p1 = r.quality().pose().headPose();
    assertThat(p1.roll() - p0.roll()).isCloseTo(20, within(1.0));
    assertThat(p1.yaw()).isCloseTo(p0.yaw(), within(2.0));
    assertThat(p1.pitch()).isCloseTo(p0.pitch(), within(2.0));
    assertThat(r.aligned().landmarks().leftEyeCenter().x())
        .isCloseTo(preparer.aligner().leftEyeTarget().x(), within(1e-9));
    // Mapped back through both transforms, the landmarks land on the original photo's.
    Landmarks back = rot.inverse().apply(r.photoLandmarks());
    Landmarks ref = preparer.prepare(neutral).photoLandmarks();
    double err = 0;
    for (int i = 0; i < Landmarks.COUNT; i++) {
      err += Math.hypot(back.x(i) - ref.x(i), back.y(i) - ref.y(i));
    }
    assertThat(err / Landmarks.COUNT).isLessThan(3.0);

    // The smiling photo of the same person has a wider mouth.
    QualityReport smile = preparer.prepare(smiling).quality();
    assertThat(smile.expression().mouthWidth()).isGreaterThan(orig.expression().mouthWidth());
  }

  @Test
  void decompositionRoundTripsARealFace() {
    AlignedFace a = preparer.prepare(neutral).aligned();
    AlignedFace b = preparer.prepare(smiling).aligned();
    MeanShape mean = MeanShape.of(List.of(a.landmarks(), b.landmarks()));
    FaceDecomposition d = FaceDecomposition.decompose(a, mean);
    FaceImage back = d.compose(mean);
    double s = 0;
    int count = 0;
    Landmarks lm = a.landmarks();
    // Inside the face: the box spanned by the eyes, nose and mouth.
    int x0 = (int) Math.ceil(lm.x(36));
    int x1 = (int) Math.floor(lm.x(45));
    int y0 = (int) Math.ceil(Math.min(lm.y(37), lm.y(44)));
    int y1 = (int) Math.floor(lm.y(57));
    for (int y = y0; y <= y1; y++) {
      for (int x = x0; x <= x1; x++) {
        for (int ch = 0; ch < 3; ch++) {
          s += Math.abs(back.get(x, y, ch) - a.image().get(x, y, ch));
          count++;
        }
      }
    }
    assertThat(count).isGreaterThan(3000);
    assertThat(s / count).isLessThan(0.01);
  }

  @Test
  void photoAdjustmentUndoesAnExposureChangeOnARealFace() {
    FaceImage n = preparer.prepare(neutral).aligned().image();
    float[] v = n.toArray();
    float[] gain = {0.7f, 0.85f, 1.1f};
    for (int i = 0; i < v.length; i++) {
      v[i] = Math.min(1f, v[i] * gain[i % 3]);
    }
    FaceImage dark = FaceImage.of(n.width(), n.height(), v);
    FaceImage fixed = PhotoAdjustment.fit(dark, n).apply(dark);
    assertThat(meanAbsDiff(fixed, n)).isLessThan(meanAbsDiff(dark, n) / 3);
  }

  private static double meanAbsDiff(FaceImage a, FaceImage b) {
    float[] x = a.toArray();
    float[] y = b.toArray();
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      s += Math.abs(x[i] - y[i]);
    }
    return s / x.length;
  }
}
