package io.github.facenorm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.github.facenorm.augment.AugmentedSample;
import io.github.facenorm.augment.DatasetReader;
import io.github.facenorm.core.dlib.DlibShapePredictor;
import io.github.facenorm.models.nets.FaceApiModels;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code facenorm augment}: argument errors, and a small run on real studio photos. */
class AugmentCommandTest {

  @Test
  void badArgumentsNameTheOption(@TempDir Path dir) {
    FacenormCliTest.Run r = FacenormCliTest.run("augment", "--out", dir.toString());
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("--data or --studio");
    r =
        FacenormCliTest.run(
            "augment", "--studio", dir.toString(), "--size", "224", "--out", dir.toString());
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("--size: expected 16..128").contains("--preset paper");
    r =
        FacenormCliTest.run(
            "augment", "--studio", dir.toString(), "--count", "0", "--out", dir.toString());
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("--count");
  }

  @Test
  @Tag("integration")
  void writesResumesAndRefusesACacheOfOtherPhotos(@TempDir Path dir) throws IOException {
    assumeThat(
            Files.isRegularFile(DlibShapePredictor.defaultModelPath())
                && FaceApiModels.isAvailable(FaceApiModels.FACE_RECOGNITION))
        .as("models not cached; run scripts/fetch-models.sh")
        .isTrue();
    Path frl =
        Paths.get(System.getProperty("facenorm.shared", "../../shared")).resolve("data/frl-london");
    assumeThat(Files.isDirectory(frl)).as("no " + frl).isTrue();
    Path studio = dir.resolve("studio");
    for (String id : new String[] {"001", "002", "004", "005", "006", "010"}) {
      Files.createDirectories(studio.resolve(id));
      for (String kind : new String[] {"_03", "_08"}) {
        Files.copy(
            frl.resolve(id + "/" + id + kind + ".jpg"),
            studio.resolve(id + "/" + id + kind + ".jpg"));
      }
    }
    Path out = dir.resolve("out");
    String[] args = {
      "augment",
      "--studio",
      studio.toString(),
      "--count",
      "10",
      "--size",
      "32",
      "--seed",
      "3",
      "--backgrounds",
      "4",
      "--out",
      out.toString()
    };
    FacenormCliTest.Run r = FacenormCliTest.run(args);
    assertThat(r.status()).as(r.err()).isZero();
    byte[] manifest = Files.readAllBytes(out.resolve("manifest.txt"));
    List<AugmentedSample> samples = new ArrayList<>();
    DatasetReader.open(out).samples().forEachRemaining(samples::add);
    assertThat(samples).hasSize(10);
    assertThat(samples.get(0).image().width()).isEqualTo(32);

    // The same command again, with a preview: everything is kept, nothing rewritten.
    Path grid = dir.resolve("grid.png");
    String[] withGrid = Arrays.copyOf(args, args.length + 2);
    withGrid[args.length] = "--grid";
    withGrid[args.length + 1] = grid.toString();
    r = FacenormCliTest.run(withGrid);
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(Files.readAllBytes(out.resolve("manifest.txt"))).isEqualTo(manifest);

    // The preview: one row of averages (at most 6 identities), then 8 + 2 sample inputs in two
    // rows and their 8 + 2 targets, 32 px tiles 4 px apart; the first input tile is sample 0.
    BufferedImage preview = ImageIO.read(grid.toFile());
    assertThat(preview.getWidth()).isEqualTo(8 * 36 + 4);
    assertThat(preview.getHeight()).isEqualTo(5 * 36 + 4);
    BufferedImage first = samples.get(0).image().toBufferedImage();
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 32; x++) {
        assertThat(preview.getRGB(4 + x, 40 + y) & 0xffffff)
            .as("input tile pixel (%d, %d)", x, y)
            .isEqualTo(first.getRGB(x, y) & 0xffffff);
      }
    }

    // Another collection into the same folder: the photo cache is refused by name.
    Files.createDirectories(studio.resolve("011"));
    Files.copy(frl.resolve("011/011_03.jpg"), studio.resolve("011/011_03.jpg"));
    r = FacenormCliTest.run(args);
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("sources.sha256").contains("--photo-cache");
  }

  @Test
  @Tag("integration")
  void trainLearnsFromTheSamplesAndRefusesADatasetOfOtherFaces(@TempDir Path dir)
      throws IOException {
    assumeThat(
            Files.isRegularFile(DlibShapePredictor.defaultModelPath())
                && FaceApiModels.isAvailable(FaceApiModels.FACE_RECOGNITION))
        .as("models not cached; run scripts/fetch-models.sh")
        .isTrue();
    Path frl =
        Paths.get(System.getProperty("facenorm.shared", "../../shared")).resolve("data/frl-london");
    assumeThat(Files.isDirectory(frl)).as("no " + frl).isTrue();
    Path studio = dir.resolve("studio");
    for (String id : new String[] {"001", "002", "004", "005"}) {
      Files.createDirectories(studio.resolve(id));
      Files.copy(frl.resolve(id + "/" + id + "_03.jpg"), studio.resolve(id + "/" + id + "_03.jpg"));
    }
    Path cache = dir.resolve("photos");
    Path aug = dir.resolve("aug");
    FacenormCliTest.Run r =
        FacenormCliTest.run(
            "augment",
            "--studio",
            studio.toString(),
            "--photo-cache",
            cache.toString(),
            "--count",
            "12",
            "--size",
            "128",
            "--backgrounds",
            "2",
            "--out",
            aug.toString());
    assertThat(r.status()).as(r.err()).isZero();

    // Two steps on 4 photos + 12 samples, stopped after the first and resumed: the samples are
    // encoded once (the resumed run reads them from <out>/augment-features).
    Path out = dir.resolve("train");
    String[] train = {
      "train",
      "--studio",
      studio.toString(),
      "--photo-cache",
      cache.toString(),
      "--augment",
      aug.toString(),
      "--steps",
      "2",
      "--batch",
      "4",
      "--out",
      out.toString()
    };
    String[] first = Arrays.copyOf(train, train.length + 2);
    first[train.length] = "--stop-after";
    first[train.length + 1] = "1";
    r = runCapturingStderr(first);
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.err())
        .contains("12 encoded now")
        .contains("validation photos, 12 augment samples");
    String[] resume = Arrays.copyOf(train, train.length + 1);
    resume[train.length] = "--resume";
    r = runCapturingStderr(resume);
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.err()).contains("0 encoded now").contains("resumed at step 1");
    assertThat(out.resolve("model/MODEL_CARD.md")).content().contains("12 augment samples");

    // A dataset made from a face that is not among train's identities is refused by name.
    Files.createDirectories(studio.resolve("006"));
    Files.copy(frl.resolve("006/006_03.jpg"), studio.resolve("006/006_03.jpg"));
    Path other = dir.resolve("aug-other");
    r =
        FacenormCliTest.run(
            "augment",
            "--studio",
            studio.toString(),
            "--photo-cache",
            dir.resolve("p2").toString(),
            "--count",
            "12",
            "--size",
            "128",
            "--backgrounds",
            "2",
            "--out",
            other.toString());
    assertThat(r.status()).as(r.err()).isZero();
    Files.delete(studio.resolve("006/006_03.jpg"));
    Files.delete(studio.resolve("006"));
    r =
        FacenormCliTest.run(
            "train",
            "--studio",
            studio.toString(),
            "--photo-cache",
            cache.toString(),
            "--augment",
            other.toString(),
            "--steps",
            "1",
            "--out",
            dir.resolve("t2").toString());
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("/006, which is not a training identity");
  }

  /** train and augment log their progress to System.err (a PrintStream the trainer needs). */
  private static FacenormCliTest.Run runCapturingStderr(String... args) {
    java.io.PrintStream saved = System.err;
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8));
    FacenormCliTest.Run r;
    try {
      r = FacenormCliTest.run(args);
    } finally {
      System.setErr(saved);
    }
    return new FacenormCliTest.Run(
        r.status(), r.out(), r.err() + bytes.toString(java.nio.charset.StandardCharsets.UTF_8));
  }
}
