package io.github.facenorm.core.dlib;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.facenorm.core.FaceBox;
import io.github.facenorm.core.FaceImage;
import io.github.facenorm.core.Landmarks;
import io.github.facenorm.core.dlib.internal.ShapePredictorModel;
import io.github.facenorm.core.dlib.internal.ShapePredictorReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Java's landmarks against dlib's own, on real photos: {@code
 * src/test/resources/dlib/dlib_landmarks.csv}, made by {@code src/test/cpp/make_goldens.sh}. Needs
 * the cached model ({@code scripts/fetch-dlib-model.sh}) and the photos under {@code
 * -Dfacenorm.shared} (default {@code ../shared} beside the repository); skipped without them.
 */
@Tag("integration")
class DlibGoldenIntegrationTest {

  private static final Logger LOG = LoggerFactory.getLogger(DlibGoldenIntegrationTest.class);
  private static final double TOLERANCE_PX = 0.05;

  private record Golden(
      String image, String md5, String box, long l, long t, long r, long b, double[] xy) {}

  private static List<Golden> goldens() throws IOException {
    List<Golden> out = new ArrayList<>();
    try (InputStream in =
        DlibGoldenIntegrationTest.class.getResourceAsStream("/dlib/dlib_landmarks.csv")) {
      assertThat(in).as("golden resource").isNotNull();
      String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
      for (int i = 1; i < lines.length; i++) {
        String[] f = lines[i].split(",", -1);
        double[] xy = new double[2 * Landmarks.COUNT];
        for (int k = 0; k < xy.length; k++) {
          xy[k] = Double.parseDouble(f[10 + k]);
        }
        out.add(
            new Golden(
                f[0],
                f[3],
                f[4],
                Long.parseLong(f[5]),
                Long.parseLong(f[6]),
                Long.parseLong(f[7]),
                Long.parseLong(f[8]),
                xy));
      }
    }
    return out;
  }

  private static Path sharedDir() {
    String p = System.getProperty("facenorm.shared");
    if (p != null && !p.isBlank()) {
      return Paths.get(p);
    }
    Path module = Paths.get(System.getProperty("basedir", "")).toAbsolutePath();
    return module.getParent().resolve("../shared").normalize();
  }

  private static String md5(byte[] b) throws NoSuchAlgorithmException {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
  }

  @Test
  void readerSeesTheValuesListedInTheFormatNote() throws IOException {
    Path model = DlibShapePredictor.defaultModelPath();
    Assumptions.assumeTrue(
        Files.isRegularFile(model),
        "dlib model not cached at " + model + ": run scripts/fetch-dlib-model.sh; skipping");
    ShapePredictorReader.Result r = ShapePredictorReader.read(model);
    assertThat(r.bytes()).isEqualTo(99_693_937L);
    assertThat(r.sha256()).isEqualTo(DlibShapePredictor.MODEL_SHA256);
    ShapePredictorModel m = r.model();
    assertThat(m.initialShape()).hasSize(136);
    assertThat(m.initialShape()[0]).isEqualTo(0.0294457916f);
    assertThat(m.initialShape()[1]).isEqualTo(0.3219499290f);
    assertThat(m.initialShape()[2]).isEqualTo(0.0326261297f);
    assertThat(m.initialShape()[3]).isEqualTo(0.4464311898f);
    ShapePredictorModel.Tree t = m.cascades()[0].trees()[0];
    assertThat(t.idx1()[0]).isEqualTo(39);
    assertThat(t.idx2()[0]).isEqualTo(132);
    assertThat(t.thresh()[0]).isEqualTo(34.543655f);
    assertThat(t.numSplits()).isEqualTo(15);
    assertThat(t.leaves()[0]).isEqualTo(-0.0015660938f);
    assertThat(t.leaves()[1]).isEqualTo(0.0006438893f);
    assertThat(m.cascades()[0].anchor()[0]).isEqualTo(41);
    assertThat(m.cascades()[0].numPixels()).isEqualTo(500);
    assertThat(m.cascades()[0].deltas()[0]).isEqualTo(-0.0493697673f);
    assertThat(m.cascades()[0].deltas()[1]).isEqualTo(0.0731244087f);
  }

  @Test
  void landmarksMatchDlibOnEveryGoldenFace() throws Exception {
    Path model = DlibShapePredictor.defaultModelPath();
    Assumptions.assumeTrue(
        Files.isRegularFile(model),
        "dlib model not cached at " + model + ": run scripts/fetch-dlib-model.sh; skipping");
    Path shared = sharedDir();
    List<Golden> goldens = goldens();
    Assumptions.assumeTrue(
        Files.isRegularFile(shared.resolve(goldens.get(0).image())),
        "photos not found under " + shared + " (set -Dfacenorm.shared); skipping");

    long t0 = System.nanoTime();
    DlibShapePredictor p = DlibShapePredictor.loadDefault();
    double loadMs = (System.nanoTime() - t0) / 1e6;
    assertThat(p.numParts()).isEqualTo(68);
    assertThat(p.numCascades()).isEqualTo(15);
    assertThat(p.numTrees()).isEqualTo(15 * 500);

    List<FaceImage> images = new ArrayList<>();
    double maxErr = 0;
    String worst = "";
    int roundingMismatches = 0;
    for (Golden g : goldens) {
      FaceImage img = FaceImage.read(shared.resolve(g.image()));
      assertThat(md5(img.toRgb8()))
          .as(
              "%s: Java's decoded pixels differ from those dlib saw when the goldens were made",
              g.image())
          .isEqualTo(g.md5());
      images.add(img);
      double[] xy = p.predict(img, g.l(), g.t(), g.r(), g.b());
      for (int k = 0; k < xy.length; k++) {
        double err = Math.abs(xy[k] - g.xy()[k]);
        if (err > maxErr) {
          maxErr = err;
          worst = g.image() + " " + g.box() + " coordinate " + k;
        }
        if (Math.floor(xy[k] + 0.5) != Math.floor(g.xy()[k] + 0.5)) {
          roundingMismatches++;
        }
      }
      Landmarks lm = p.detect(img, FaceBox.ofDlibRectangle(g.l(), g.t(), g.r(), g.b()));
      assertThat(lm.toFlatArray()).containsExactly(xy);
    }

    int rounds = 3;
    long t1 = System.nanoTime();
    for (int round = 0; round < rounds; round++) {
      for (int i = 0; i < goldens.size(); i++) {
        Golden g = goldens.get(i);
        p.predict(images.get(i), g.l(), g.t(), g.r(), g.b());
      }
    }
    double perFaceMs = (System.nanoTime() - t1) / 1e6 / (rounds * goldens.size());
    LOG.info(
        String.format(
            Locale.ROOT,
            "dlib goldens: %d faces, max |java - dlib| = %.3g px (%s), %d integer-point"
                + " mismatches; load %.0f ms, predict %.3f ms/face",
            goldens.size(),
            maxErr,
            worst,
            roundingMismatches,
            loadMs,
            perFaceMs));
    assertThat(maxErr).as("max landmark error vs dlib, px").isLessThanOrEqualTo(TOLERANCE_PX);
  }
}
