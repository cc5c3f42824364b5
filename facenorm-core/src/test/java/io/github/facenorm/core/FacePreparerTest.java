package io.github.facenorm.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.facenorm.core.batch.BatchInputs;
import io.github.facenorm.core.batch.BatchItem;
import io.github.facenorm.core.batch.BatchProgress;
import io.github.facenorm.core.batch.BatchRunner;
import io.github.facenorm.core.batch.BatchStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FacePreparerTest {

  /** Puts the model frontal face in the box, eyes a third of the way down. */
  private static final LandmarkDetector FAKE =
      (image, box) -> {
        return SyntheticFaces.posed(
            0, 0, 0, box.width(), box.left() + 0.5 * box.width(), box.top() + 0.33 * box.height());
      };

  private static BatchRunner<PrepareStep.Outcome> runner(QualityFilters filters) {
    return BatchRunner.of(PrepareStep.of(FacePreparer.builder(FAKE).filters(filters).build()), 2);
  }

  private static PrepareStep.Report prepare(
      QualityFilters filters, List<BatchItem> items, Path out, BatchProgress progress)
      throws IOException {
    return PrepareStep.writeReport(runner(filters).run(items, out, progress), out);
  }

  private static List<BatchItem> list(Path in, Path out) throws IOException {
    return BatchInputs.list(List.of(in), BatchInputs.IMAGE_EXTENSIONS, out);
  }

  private static Path photos(Path dir) throws IOException {
    Path in = dir.resolve("in");
    Files.createDirectories(in.resolve("a"));
    Files.createDirectories(in.resolve("b"));
    SyntheticFaces.textured(120, 120, 1).write(in.resolve("a/one.png"));
    SyntheticFaces.gray(SyntheticFaces.textured(120, 100, 2)).write(in.resolve("a/two.png"));
    SyntheticFaces.textured(90, 110, 3).write(in.resolve("b/three.jpg"));
    Files.write(in.resolve("b/bad.jpg"), new byte[] {1, 2, 3, 4, 5});
    Files.writeString(in.resolve("notes.txt"), "not a photo");
    return in;
  }

  private static final class Recorder implements BatchProgress {
    final List<BatchStatus> updates = Collections.synchronizedList(new ArrayList<>());
    final List<String> failures = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void update(BatchStatus status) {
      updates.add(status);
    }

    @Override
    public void failed(BatchItem item, String message) {
      failures.add(item.name() + ": " + message);
    }
  }

  @Test
  void writesAlignedPhotosLandmarksAndOneCsvAndSkipsBadPhotos(@TempDir Path dir)
      throws IOException {
    Path in = photos(dir);
    Path out = dir.resolve("out");
    List<BatchItem> list = list(in, out);
    assertThat(list).hasSize(4);
    Recorder rec = new Recorder();
    PrepareStep.Report s =
        prepare(QualityFilters.builder().minSharpness(0).build(), list, out, rec);

    assertThat(s.batch().total()).isEqualTo(4);
    assertThat(s.batch().failed()).isEqualTo(1);
    assertThat(s.batch().skipped()).isZero();
    assertThat(rec.failures)
        .singleElement()
        .asString()
        .startsWith("b/bad.jpg: ")
        .contains("not a JPEG or PNG");
    assertThat(rec.updates).hasSize(5);
    assertThat(rec.updates.get(4).done()).isEqualTo(4);
    assertThat(rec.updates.get(4).failed()).isEqualTo(1);

    for (String stem : List.of("a/one", "a/two", "b/three")) {
      assertThat(out.resolve(stem + ".png")).isRegularFile();
      assertThat(out.resolve(stem + ".json")).isRegularFile();
      FaceImage aligned = FaceImage.read(out.resolve(stem + ".png"));
      assertThat(aligned.width()).isEqualTo(224);
    }
    assertThat(out.resolve("b/bad.png")).doesNotExist();
    try (var files = Files.walk(out)) {
      assertThat(files.filter(p -> p.getFileName().toString().endsWith(".tmp"))).isEmpty();
    }
    List<String> csv = Files.readAllLines(out.resolve(PrepareStep.MEASUREMENTS_FILE));
    assertThat(csv).hasSize(5);
    assertThat(csv.get(0)).startsWith("photo,status,yaw_deg,pitch_deg");
    assertThat(csv.get(1)).startsWith("a/one.png,passed,");
    assertThat(csv.get(2))
        .startsWith("a/two.png,rejected,")
        .contains(",true,true,false,true,false,");
    assertThat(csv.get(3)).startsWith("b/bad.jpg,error,");
    assertThat(csv.get(4)).startsWith("b/three.jpg,passed,");
    assertThat(s.passed()).isEqualTo(2);
    assertThat(s.passedMonochrome()).isEqualTo(2);
    assertThat(s.passedPose()).isEqualTo(3);
    // The mean of the passed faces' aligned landmarks; the eyes are where the aligner puts them.
    assertThat(s.meanShape().count()).isEqualTo(2);
    assertThat(s.meanShape().landmarks().rightEyeCenter().x()).isCloseTo(84, within(1e-6));
    assertThat(Files.readAllLines(out.resolve(PrepareStep.MEAN_SHAPE_FILE))).hasSize(69);
    String json = Files.readString(out.resolve("a/one.json"));
    assertThat(json)
        .contains(
            "\"photo\": \"a/one.png\"", "\"transform\"", "\"landmarks\"", "\"photoLandmarks\"");
  }

  @Test
  void anErrorInOnePhotoFailsThatPhotoAndTheReportIsStillWritten(@TempDir Path dir)
      throws IOException {
    Path in = photos(dir);
    Path out = dir.resolve("out");
    // One photo's landmarker runs out of memory, another's recurses without end.
    LandmarkDetector hostile =
        (image, box) -> {
          if (image.width() == 90) {
            throw new OutOfMemoryError("Java heap space (simulated)");
          }
          if (image.height() == 100) {
            return recurse(0);
          }
          return FAKE.detect(image, box);
        };
    QualityFilters filters = QualityFilters.builder().minSharpness(0).build();
    PrepareStep.Report r =
        PrepareStep.writeReport(
            BatchRunner.of(
                    PrepareStep.of(FacePreparer.builder(hostile).filters(filters).build()), 2)
                .run(list(in, out), out, null),
            out);
    assertThat(r.batch().failed()).isEqualTo(3);
    assertThat(out.resolve(PrepareStep.MEASUREMENTS_FILE)).exists();
    String failures = Files.readString(out.resolve(BatchRunner.FAILURES_FILE));
    assertThat(failures)
        .contains("three.jpg,OutOfMemoryError: Java heap space (simulated)")
        .contains("two.png,StackOverflowError")
        .contains("bad.jpg");
    assertThat(out.resolve("a/one.png")).isNotEmptyFile();
  }

  private static Landmarks recurse(int depth) {
    return depth < 0 ? null : recurse(depth + 1);
  }

  @Test
  void resumeRedoesADepthBombSidecarAndAnEmptyImage(@TempDir Path dir) throws IOException {
    Path in = photos(dir);
    Path out = dir.resolve("out");
    List<BatchItem> list = list(in, out);
    QualityFilters filters = QualityFilters.builder().minSharpness(0).build();
    prepare(filters, list, out, null);
    Files.writeString(out.resolve("a/one.json"), "[".repeat(200_000) + "]".repeat(200_000));
    Files.write(out.resolve("a/two.png"), new byte[0]);
    Files.writeString(out.resolve("b/.three.png.x1y2.tmp"), "left by a killed run");
    PrepareStep.Report redo = prepare(filters, list, out, null);
    assertThat(redo.batch().skipped()).isEqualTo(1);
    assertThat(redo.batch().failed()).isEqualTo(1);
    assertThat(Files.readString(out.resolve("a/one.json"))).contains("\"measurements\"");
    assertThat(out.resolve("a/two.png")).isNotEmptyFile();
    assertThat(out.resolve("b/.three.png.x1y2.tmp")).doesNotExist();
  }

  @Test
  void aSecondRunSkipsWhatIsDoneAndRejudgesWithNewThresholds(@TempDir Path dir) throws IOException {
    Path in = photos(dir);
    Path out = dir.resolve("out");
    List<BatchItem> list = list(in, out);
    QualityFilters filters = QualityFilters.builder().minSharpness(0).build();
    prepare(filters, list, out, null);
    String csv1 = Files.readString(out.resolve(PrepareStep.MEASUREMENTS_FILE));
    long pngTime = Files.getLastModifiedTime(out.resolve("a/one.png")).toMillis();

    Recorder rec = new Recorder();
    PrepareStep.Report again = prepare(filters, list, out, rec);
    assertThat(again.batch().skipped()).isEqualTo(3);
    assertThat(again.batch().failed()).isEqualTo(1);
    assertThat(rec.updates.get(rec.updates.size() - 1).skipped()).isEqualTo(3);
    assertThat(Files.readString(out.resolve(PrepareStep.MEASUREMENTS_FILE))).isEqualTo(csv1);
    assertThat(Files.getLastModifiedTime(out.resolve("a/one.png")).toMillis()).isEqualTo(pngTime);

    PrepareStep.Report strict =
        prepare(
            QualityFilters.builder().minSharpness(0).minColorfulness(0.99).build(),
            list,
            out,
            null);
    assertThat(strict.batch().skipped()).isEqualTo(3);
    assertThat(strict.passedMonochrome()).isZero();
    assertThat(strict.meanShape()).isNull();
    assertThat(out.resolve(PrepareStep.MEAN_SHAPE_FILE)).doesNotExist();

    // A damaged per-photo file is redone, not trusted.
    Files.writeString(out.resolve("a/one.json"), "{\"photo\": ");
    PrepareStep.Report redo = prepare(filters, list, out, null);
    assertThat(redo.batch().skipped()).isEqualTo(2);
    assertThat(Files.readString(out.resolve("a/one.json"))).contains("\"measurements\"");
  }

  @Test
  void filesGivenDirectlyAreItemsAndNameClashesAreRefused(@TempDir Path dir) throws IOException {
    Path in = photos(dir);
    // A text file given directly is an input that fails, never a list of photos.
    List<BatchItem> items =
        BatchInputs.list(
            List.of(in.resolve("notes.txt"), in.resolve("a/one.png")),
            BatchInputs.IMAGE_EXTENSIONS,
            null);
    assertThat(items).extracting(BatchItem::name).containsExactly("notes.txt", "one.png");
    Path out = dir.resolve("out");
    PrepareStep.Report r = prepare(QualityFilters.builder().build(), items, out, null);
    assertThat(r.batch().failed()).isEqualTo(1);
    assertThat(r.batch().outcomes().get(0).error()).contains("not a JPEG or PNG");
    assertThat(out.resolve("one.png")).isRegularFile();
    assertThat(Files.readAllLines(out.resolve(BatchRunner.FAILURES_FILE)))
        .hasSize(2)
        .last()
        .asString()
        .startsWith(in.resolve("notes.txt").toAbsolutePath() + ",");

    SyntheticFaces.textured(50, 50, 7).write(in.resolve("a/one.jpg"));
    assertThatThrownBy(() -> list(in, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("would both be written as a/one");
    assertThatThrownBy(() -> list(dir.resolve("missing"), null))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("no such file or directory");
  }

  @Test
  void outputInsideTheInputIsNotReadAsInput(@TempDir Path dir) throws IOException {
    Path in = photos(dir);
    Path out = in.resolve("prepared");
    prepare(QualityFilters.builder().build(), list(in, out), out, null);
    assertThat(list(in, out)).hasSize(4);
    assertThat(list(in, null)).hasSizeGreaterThan(4);
  }

  @Test
  void boxesAndBuilderChecks() {
    FaceImage img = SyntheticFaces.textured(200, 100, 1);
    FacePreparer p = FacePreparer.builder(FAKE).boxFraction(0.5).boxCenter(0.5, 0.5).build();
    FaceBox b = p.initialBox(img);
    assertThat(b.width()).isEqualTo(50);
    assertThat(b.centerX()).isEqualTo(100);
    assertThat(b.centerY()).isEqualTo(50);
    FaceBox fixed = new FaceBox(1, 2, 30, 40);
    assertThat(FacePreparer.builder(FAKE).faceBox(fixed).build().initialBox(img)).isEqualTo(fixed);
    // The HOG-like box around landmarks is square and a little above their centroid.
    FaceBox around = FacePreparer.boxAround(SyntheticFaces.frontal(50, 100, 100));
    assertThat(around.width()).isEqualTo(around.height());
    FacePreparer.Prepared prepared = p.prepare(img);
    assertThat(prepared.aligned().landmarks().leftEyeCenter().x()).isCloseTo(139, within(1e-9));
    assertThat(prepared.quality()).isNotNull();

    assertThatThrownBy(() -> FacePreparer.builder(null)).hasMessageContaining("detector");
    assertThatThrownBy(() -> FacePreparer.builder(FAKE).boxFraction(0))
        .hasMessageContaining("boxFraction");
    assertThatThrownBy(() -> FacePreparer.builder(FAKE).boxCenter(0.5, 1.5))
        .hasMessageContaining("boxCenter");
    assertThatThrownBy(() -> FacePreparer.builder(FAKE).refinements(-1))
        .hasMessageContaining("refinements");
    LandmarkDetector nowhere = (image, box) -> SyntheticFaces.frontal(30, -500, -500);
    assertThatThrownBy(() -> FacePreparer.builder(nowhere).build().prepare(img))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no plausible face");
  }
}
