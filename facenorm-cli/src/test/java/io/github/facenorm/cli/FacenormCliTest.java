package io.github.facenorm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.github.facenorm.core.FaceImage;
import io.github.facenorm.core.batch.BatchRunner;
import io.github.facenorm.core.dlib.DlibShapePredictor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Arguments, exit statuses and messages of every subcommand, through {@link FacenormCli#run}. */
class FacenormCliTest {

  /** What one run printed and returned. */
  record Run(int status, String out, String err) {}

  static Run run(String... args) {
    return run(false, args);
  }

  static Run run(boolean terminal, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = FacenormCli.run(new PrintWriter(out), new PrintWriter(err), terminal, args);
    return new Run(status, out.toString(), err.toString());
  }

  private static String s(Path p) {
    return p.toString();
  }

  /** A 64 × 48 image with a gradient, so a warp visibly moves something. */
  private static Path photo(Path dir, String name) throws IOException {
    int w = 64;
    int h = 48;
    float[] rgb = new float[w * h * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = 3 * (y * w + x);
        rgb[i] = x / (float) (w - 1);
        rgb[i + 1] = y / (float) (h - 1);
        rgb[i + 2] = ((x / 8 + y / 8) % 2) * 0.8f;
      }
    }
    Path p = dir.resolve(name);
    FaceImage.of(w, h, rgb).write(p);
    return p;
  }

  private static boolean dlibCached() {
    return Files.isRegularFile(DlibShapePredictor.defaultModelPath());
  }

  // ---------------------------------------------------------------- top level

  @Test
  void versionComesFromTheBuild() {
    Run r = run("--version");
    assertThat(r.status()).isZero();
    assertThat(r.out().strip()).matches("facenorm \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
  }

  @Test
  void helpListsTheSubcommandsAndBadCommandsExit2() {
    Run help = run("--help");
    assertThat(help.status()).isZero();
    assertThat(help.out()).contains("warp", "prepare");
    Run unknown = run("frobnicate");
    assertThat(unknown.status()).isEqualTo(2);
    assertThat(unknown.err()).contains("Unmatched argument at index 0: 'frobnicate'");
    for (String sub : new String[] {"warp", "prepare"}) {
      Run subHelp = run("help", sub);
      assertThat(subHelp.status()).isZero();
      assertThat(subHelp.out()).contains("Usage: facenorm " + sub);
      assertThat(run(sub, "--help").out()).isEqualTo(subHelp.out());
    }
    Run none = run();
    assertThat(none.status()).isEqualTo(2);
    assertThat(none.err()).contains("Missing required subcommand", "Usage: facenorm");
  }

  // ---------------------------------------------------------------- warp

  @Test
  void warpWritesTheFormatItsNameSays(@TempDir Path dir) throws IOException {
    Path in = photo(dir, "in.png");
    Path png = dir.resolve("out.png");
    Run r = run("warp", s(in), s(png));
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).contains("warped", "24 control points", "-> " + png);
    assertThat(Files.readAllBytes(png)).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
    Path jpg = dir.resolve("out.JPG");
    assertThat(run("warp", s(in), s(jpg)).status()).isZero();
    assertThat(Files.readAllBytes(jpg)).startsWith((byte) 0xFF, (byte) 0xD8);
    assertThat(FaceImage.read(jpg).width()).isEqualTo(64);
  }

  @Test
  void warpRefusesAnOutputFormatItCannotWrite(@TempDir Path dir) throws IOException {
    Path in = photo(dir, "in.png");
    Path bmp = dir.resolve("out.bmp");
    Run r = run("warp", s(in), s(bmp));
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "facenorm warp: "
                + bmp
                + ": unsupported output format; name it .png, .jpg or .jpeg"
                + System.lineSeparator());
    assertThat(bmp).doesNotExist();
  }

  @Test
  void warpArgumentErrors(@TempDir Path dir) throws IOException {
    Path in = photo(dir, "in.png");
    Path out = dir.resolve("out.png");
    Path pts = Files.writeString(dir.resolve("p.csv"), "x,y\n10,10\n50,10\n30,40\n");

    Run missing = run("warp", s(dir.resolve("nope.png")), s(out));
    assertThat(missing.status()).isEqualTo(2);
    assertThat(missing.err()).startsWith("facenorm warp: " + dir.resolve("nope.png"));

    Path text = Files.writeString(dir.resolve("text.png"), "not an image");
    Run notImage = run("warp", s(text), s(out));
    assertThat(notImage.status()).isEqualTo(2);
    assertThat(notImage.err()).contains("not a JPEG or PNG");

    Run half = run("warp", s(in), s(out), "--from", s(pts));
    assertThat(half.status()).isEqualTo(2);
    assertThat(half.err()).contains("--from and --to go together");

    Path comma = Files.writeString(dir.resolve("c.txt"), "10,5\t10,0\n50,5\t10,0\n30,5\t40,0\n");
    Run decimalComma = run("warp", s(in), s(out), "--from", s(comma), "--to", s(pts));
    assertThat(decimalComma.status()).isEqualTo(2);
    assertThat(decimalComma.err()).contains(comma + ": line 1", "decimal commas are not supported");

    Run badOrder = run("warp", s(in), s(out), "--order", "x");
    assertThat(badOrder.status()).isEqualTo(2);
    assertThat(badOrder.err()).contains("Invalid value for option '--order'");

    StringBuilder many = new StringBuilder();
    for (int i = 0; i <= io.github.facenorm.core.internal.Limits.DEFAULT_MAX_POINTS; i++) {
      many.append(i % 64).append(',').append(i / 64).append('\n');
    }
    Path manyPts = Files.writeString(dir.resolve("many.csv"), many);
    Run tooMany = run("warp", s(in), s(out), "--from", s(manyPts), "--to", s(manyPts));
    assertThat(tooMany.status()).isEqualTo(2);
    assertThat(tooMany.err())
        .contains(manyPts + ": over 4096 points, more than the 4096", "-Dfacenorm.maxPoints=N");

    Path noFolder = dir.resolve("no/such/out.png");
    Run badFolder = run("warp", s(in), s(noFolder));
    assertThat(badFolder.status()).isEqualTo(2);
    assertThat(badFolder.err()).contains(dir.resolve("no/such") + ": no such folder");

    Run noArgs = run("warp");
    assertThat(noArgs.status()).isEqualTo(2);
    assertThat(noArgs.err()).contains("Missing required parameters");
    assertThat(out).doesNotExist();
  }

  @Test
  void warpReadsTemTxtAndPreparesLandmarkJson(@TempDir Path dir) throws IOException {
    Path in = photo(dir, "in.png");
    Path tem = Files.writeString(dir.resolve("a.tem"), "3\n10\t10\n50\t10\n30\t40\n0\n");
    Path txt = Files.writeString(dir.resolve("b.txt"), "12 11\n48 12\n31 38\n");
    // The shape facenorm prepare writes: "landmarks" (crop) and "photoLandmarks" (photo).
    Path json =
        Files.writeString(
            dir.resolve("c.json"),
            "{\"photo\": \"c.png\", \"landmarks\": [[12.0, 11.0], [48.0, 12.0], [31.0, 38.0]],"
                + " \"photoLandmarks\": [[10.0, 10.0], [50.0, 10.0], [30.0, 40.0]]}");
    Path outTem = dir.resolve("tem.png");
    Run a = run("warp", s(in), s(outTem), "--from", s(tem), "--to", s(txt));
    assertThat(a.status()).as(a.err()).isZero();
    assertThat(a.out()).contains("3 control points");

    Path outJson = dir.resolve("json.png");
    Run b = run("warp", s(in), s(outJson), "--from", s(tem), "--to", s(json));
    assertThat(b.status()).as(b.err()).isZero();
    // Same destination points as b.txt: the same image.
    assertThat(FaceImage.read(outJson)).isEqualTo(FaceImage.read(outTem));

    Path outPhoto = dir.resolve("photo.png");
    Run c =
        run(
            "warp",
            s(in),
            s(outPhoto),
            "--from",
            s(tem),
            "--to",
            s(json),
            "--json-points",
            "photoLandmarks");
    assertThat(c.status()).as(c.err()).isZero();
    assertThat(c.out()).contains("max flow 0.0 px");

    Path noKey = Files.writeString(dir.resolve("d.json"), "{\"photo\": \"d.png\"}");
    Run d = run("warp", s(in), s(outPhoto), "--from", s(tem), "--to", s(noKey));
    assertThat(d.status()).isEqualTo(2);
    assertThat(d.err()).contains(noKey + ": no \"landmarks\" array");
    Run e =
        run("warp", s(in), s(outPhoto), "--from", s(tem), "--to", s(json), "--json-points", "eyes");
    assertThat(e.status()).isEqualTo(2);
    assertThat(e.err()).contains("--json-points: expected landmarks or photoLandmarks, got eyes");
  }

  // ---------------------------------------------------------------- prepare

  @Test
  void prepareOfATextFileFailsWithExit1(@TempDir Path dir) throws IOException {
    assumeThat(dlibCached()).as("dlib model not cached; run scripts/fetch-dlib-model.sh").isTrue();
    Path notes = Files.writeString(dir.resolve("notes.txt"), "a.jpg\nb.jpg\n");
    Path out = dir.resolve("out");
    Run r = run("prepare", s(notes), s(out));
    assertThat(r.status()).as(r.err()).isEqualTo(1);
    assertThat(r.err())
        .contains("facenorm prepare: notes.txt failed (going on): ")
        .contains("not a JPEG or PNG")
        .contains(
            "none of the 1 inputs could be prepared (reasons in "
                + out.resolve(BatchRunner.FAILURES_FILE)
                + ")");
    assertThat(r.out()).contains("failed (unreadable / no face): 1");
    List<String> failures = Files.readAllLines(out.resolve(BatchRunner.FAILURES_FILE));
    assertThat(failures).hasSize(2);
    assertThat(failures.get(1))
        .startsWith(notes.toAbsolutePath() + ",")
        .contains("not a JPEG or PNG");
  }

  @Test
  void prepareToAnOutputPathThatIsAFileExits2WithAClearMessage(@TempDir Path dir)
      throws IOException {
    Path in = Files.createDirectories(dir.resolve("in"));
    photo(in, "a.png");
    Path file = Files.writeString(dir.resolve("out"), "I am a file");
    Run r = run("prepare", s(in), s(file));
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "facenorm prepare: output folder "
                + file
                + " is a file, not a folder"
                + System.lineSeparator());
  }

  @Test
  void prepareArgumentErrors(@TempDir Path dir) throws IOException {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    Run none = run("prepare", s(empty), s(dir.resolve("out")));
    assertThat(none.status()).isEqualTo(2);
    assertThat(none.err()).contains(empty + ": no .jpg, .jpeg or .png photos found");

    Run missing = run("prepare", s(dir.resolve("nope")), s(dir.resolve("out")));
    assertThat(missing.status()).isEqualTo(2);
    assertThat(missing.err())
        .isEqualTo(
            "facenorm prepare: "
                + dir.resolve("nope")
                + ": no such file or directory"
                + System.lineSeparator());

    Run one = run("prepare", s(empty));
    assertThat(one.status()).isEqualTo(2);
    assertThat(one.err()).contains("(PHOTOS... OUT) requires at least 2 values");

    Run every = run("prepare", s(empty), s(dir.resolve("out")), "--every", "0");
    assertThat(every.status()).isEqualTo(2);
    assertThat(every.err()).contains("--every: expected at least 1, got 0");

    Run box = run("prepare", s(empty), s(dir.resolve("out")), "--box", "1,2,3");
    assertThat(box.status()).isEqualTo(2);
    assertThat(box.err()).contains("--box: expected LEFT,TOP,WIDTH,HEIGHT, got 3 values");

    Run threads = run("prepare", s(empty), s(dir.resolve("out")), "--threads", "0");
    assertThat(threads.status()).isEqualTo(2);
    assertThat(threads.err()).contains("--threads: expected at least 1, got 0");

    Run frac = run("prepare", s(empty), s(dir.resolve("out")), "--box-fraction", "3");
    assertThat(frac.status()).isEqualTo(2);
    assertThat(dir.resolve("out")).doesNotExist();
  }

  @Test
  void prepareProgressHasNoControlCodesWhenNotATerminal(@TempDir Path dir) throws IOException {
    assumeThat(dlibCached()).as("dlib model not cached; run scripts/fetch-dlib-model.sh").isTrue();
    Path in = Files.createDirectories(dir.resolve("in"));
    photo(in, "a.png");
    Files.writeString(in.resolve("b.jpg"), "broken");
    Path out = dir.resolve("out");
    Run plain = run(false, "prepare", s(in), s(out), "--threads", "1");
    assertThat(plain.status()).as(plain.err()).isZero();
    assertThat(plain.err()).doesNotContain("\r", "\033");
    assertThat(plain.err())
        .contains("facenorm prepare: b.jpg failed (going on): ")
        .contains("facenorm prepare: 2/2 done (0 skipped, 1 failed)");
    assertThat(plain.out()).contains("2 photos (1 prepared now, 0 already done)");

    Run tty = run(true, "prepare", s(in), s(out), "--threads", "1");
    assertThat(tty.status()).isZero();
    assertThat(tty.err()).contains("\r\033[K");
    assertThat(tty.out()).contains("2 photos (0 prepared now, 1 already done)");
  }

  // ---------------------------------------------------------------- main's stdout filter

  @Test
  void sameDiffsOpLinesAreDroppedFromStdout() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream ps =
        new FacenormCli.DroppingPrintStream(
            new PrintStream(bytes, true, StandardCharsets.UTF_8), "Added differentiated op ");
    ps.println("Added differentiated op warped/add_3");
    ps.println("kept line");
    ps.print("Added");
    ps.println(" but not dropped");
    ps.flush();
    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "kept line"
                + System.lineSeparator()
                + "Added but not dropped"
                + System.lineSeparator());
  }
}
