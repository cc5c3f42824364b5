package io.github.facenorm.core.dlib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.facenorm.core.FaceBox;
import io.github.facenorm.core.FaceImage;
import io.github.facenorm.core.dlib.internal.Similarity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DlibShapePredictorTest {

  @TempDir Path dir;

  private DlibShapePredictor load(TinyModel m) throws IOException {
    Path f = dir.resolve("model-" + System.nanoTime() + ".dat");
    Files.write(f, m.serialize());
    return DlibShapePredictor.load(f);
  }

  /** A gray image, all black except the given pixels {@code (x, y, value)}. */
  private static FaceImage image(int w, int h, int... xyv) {
    float[] rgb = new float[w * h * 3];
    for (int k = 0; k < xyv.length; k += 3) {
      int i = (xyv[k + 1] * w + xyv[k]) * 3;
      rgb[i] = rgb[i + 1] = rgb[i + 2] = xyv[k + 2] / 255f;
    }
    return FaceImage.of(w, h, rgb);
  }

  /**
   * Two parts at (0.25, 0.5) and (0.75, 0.5) of the box (0, 0)-(10, 10); one tree with one split
   * comparing pixel 0 (at part 0: image (3, 5), since 2.5 rounds up) with pixel 1 (0.3 above part
   * 1: image (8, 2)).
   */
  private static TinyModel oneSplit(float thresh) {
    return new TinyModel(0.25f, 0.5f, 0.75f, 0.5f)
        .level(
            new int[] {0, 1},
            new float[] {0f, 0f, 0f, -0.3f},
            TinyModel.tree(
                new int[] {0},
                new int[] {1},
                new float[] {thresh},
                new float[] {0.1f, 0f, 0f, 0f},
                new float[] {0f, 0f, 0f, 0.1f}));
  }

  @Test
  void oneSplitTakesTheLeftLeafWhenTheDifferenceExceedsTheThreshold() throws IOException {
    DlibShapePredictor p = load(oneSplit(100f));
    // I(3, 5) - I(8, 2) = 200 - 50 = 150 > 100: leaf 0 moves part 0 right by 0.1 box = 1 px.
    double[] xy = p.predict(image(12, 12, 3, 5, 200, 8, 2, 50), 0, 0, 10, 10);
    assertThat(xy).containsExactly(new double[] {3.5, 5, 7.5, 5}, within(1e-6));
  }

  @Test
  void oneSplitTakesTheRightLeafOtherwiseAndReadsColumnsAsX() throws IOException {
    DlibShapePredictor p = load(oneSplit(100f));
    // The same pixels with x and y swapped: the model must not see them.
    double[] xy = p.predict(image(12, 12, 5, 3, 200, 2, 8, 50), 0, 0, 10, 10);
    assertThat(xy).containsExactly(new double[] {2.5, 5, 7.5, 6}, within(1e-6));
  }

  @Test
  void splitIsStrictAndUsesDlibsIntegerIntensity() throws IOException {
    // Pure red (255, 0, 0) has dlib intensity (255 + 0 + 0) / 3 = 85 exactly.
    float[] rgb = new float[12 * 12 * 3];
    rgb[(5 * 12 + 3) * 3] = 1f;
    FaceImage red = FaceImage.of(12, 12, rgb);
    assertThat(red.intensity8(3, 5)).isEqualTo(85);
    assertThat(load(oneSplit(84.5f)).predict(red, 0, 0, 10, 10)[0]).isCloseTo(3.5, within(1e-6));
    assertThat(load(oneSplit(85f)).predict(red, 0, 0, 10, 10)[0]).isCloseTo(2.5, within(1e-6));
  }

  @Test
  void pixelsOutsideTheImageReadAsZero() throws IOException {
    DlibShapePredictor p = load(oneSplit(-1f));
    // Box shifted so that pixel 0 lands at x = -2: feature 0; pixel 1 at (3, 2) is 50.
    // 0 - 50 > -1 is false: right leaf.
    FaceImage img = image(12, 12, 3, 2, 50);
    assertThat(p.predict(img, -5, 0, 5, 10))
        .containsExactly(new double[] {-2.5, 5, 2.5, 6}, within(1e-6));
  }

  /**
   * Level 0 (a tree without splits) rotates the shape by 90 degrees: parts (0.5, 0.25) and (0.5,
   * 0.75). Level 1's pixel 0 hangs 0.12 to the right of part 0 in the initial shape, so after the
   * rotation it must be read 0.12 below part 0: at (0.5, 0.37), image (5, 4).
   */
  private static TinyModel rotated() {
    return new TinyModel(0.25f, 0.5f, 0.75f, 0.5f)
        .level(
            new int[0],
            new float[0],
            TinyModel.tree(
                new int[0], new int[0], new float[0], new float[] {0.25f, -0.25f, -0.25f, 0.25f}))
        .level(
            new int[] {0, 1},
            new float[] {0.12f, 0f, 0f, 0f},
            TinyModel.tree(
                new int[] {0},
                new int[] {1},
                new float[] {0f},
                new float[] {0f, 0f, 0.1f, 0f},
                new float[] {0f, 0f, -0.1f, 0f}));
  }

  @Test
  void featurePixelsFollowTheSimilarityTransformOfTheCurrentShape() throws IOException {
    DlibShapePredictor p = load(rotated());
    double[] xy = p.predict(image(12, 12, 5, 4, 255), 0, 0, 10, 10);
    assertThat(xy).containsExactly(new double[] {5, 2.5, 6, 7.5}, within(1e-6));
    // A transposed transform would read (5, 1); swapped delta components (4, 3): both black.
    double[] miss = p.predict(image(12, 12, 5, 1, 255, 4, 3, 255), 0, 0, 10, 10);
    assertThat(miss).containsExactly(new double[] {5, 2.5, 4, 7.5}, within(1e-6));
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void fastPathEqualsTheReferenceImplementation(long seed) throws IOException {
    TinyModel m = TinyModel.random(seed, 7, 4, 25, 3, 40);
    DlibShapePredictor p = load(m);
    Random r = new Random(seed);
    int w = 48;
    int h = 40;
    float[] rgb = new float[w * h * 3];
    for (int i = 0; i < rgb.length; i++) {
      rgb[i] = r.nextInt(256) / 255f;
    }
    FaceImage img = FaceImage.of(w, h, rgb);
    long[][] boxes = {{5, 4, 40, 36}, {-10, -8, 30, 25}, {20, 10, 70, 60}, {0, 0, 47, 39}};
    for (long[] b : boxes) {
      double[] fast = p.predict(img, b[0], b[1], b[2], b[3]);
      double[] ref = ReferencePredictor.predict(m, img, b[0], b[1], b[2], b[3]);
      assertThat(fast).containsExactly(ref, within(1e-9));
    }
  }

  @Test
  void closedFormSimilarityEqualsUmeyamasSvd() {
    Random r = new Random(7);
    double[] a = new double[4];
    for (int trial = 0; trial < 500; trial++) {
      int n = 3 + r.nextInt(70); // the reference SVD needs a full-rank covariance
      float[] from = new float[2 * n];
      float[] to = new float[2 * n];
      double angle = r.nextDouble() * 2 * Math.PI;
      double scale = 0.5 + r.nextDouble();
      boolean mirror = trial % 3 == 0; // det(cov) < 0: Umeyama flips the smaller singular value
      for (int i = 0; i < n; i++) {
        from[2 * i] = r.nextFloat();
        from[2 * i + 1] = r.nextFloat();
        double x = from[2 * i];
        double y = mirror ? -from[2 * i + 1] : from[2 * i + 1];
        to[2 * i] =
            (float) (scale * (Math.cos(angle) * x - Math.sin(angle) * y) + 0.02 * r.nextGaussian());
        to[2 * i + 1] =
            (float) (scale * (Math.sin(angle) * x + Math.cos(angle) * y) + 0.02 * r.nextGaussian());
      }
      Similarity.linearPart(from, to, a);
      double[][] ref = ReferencePredictor.umeyamaLinear(from, to);
      assertThat(a)
          .containsExactly(
              new double[] {ref[0][0], ref[0][1], ref[1][0], ref[1][1]}, within(1e-12));
    }
  }

  @Test
  void detectNeeds68Parts() throws IOException {
    DlibShapePredictor p = load(oneSplit(1f));
    assertThat(p.numParts()).isEqualTo(2);
    assertThat(p.numCascades()).isEqualTo(1);
    assertThat(p.numTrees()).isEqualTo(1);
    assertThatThrownBy(() -> p.detect(image(4, 4), new FaceBox(0, 0, 4, 4)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("2 parts");
  }

  @Test
  void faceBoxBecomesDlibsInclusiveRectangle() throws IOException {
    DlibShapePredictor p = load(oneSplit(100f));
    FaceImage img = image(12, 12, 3, 5, 200, 8, 2, 50);
    assertThat(p.predict(img, FaceBox.ofDlibRectangle(0, 0, 10, 10)))
        .containsExactly(p.predict(img, 0, 0, 10, 10));
  }

  @Test
  void loadDefaultNamesTheFetchScriptWhenTheModelIsMissing() {
    String old = System.getProperty("facenorm.cache");
    System.setProperty("facenorm.cache", dir.resolve("empty-cache").toString());
    try {
      assertThat(DlibShapePredictor.defaultModelPath())
          .isEqualTo(dir.resolve("empty-cache/dlib/shape_predictor_68_face_landmarks.dat"));
      assertThatThrownBy(DlibShapePredictor::loadDefault)
          .isInstanceOf(IOException.class)
          .hasMessageContaining("scripts/fetch-dlib-model.sh")
          .hasMessageContaining("empty-cache");
    } finally {
      if (old == null) {
        System.clearProperty("facenorm.cache");
      } else {
        System.setProperty("facenorm.cache", old);
      }
    }
  }

  @Test
  void aCorruptCachedModelIsAnErrorNamingTheFileAndTheFetchScript() throws IOException {
    io.github.facenorm.core.models.ModelStore store =
        io.github.facenorm.core.models.ModelStore.at(dir.resolve("cache"));
    java.nio.file.Path f =
        store.directory(DlibShapePredictor.modelId()).resolve(DlibShapePredictor.MODEL_FILE);
    java.nio.file.Files.createDirectories(f.getParent());
    java.nio.file.Files.write(f, new byte[] {1, 2, 3});
    assertThatThrownBy(() -> DlibShapePredictor.load(store))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(DlibShapePredictor.MODEL_FILE)
        .hasMessageContaining("SHA-256")
        .hasMessageContaining(DlibShapePredictor.MODEL_SHA256)
        .hasMessageContaining("scripts/fetch-dlib-model.sh");
  }
}
