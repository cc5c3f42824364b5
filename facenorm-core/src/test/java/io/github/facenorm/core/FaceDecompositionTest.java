package io.github.facenorm.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class FaceDecompositionTest {

  /** A smooth aligned "face": low-frequency color waves, 224 × 224. */
  private static FaceImage smoothImage() {
    int n = 224;
    float[] v = new float[n * n * 3];
    for (int y = 0; y < n; y++) {
      for (int x = 0; x < n; x++) {
        int i = (y * n + x) * 3;
        v[i] = (float) (0.5 + 0.3 * Math.sin(x / 9.0) * Math.cos(y / 13.0));
        v[i + 1] = (float) (0.5 + 0.25 * Math.cos((x + y) / 11.0));
        v[i + 2] = (float) (0.4 + 0.2 * Math.sin(y / 7.0));
      }
    }
    return FaceImage.of(n, n, v);
  }

  /** The aligned frontal template (eyes at the default targets). */
  private static Landmarks meanLandmarks() {
    Aligner a = Aligner.builder().build();
    Landmarks lm = SyntheticFaces.frontal(55, 111.5, 0.4 * 223);
    return a.transformFor(lm).apply(lm);
  }

  /** The template deformed smoothly: mouth lower, jaw wider, nose to the side. */
  private static Landmarks deformed(Landmarks mean) {
    double[] xy = mean.toFlatArray();
    for (int i = 0; i < 17; i++) {
      xy[2 * i] += (mean.x(i) - 111.5) * 0.06;
    }
    for (int i = 48; i < 68; i++) {
      xy[2 * i + 1] += 4;
    }
    for (int i = 27; i < 36; i++) {
      xy[2 * i] += 2.5;
    }
    return Landmarks.of(xy);
  }

  @Test
  void meanShapeAveragesPointByPoint() {
    Landmarks a = SyntheticFaces.frontal(40, 100, 100);
    Landmarks b = SyntheticFaces.frontal(60, 120, 90);
    MeanShape m = MeanShape.of(List.of(a, b));
    assertThat(m.count()).isEqualTo(2);
    for (int i = 0; i < Landmarks.COUNT; i++) {
      assertThat(m.landmarks().x(i)).isCloseTo((a.x(i) + b.x(i)) / 2, within(1e-12));
      assertThat(m.landmarks().y(i)).isCloseTo((a.y(i) + b.y(i)) / 2, within(1e-12));
    }
    MeanShape.Accumulator acc = MeanShape.accumulator().add(a).add(b);
    assertThat(acc.mean().landmarks()).isEqualTo(m.landmarks());
    assertThatThrownBy(() -> MeanShape.accumulator().mean())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no landmark sets");
    assertThatThrownBy(() -> MeanShape.of(List.of())).hasMessageContaining("no landmark sets");
    assertThatThrownBy(() -> MeanShape.of(a, 0)).hasMessageContaining("count");
  }

  @Test
  void aFaceAlreadyAtTheMeanShapeIsItsOwnTexture() {
    FaceImage img = smoothImage();
    Landmarks mean = meanLandmarks();
    FaceDecomposition d =
        FaceDecomposition.decompose(
            new AlignedFace(img, mean, SimilarityTransform.IDENTITY), MeanShape.of(mean, 1));
    float[] a = img.toArray();
    float[] b = d.texture().toArray();
    for (int i = 0; i < a.length; i++) {
      assertThat(b[i]).isCloseTo(a[i], within(1e-4f));
    }
    assertThat(d.landmarks()).isEqualTo(mean);
  }

  @Test
  void farAwayLandmarksAndHugeBoundaryCountsAreRefusedBeforeTheSolve() {
    FaceImage img = smoothImage();
    Landmarks mean = meanLandmarks();
    MeanShape meanShape = MeanShape.of(mean, 1);
    double[] xy = mean.toFlatArray();
    xy[10] = 1e19;
    Landmarks far = Landmarks.of(xy);
    assertThatThrownBy(() -> FaceDecomposition.compose(img, far, meanShape))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("landmarks (to): point 5 (1.0E19")
        .hasMessageContaining("far outside");
    io.github.facenorm.warp.SplineWarp huge =
        io.github.facenorm.warp.SplineWarp.builder().order(1).boundaryPoints(100_000).build();
    assertThatThrownBy(() -> FaceDecomposition.compose(img, mean, meanShape, huge))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("4 × 100000 boundary points")
        .hasMessageContaining("-Dfacenorm.maxPoints=N");
  }

  @Test
  void textureWarpedBackToItsLandmarksReproducesTheFace() {
    FaceImage img = smoothImage();
    Landmarks mean = meanLandmarks();
    Landmarks lm = deformed(mean);
    MeanShape meanShape = MeanShape.of(mean, 1);
    FaceDecomposition d =
        FaceDecomposition.decompose(
            new AlignedFace(img, lm, SimilarityTransform.IDENTITY), meanShape);

    // The texture really moved: it differs from the photo inside the face.
    assertThat(meanAbsDiff(d.texture(), img, lm)).isGreaterThan(0.01);
    // The texture has the face's colors at the mean landmarks (the spline interpolates there).
    Landmarks.Point tip = mean.point(57);
    Landmarks.Point src = lm.point(57);
    assertThat(bilinear(d.texture(), tip.x(), tip.y(), 0))
        .isCloseTo(bilinear(img, src.x(), src.y(), 0), within(2e-3));

    FaceImage back = d.compose(meanShape);
    double mae = meanAbsDiff(back, img, lm);
    double max = maxAbsDiff(back, img, lm);
    assertThat(mae).isLessThan(2e-3);
    assertThat(max).isLessThan(0.02);
    assertThat(FaceDecomposition.compose(d.texture(), lm, meanShape)).isEqualTo(back);
  }

  @Test
  void badInputsAreNamed() {
    Landmarks mean = meanLandmarks();
    assertThatThrownBy(
            () ->
                FaceDecomposition.decompose(
                    FaceImage.of(1, 1, new float[3]),
                    mean,
                    MeanShape.of(mean, 1),
                    FaceDecomposition.PAPER_WARP))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("image: expected at least 2 × 2");
    // Two landmarks on top of each other (a closed mouth) would make the spline singular; they
    // are merged into one control point instead.
    double[] xy = mean.toFlatArray();
    xy[2] = xy[0];
    xy[3] = xy[1];
    Landmarks merged = Landmarks.of(xy);
    FaceDecomposition d =
        FaceDecomposition.decompose(
            new AlignedFace(smoothImage(), mean, SimilarityTransform.IDENTITY),
            MeanShape.of(merged, 1));
    assertThat(d.texture().width()).isEqualTo(224);
    assertThatThrownBy(() -> FaceDecomposition.compose(smoothImage(), mean, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("meanShape");
  }

  /** Over the inner face: the bounding box of the brows, eyes, nose and mouth (points 17–67). */
  private static double meanAbsDiff(FaceImage a, FaceImage b, Landmarks lm) {
    int[] box = innerBox(lm);
    double s = 0;
    int n = 0;
    for (int y = box[1]; y < box[3]; y++) {
      for (int x = box[0]; x < box[2]; x++) {
        for (int c = 0; c < 3; c++) {
          s += Math.abs(a.get(x, y, c) - b.get(x, y, c));
          n++;
        }
      }
    }
    return s / n;
  }

  private static double maxAbsDiff(FaceImage a, FaceImage b, Landmarks lm) {
    int[] box = innerBox(lm);
    double m = 0;
    for (int y = box[1]; y < box[3]; y++) {
      for (int x = box[0]; x < box[2]; x++) {
        for (int c = 0; c < 3; c++) {
          m = Math.max(m, Math.abs(a.get(x, y, c) - b.get(x, y, c)));
        }
      }
    }
    return m;
  }

  private static int[] innerBox(Landmarks lm) {
    double x0 = 1e9;
    double y0 = 1e9;
    double x1 = -1e9;
    double y1 = -1e9;
    for (int i = 17; i < 68; i++) {
      x0 = Math.min(x0, lm.x(i));
      y0 = Math.min(y0, lm.y(i));
      x1 = Math.max(x1, lm.x(i));
      y1 = Math.max(y1, lm.y(i));
    }
    return new int[] {(int) Math.ceil(x0), (int) Math.ceil(y0), (int) x1, (int) y1};
  }

  private static double bilinear(FaceImage img, double x, double y, int c) {
    int x0 = (int) Math.floor(x);
    int y0 = (int) Math.floor(y);
    double fx = x - x0;
    double fy = y - y0;
    return (1 - fx) * (1 - fy) * img.get(x0, y0, c)
        + fx * (1 - fy) * img.get(x0 + 1, y0, c)
        + (1 - fx) * fy * img.get(x0, y0 + 1, c)
        + fx * fy * img.get(x0 + 1, y0 + 1, c);
  }
}
