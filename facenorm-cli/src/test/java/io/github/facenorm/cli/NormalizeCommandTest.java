package io.github.facenorm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.github.facenorm.core.FaceDecomposition;
import io.github.facenorm.core.FaceImage;
import io.github.facenorm.core.Landmarks;
import io.github.facenorm.core.MeanShape;
import io.github.facenorm.core.batch.BatchRunner;
import io.github.facenorm.core.dlib.DlibShapePredictor;
import io.github.facenorm.models.nets.FaceApiModels;
import io.github.facenorm.models.normalize.FaceNormalizer;
import io.github.facenorm.models.normalize.NormalizerModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The {@code normalize} contract on inputs the test makes: output paths, {@code failures.csv}, exit
 * codes, resume. The face it normalizes is rendered by the shipped model itself (a decoded texture
 * warped to decoded landmarks, placed on a grey canvas), so no photo from outside the repository is
 * needed.
 */
class NormalizeCommandTest {

  @TempDir static Path shared;
  private static Path face;

  private static boolean modelsCached() {
    return Files.isRegularFile(DlibShapePredictor.defaultModelPath())
        && FaceApiModels.isAvailable(FaceApiModels.TINY_FACE_DETECTOR)
        && FaceApiModels.isAvailable(FaceApiModels.FACE_RECOGNITION);
  }

  @BeforeAll
  static void renderAFace() throws IOException {
    if (!modelsCached()) {
      return;
    }
    NormalizerModel m = FaceNormalizer.builder().build().model();
    NormalizerModel.Decoded d = m.decode(Nd4j.zeros(DataType.FLOAT, 1, 256));
    Landmarks lm =
        Landmarks.fromINDArray(d.landmarks().get(NDArrayIndex.point(0)).castTo(DataType.DOUBLE));
    FaceImage img =
        FaceDecomposition.compose(
            FaceImage.fromINDArray(d.texture().get(NDArrayIndex.point(0))),
            lm,
            MeanShape.of(m.meanLandmarks(), 1));
    int s = img.width();
    int canvas = 2 * s;
    float[] rgb = new float[canvas * canvas * 3];
    java.util.Arrays.fill(rgb, 0.5f);
    for (int y = 0; y < s; y++) {
      for (int x = 0; x < s; x++) {
        for (int c = 0; c < 3; c++) {
          rgb[((y + s / 2) * canvas + x + s / 2) * 3 + c] = img.get(x, y, c);
        }
      }
    }
    face = shared.resolve("face.png");
    FaceImage.of(canvas, canvas, rgb).write(face);
  }

  private static FacenormCliTest.Run run(String... args) {
    return FacenormCliTest.run(args);
  }

  @Test
  void missingInputsAndAFileAsOutputAreBadArguments(@TempDir Path dir) throws IOException {
    FacenormCliTest.Run r =
        run("normalize", dir.resolve("nope.jpg").toString(), "-o", dir.toString());
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("nope.jpg");
    Path file = Files.writeString(dir.resolve("out"), "x");
    Path photo = Files.writeString(dir.resolve("a.jpg"), "x");
    r = run("normalize", photo.toString(), "-o", file.toString());
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("is a file");
    r = run("normalize", photo.toString(), "-o", dir.resolve("o").toString(), "--grid", "g.jpg");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("--grid: expected a .png");
    r = run("normalize", "-o", dir.resolve("o").toString());
    assertThat(r.status()).isEqualTo(2);
  }

  @Test
  void badPhotosAreListedAndSkippedAndNoneNormalizedExits1(@TempDir Path dir) throws IOException {
    assumeThat(modelsCached()).as("models not cached; run scripts/fetch-models.sh").isTrue();
    Path in = Files.createDirectories(dir.resolve("in"));
    float[] flat = new float[64 * 64 * 3];
    java.util.Arrays.fill(flat, 0.4f);
    FaceImage.of(64, 64, flat).write(in.resolve("blank.png"));
    FaceImage.of(1, 1, new float[] {0.5f, 0.5f, 0.5f}).write(in.resolve("tiny.png"));
    Files.write(in.resolve("corrupt.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3});
    java.awt.image.BufferedImage gray =
        new java.awt.image.BufferedImage(40, 40, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
    javax.imageio.ImageIO.write(gray, "png", in.resolve("gray.png").toFile());
    Path out = dir.resolve("out");
    FacenormCliTest.Run r = run("normalize", in.toString(), "-o", out.toString());
    assertThat(r.status()).as(r.err()).isEqualTo(1);
    List<String> failures = Files.readAllLines(out.resolve(BatchRunner.FAILURES_FILE));
    assertThat(failures).hasSize(5);
    assertThat(String.join("\n", failures))
        .contains("blank.png")
        .contains("tiny.png")
        .contains("corrupt.jpg")
        .contains("gray.png")
        .contains("no face found");
    assertThat(r.err()).contains("corrupt.jpg");
    try (var s = Files.list(out)) {
      assertThat(s.filter(p -> p.toString().endsWith(".png")).count()).isZero();
    }
  }

  @Test
  void aFaceIsWrittenWhereTheContractSaysAndARerunKeepsIt(@TempDir Path dir) throws IOException {
    assumeThat(modelsCached()).as("models not cached; run scripts/fetch-models.sh").isTrue();
    Path in = Files.createDirectories(dir.resolve("in/sub"));
    Files.copy(face, in.resolve("person.jpg.png"));
    Files.copy(face, dir.resolve("single.png"));
    Files.writeString(in.resolve("notes.txt"), "not a photo"); // not an image extension: ignored
    Path out = dir.resolve("out");
    Path grid = dir.resolve("grid.png");
    FacenormCliTest.Run r =
        run(
            "normalize",
            dir.resolve("in").toString(),
            dir.resolve("single.png").toString(),
            "-o",
            out.toString(),
            "--grid",
            grid.toString());
    assertThat(r.status()).as(r.err()).isEqualTo(0);
    Path a = out.resolve("sub/person.jpg.png");
    Path b = out.resolve("single.png");
    assertThat(a).isRegularFile();
    assertThat(b).isRegularFile();
    FaceImage result = FaceImage.read(a);
    assertThat(result.width()).isEqualTo(128);
    assertThat(result.height()).isEqualTo(128);
    assertThat(grid).isRegularFile();
    byte[] before = Files.readAllBytes(a);
    long modified = Files.getLastModifiedTime(a).toMillis();
    r = run("normalize", dir.resolve("in").toString(), "-o", out.toString());
    assertThat(r.status()).as(r.err()).isEqualTo(0);
    assertThat(r.err()).contains("1 already there");
    assertThat(Files.readAllBytes(a)).isEqualTo(before);
    assertThat(Files.getLastModifiedTime(a).toMillis()).isEqualTo(modified);
  }
}
