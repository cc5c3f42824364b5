package io.github.facenorm.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

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

  private static FacePreparer preparer(QualityFilters filters) {
    return FacePreparer.builder(FAKE).filters(filters).threads(2).build();
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

  private static final class Recorder implements FacePreparer.Progress {
    final List<FacePreparer.Status> updates = Collections.synchronizedList(new ArrayList<>());
    final List<String> failures = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void update(FacePreparer.Status status) {
      updates.add(status);
    }

    @Override
    public void failed(String photo, String message) {
      failures.add(photo + ": " + message);
    }
  }

  @Test
  void writesAlignedPhotosLandmarksAndOneCsvAndSkipsBadPhotos(@TempDir Path dir)
      throws IOException {
    Path in = photos(dir);
    Path out = dir.resolve("out");
    List<Path> list = FacePreparer.listPhotos(in, out);
    assertThat(list).hasSize(4);
    Recorder rec = new Recorder();
    FacePreparer.Summary s =
        preparer(QualityFilters.builder().minSharpness(0).build())
            .prepareAll(list, FacePreparer.rootOf(in), out, rec);

    assertThat(s.total()).isEqualTo(4);
    assertThat(s.failed()).isEqualTo(1);
    assertThat(s.skipped()).isZero();
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
    List<String> csv = Files.readAllLines(out.resolve(FacePreparer.MEASUREMENTS_FILE));
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
    assertThat(Files.readAllLines(out.resolve(FacePreparer.MEAN_SHAPE_FILE))).hasSize(69);
    String json = Files.readString(out.resolve("a/one.json"));
    assertThat(json)
        .contains(
            "\"photo\": \"a/one.png\"", "\"transform\"", "\"landmarks\"", "\"photoLandmarks\"");
  }

  @Test
  void aSecondRunSkipsWhatIsDoneAndRejudgesWithNewThresholds(@TempDir Path dir) throws IOException {
    Path in = photos(dir);
    Path out = dir.resolve("out");
    List<Path> list = FacePreparer.listPhotos(in, out);
    QualityFilters filters = QualityFilters.builder().minSharpness(0).build();
    preparer(filters).prepareAll(list, in, out, null);
    String csv1 = Files.readString(out.resolve(FacePreparer.MEASUREMENTS_FILE));
    long pngTime = Files.getLastModifiedTime(out.resolve("a/one.png")).toMillis();

    Recorder rec = new Recorder();
    FacePreparer.Summary again = preparer(filters).prepareAll(list, in, out, rec);
    assertThat(again.skipped()).isEqualTo(3);
    assertThat(again.failed()).isEqualTo(1);
    assertThat(rec.updates.get(rec.updates.size() - 1).skipped()).isEqualTo(3);
    assertThat(Files.readString(out.resolve(FacePreparer.MEASUREMENTS_FILE))).isEqualTo(csv1);
    assertThat(Files.getLastModifiedTime(out.resolve("a/one.png")).toMillis()).isEqualTo(pngTime);

    FacePreparer.Summary strict =
        preparer(QualityFilters.builder().minSharpness(0).minColorfulness(0.99).build())
            .prepareAll(list, in, out, null);
    assertThat(strict.skipped()).isEqualTo(3);
    assertThat(strict.passedMonochrome()).isZero();
    assertThat(strict.meanShape()).isNull();

    // A damaged per-photo file is redone, not trusted.
    Files.writeString(out.resolve("a/one.json"), "{\"photo\": ");
    FacePreparer.Summary redo = preparer(filters).prepareAll(list, in, out, null);
    assertThat(redo.skipped()).isEqualTo(2);
    assertThat(Files.readString(out.resolve("a/one.json"))).contains("\"measurements\"");
  }

  @Test
  void listFilesAndNameClashes(@TempDir Path dir) throws IOException {
    Path in = photos(dir);
    Path list = in.resolve("list.txt");
    Files.writeString(list, "# two photos\na/one.png\n\n" + in.resolve("b/three.jpg") + "\n");
    assertThat(FacePreparer.listPhotos(list, null))
        .containsExactly(in.resolve("a/one.png"), in.resolve("b/three.jpg"));
    assertThat(FacePreparer.rootOf(list)).isEqualTo(in.toAbsolutePath().normalize());

    SyntheticFaces.textured(50, 50, 7).write(in.resolve("a/one.jpg"));
    List<Path> clash = FacePreparer.listPhotos(in, null);
    assertThatThrownBy(
            () ->
                preparer(QualityFilters.builder().build())
                    .prepareAll(clash, in, dir.resolve("out"), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("would both be written as a/one");
    assertThatThrownBy(() -> FacePreparer.listPhotos(dir.resolve("missing"), null))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("neither a directory of photos nor a list file");
  }

  @Test
  void outputInsideTheInputIsNotReadAsInput(@TempDir Path dir) throws IOException {
    Path in = photos(dir);
    Path out = in.resolve("prepared");
    preparer(QualityFilters.builder().build())
        .prepareAll(FacePreparer.listPhotos(in, out), in, out, null);
    assertThat(FacePreparer.listPhotos(in, out)).hasSize(4);
    assertThat(FacePreparer.listPhotos(in, null)).hasSizeGreaterThan(4);
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
    assertThatThrownBy(() -> FacePreparer.builder(FAKE).threads(0)).hasMessageContaining("threads");
    LandmarkDetector nowhere = (image, box) -> SyntheticFaces.frontal(30, -500, -500);
    assertThatThrownBy(() -> FacePreparer.builder(nowhere).build().prepare(img))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no plausible face");
  }
}
