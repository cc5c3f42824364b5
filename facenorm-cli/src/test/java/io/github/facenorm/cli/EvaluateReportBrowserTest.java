package io.github.facenorm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.github.facenorm.core.FaceDecomposition;
import io.github.facenorm.core.FaceImage;
import io.github.facenorm.core.Landmarks;
import io.github.facenorm.core.MeanShape;
import io.github.facenorm.core.dlib.DlibShapePredictor;
import io.github.facenorm.models.nets.FaceApiModels;
import io.github.facenorm.models.normalize.FaceNormalizer;
import io.github.facenorm.models.normalize.NormalizerModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@code facenorm evaluate}'s HTML report on photos the test makes, loaded in a real browser:
 * Debian's headless Chromium (installed with {@code apt-get install -y chromium} when missing;
 * skipped only when there is no {@code apt-get}). Every image must load (no broken image: {@code
 * naturalWidth > 0}), the page must log no console error, and a screenshot is saved to {@code
 * target/evaluate-report.png}.
 *
 * <p>The photos are faces rendered by the shipped model itself (as in {@link
 * NormalizeCommandTest}), placed on canvases in several ways so that two "persons" with two photos
 * each and a pairs file exist, plus a photo without a face, which the report must list as failed.
 */
class EvaluateReportBrowserTest {

  @TempDir static Path shared;
  private static Path collection;
  private static Path pairsFile;

  private static boolean modelsCached() {
    return Files.isRegularFile(DlibShapePredictor.defaultModelPath())
        && FaceApiModels.isAvailable(FaceApiModels.TINY_FACE_DETECTOR)
        && FaceApiModels.isAvailable(FaceApiModels.FACE_RECOGNITION);
  }

  @BeforeAll
  static void makePhotos() throws IOException {
    if (!modelsCached()) {
      return;
    }
    NormalizerModel m = FaceNormalizer.builder().build().model();
    NormalizerModel.Decoded d = m.decode(Nd4j.zeros(DataType.FLOAT, 1, 256));
    Landmarks lm =
        Landmarks.fromINDArray(d.landmarks().get(NDArrayIndex.point(0)).castTo(DataType.DOUBLE));
    FaceImage face =
        FaceDecomposition.compose(
            FaceImage.fromINDArray(d.texture().get(NDArrayIndex.point(0))),
            lm,
            MeanShape.of(m.meanLandmarks(), 1));
    collection = Files.createDirectories(shared.resolve("people"));
    // Person one: the face, and its mirror image a little darker.
    place(face, false, 0.5f, new float[] {1, 1, 1}, "Ann_One", 1);
    place(face, true, 0.5f, new float[] {0.92f, 0.92f, 0.92f}, "Ann_One", 2);
    // Person two: tinted copies.
    place(face, false, 0.5f, new float[] {0.95f, 0.97f, 1.06f}, "Bob_Two", 1);
    place(face, true, 0.5f, new float[] {1.1f, 0.95f, 0.85f}, "Bob_Two", 2);
    // No face at all: listed as a failure, never fatal.
    float[] flat = new float[96 * 96 * 3];
    java.util.Arrays.fill(flat, 0.45f);
    FaceImage.of(96, 96, flat).write(collection.resolve("Bob_Two/Bob_Two_0003.png"));
    pairsFile =
        Files.writeString(
            shared.resolve("pairs.txt"),
            "2\nAnn_One\t1\t2\nBob_Two\t1\t2\nAnn_One\t1\tBob_Two\t1\nAnn_One\t2\tBob_Two\t2\n");
  }

  /** The face in the middle of a 2S × 2S canvas, maybe mirrored, its colors scaled. */
  private static void place(
      FaceImage face, boolean mirror, float background, float[] gain, String person, int k)
      throws IOException {
    int s = face.width();
    int canvas = 2 * s;
    float[] rgb = new float[canvas * canvas * 3];
    java.util.Arrays.fill(rgb, background);
    for (int y = 0; y < s; y++) {
      for (int x = 0; x < s; x++) {
        for (int c = 0; c < 3; c++) {
          rgb[((y + s / 2) * canvas + x + s / 2) * 3 + c] =
              Math.min(1f, face.get(mirror ? s - 1 - x : x, y, c) * gain[c]);
        }
      }
    }
    Path dir = Files.createDirectories(collection.resolve(person));
    FaceImage.of(canvas, canvas, rgb).write(dir.resolve(String.format("%s_%04d.png", person, k)));
  }

  /** {@code facenorm evaluate} on the test's photos and pairs into {@code out}. */
  private static FacenormCliTest.Run evaluate(Path out, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "evaluate",
                "--photos",
                collection.toString(),
                "--min-photos",
                "2",
                "--pairs",
                pairsFile.toString(),
                "--out",
                out.toString()));
    args.addAll(List.of(extra));
    return FacenormCliTest.run(args.toArray(String[]::new));
  }

  @Test
  void theReportLoadsInChromiumWithEveryImageAndNoConsoleError(@TempDir Path dir) throws Exception {
    assumeThat(modelsCached()).as("models not cached; run scripts/fetch-models.sh").isTrue();
    Path out = dir.resolve("report");
    FacenormCliTest.Run r = evaluate(out);
    assertThat(r.status()).as(r.err()).isZero();
    Path index = out.resolve(EvaluationReport.INDEX);
    String html = Files.readString(index, StandardCharsets.UTF_8);
    // The bad photo is listed, the charts and their data are beside the page.
    assertThat(html).contains("Bob_Two/Bob_Two_0003.png").contains("no face found");
    for (String f :
        new String[] {
          "identity-histogram.png", "identity-histogram.csv", "roc.png", "roc.csv", "photos.csv"
        }) {
      assertThat(out.resolve(f)).isNotEmptyFile();
    }
    assertThat(Files.readAllLines(out.resolve("photos.csv"))).hasSize(1 + 4);
    assertThat(html).doesNotContain("http://").doesNotContain("https://");

    // A rerun reads every photo back instead of normalizing it again.
    Path png = out.resolve("faces/Ann_One/Ann_One_0001.png");
    long modified = Files.getLastModifiedTime(png).toMillis();
    FacenormCliTest.Run again = evaluate(out);
    assertThat(again.status()).as(again.err()).isZero();
    assertThat(Files.getLastModifiedTime(png).toMillis()).isEqualTo(modified);
    assertThat(Files.readString(index, StandardCharsets.UTF_8)).isEqualTo(html);

    // The ablation section: another report of the same photos beside this one (here the report
    // itself, resumed, so nothing is normalized again); the browser checks its images too.
    FacenormCliTest.Run compared =
        evaluate(out, "--label", "shipped", "--compare", "shipped again=" + out);
    assertThat(compared.status()).as(compared.err()).isZero();
    html = Files.readString(index, StandardCharsets.UTF_8);
    assertThat(html).contains("compare-histogram.png").contains("<td>shipped again</td>");
    assertThat(out.resolve("compare.csv")).isNotEmptyFile();
    assertThat(out.resolve("compare/1/Ann_One/Ann_One_0001.png")).isNotEmptyFile();

    Path chromium = Chromium.find();
    int images = count(html, "<img ");
    assertThat(images).isGreaterThan(20);

    // The page as it is, plus a checker at the top of <head>: errors and console.error are
    // recorded from the start; after 'load' every image's naturalWidth is checked.
    Path check = out.resolve("browser-check.html");
    Files.writeString(
        check,
        html.replaceFirst("<head>", "<head>\n<script>" + CHECKER + "</script>"),
        StandardCharsets.UTF_8);
    Chromium.Result dom =
        Chromium.run(
            chromium,
            dir.resolve("profile-dom"),
            List.of(
                "--enable-logging=stderr",
                "--v=0",
                "--virtual-time-budget=15000",
                "--dump-dom",
                check.toUri().toString()));
    Matcher m = Pattern.compile("<pre id=\"facenorm-check\">([^<]*)</pre>").matcher(dom.out());
    assertThat(m.find()).as("checker result in the DOM; stderr:%n%s", dom.err()).isTrue();
    String result = m.group(1);
    assertThat(result).as(result).contains("\"images\":" + images + ",");
    assertThat(result).as(result).contains("\"broken\":[]").contains("\"errors\":[]");
    List<String> console = new ArrayList<>();
    for (String line : dom.err().split("\n")) {
      if (line.contains("CONSOLE")) {
        console.add(line);
      }
    }
    assertThat(console).as("console messages").isEmpty();

    Path shot = Path.of("target", "evaluate-report.png").toAbsolutePath();
    Files.deleteIfExists(shot);
    Chromium.run(
        chromium,
        dir.resolve("profile-shot"),
        List.of(
            "--hide-scrollbars",
            "--window-size=1280,1800",
            "--screenshot=" + shot,
            index.toUri().toString()));
    assertThat(shot).isNotEmptyFile();
    assertThat(FaceImage.read(shot).width()).isEqualTo(1280);
  }

  private static int count(String s, String what) {
    int n = 0;
    for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }

  /** Records errors and console.error calls; writes the image check into the DOM after load. */
  private static final String CHECKER =
      "(function(){var errors=[];"
          + "window.addEventListener('error',function(e){var t=e.target;"
          + "errors.push(t&&t.src?'failed to load '+t.src:String(e.message));},true);"
          + "var ce=console.error;console.error=function(){errors.push("
          + "Array.prototype.join.call(arguments,' '));ce.apply(console,arguments);};"
          + "window.addEventListener('load',function(){var broken=[];var imgs=document.images;"
          + "for(var i=0;i<imgs.length;i++){if(!imgs[i].complete||imgs[i].naturalWidth===0)"
          + "{broken.push(imgs[i].getAttribute('src'));}}"
          + "var pre=document.createElement('pre');pre.id='facenorm-check';"
          + "pre.textContent=JSON.stringify({images:imgs.length,broken:broken,errors:errors});"
          + "document.body.appendChild(pre);});})();";

  /** Debian's Chromium, installed on demand. */
  static final class Chromium {
    private static final List<String> FLAGS =
        List.of(
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync");

    record Result(int status, String out, String err) {}

    private Chromium() {}

    /** The chromium binary; installs Debian's package with apt-get when it is missing. */
    static Path find() throws IOException, InterruptedException {
      Path bin = Path.of("/usr/bin/chromium");
      if (Files.isExecutable(bin)) {
        return bin;
      }
      Path aptGet = Path.of("/usr/bin/apt-get");
      assumeThat(Files.isExecutable(aptGet))
          .as(
              "chromium is not installed and there is no apt-get to install it (Debian's package"
                  + " 'chromium' is needed)")
          .isTrue();
      String log = exec(List.of(aptGet.toString(), "install", "-y", "chromium"), 900);
      if (!Files.isExecutable(bin)) {
        // A fresh machine may have no package lists yet.
        log += exec(List.of(aptGet.toString(), "update"), 600);
        log += exec(List.of(aptGet.toString(), "install", "-y", "chromium"), 900);
      }
      assertThat(bin)
          .as("apt-get install -y chromium (as root) did not install %s:%n%s", bin, tail(log))
          .isExecutable();
      return bin;
    }

    static Result run(Path chromium, Path profile, List<String> args)
        throws IOException, InterruptedException {
      Files.createDirectories(profile);
      List<String> cmd = new ArrayList<>();
      cmd.add(chromium.toString());
      cmd.addAll(FLAGS);
      cmd.add("--user-data-dir=" + profile);
      cmd.addAll(args);
      Path stdout = Files.createTempFile(profile, "out", ".txt");
      Path stderr = Files.createTempFile(profile, "err", ".txt");
      Process p =
          new ProcessBuilder(cmd)
              .redirectOutput(stdout.toFile())
              .redirectError(stderr.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError(
            "chromium did not finish in 120 s: "
                + String.join(" ", cmd)
                + "\n"
                + tail(Files.readString(stderr)));
      }
      Result r =
          new Result(
              p.exitValue(),
              Files.readString(stdout, StandardCharsets.UTF_8),
              Files.readString(stderr, StandardCharsets.UTF_8));
      assertThat(r.status())
          .as("chromium exit status: %s%n%s", String.join(" ", cmd), tail(r.err()))
          .isZero();
      return r;
    }

    private static String exec(List<String> cmd, int seconds)
        throws IOException, InterruptedException {
      Path log = Files.createTempFile("facenorm-apt", ".log");
      try {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
        Process p =
            pb.redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
        return String.join(" ", cmd) + ":\n" + Files.readString(log) + "\n";
      } finally {
        Files.deleteIfExists(log);
      }
    }

    private static String tail(String s) {
      return s.length() <= 4000 ? s : "..." + s.substring(s.length() - 4000);
    }
  }
}
