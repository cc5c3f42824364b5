package io.github.facenorm.cli;

import io.github.facenorm.core.FaceImage;
import io.github.facenorm.core.batch.BatchInputs;
import io.github.facenorm.core.batch.BatchItem;
import io.github.facenorm.core.batch.BatchOutcome;
import io.github.facenorm.core.batch.BatchProgress;
import io.github.facenorm.core.batch.BatchRunner;
import io.github.facenorm.core.batch.BatchStep;
import io.github.facenorm.core.batch.BatchSummary;
import io.github.facenorm.core.internal.ImageCodec;
import io.github.facenorm.models.normalize.FaceNormalizer;
import io.github.facenorm.models.normalize.NormalizedFace;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code facenorm normalize <photo|dir>... -o <out>}: the library's main job over files, on the
 * shared {@link BatchRunner}. Contract (checked from outside the repository): {@code <out>/<path
 * relative to the given dir, extension replaced>.png} (a file argument: its base name); failures on
 * stderr and in {@code <out>/failures.csv} (path, reason), skipped; exit 0 when at least one photo
 * is normalized (now or by an earlier run), 1 when none, 2 on bad arguments; atomic writes;
 * existing outputs skipped.
 */
@Command(
    name = "normalize",
    mixinStandardHelpOptions = true,
    description = {
      "Turn face photos into front-facing, evenly lit, neutral-expression faces (Cole et al. 2017).",
      "Writes <out>/<path relative to the given folder>.png (a file argument: <out>/<name>.png)."
          + " Photos that fail are reported and listed in <out>/failures.csv; existing outputs are"
          + " kept (re-running resumes). Exit 0 if any photo was normalized, 1 if none, 2 on bad"
          + " arguments."
    })
final class NormalizeCommand implements Callable<Integer>, FacenormCli.TerminalAware {

  @Spec CommandSpec spec;

  private boolean terminal;

  @Parameters(arity = "1..*", paramLabel = "PHOTO|DIR", description = "photos or folders of photos")
  List<Path> inputs;

  @Option(
      names = {"-o", "--out"},
      required = true,
      description = "output folder")
  Path out;

  @Option(names = "--model", description = "a model folder from facenorm train (default: shipped)")
  Path model;

  @Option(
      names = "--grid",
      paramLabel = "FILE.png",
      description =
          "also write a contact sheet of the photos normalized in this run: aligned input beside"
              + " its normalized face")
  Path grid;

  @Option(names = "--threads", defaultValue = "1", description = "photos in parallel")
  int threads;

  @Override
  public void terminal(boolean terminal) {
    this.terminal = terminal;
  }

  /**
   * One photo's result: for the contact sheet, the aligned input and the output (both null when no
   * sheet is made or the photo was done by an earlier run).
   */
  record Normalized(BufferedImage aligned, BufferedImage output) {}

  /** The per-photo step: photo file -> PNG bytes of the normalized face. */
  static final class Step implements BatchStep<Normalized> {
    private final FaceNormalizer normalizer;
    private final boolean keepImages;

    Step(FaceNormalizer normalizer, boolean keepImages) {
      this.normalizer = normalizer;
      this.keepImages = keepImages;
    }

    @Override
    public List<String> outputExtensions() {
      return List.of(".png");
    }

    @Override
    public Result<Normalized> process(BatchItem item) throws Exception {
      FaceImage photo = FaceImage.read(item.source());
      NormalizedFace face = normalizer.normalize(photo);
      BufferedImage image = face.image().toBufferedImage();
      Normalized value = new Normalized(null, null); // the runner wants a value per item
      if (keepImages) {
        FaceImage aligned =
            normalizer.model().config().aligner().align(photo, face.photoLandmarks()).image();
        value = new Normalized(aligned.toBufferedImage(), image);
      }
      return new Result<>(value, List.of(ImageCodec.encode(image, "png")));
    }

    @Override
    public Normalized resume(BatchItem item, List<Path> outputs) throws Exception {
      FaceImage.read(outputs.get(0)); // an unreadable PNG is redone
      return new Normalized(null, null);
    }
  }

  @Override
  public Integer call() throws Exception {
    if (threads < 1) {
      throw new IllegalArgumentException("--threads: expected at least 1, got " + threads);
    }
    ImageGrid.checkName(grid);
    List<BatchItem> items = BatchInputs.list(inputs, BatchInputs.IMAGE_EXTENSIONS, out);
    if (items.isEmpty()) {
      throw new IllegalArgumentException(
          String.join(" ", inputs.stream().map(Path::toString).toList())
              + ": no .jpg, .jpeg or .png photos found");
    }
    BatchRunner.prepareOutputFolder(out);
    FaceNormalizer.Builder b = FaceNormalizer.builder();
    if (model != null) {
      b.model(model);
    }
    FaceNormalizer normalizer = b.build();
    PrintWriter err = spec.commandLine().getErr();
    err.printf(Locale.ROOT, "facenorm normalize: %d photos -> %s%n", items.size(), out);
    err.flush();
    BatchProgress.Printer line = BatchProgress.printer(err, terminal, "facenorm normalize");
    BatchSummary<Normalized> s =
        BatchRunner.of(new Step(normalizer, grid != null), threads).run(items, out, line);
    line.finish();
    if (grid != null) {
      List<BufferedImage[]> pairs = new ArrayList<>();
      for (BatchOutcome<Normalized> o : s.outcomes()) {
        if (o.ok() && o.value().aligned() != null) {
          pairs.add(new BufferedImage[] {o.value().aligned(), o.value().output()});
        }
      }
      if (!pairs.isEmpty()) {
        writeGrid(pairs, grid);
      }
    }
    err.printf(
        Locale.ROOT,
        "facenorm normalize: %d normalized, %d already there, %d failed in %.1f s (%.1f photos/s)%s%n",
        s.total() - s.skipped() - s.failed(),
        s.skipped(),
        s.failed(),
        s.seconds(),
        s.itemsPerSecond(),
        s.failed() > 0 ? "; reasons in " + s.failures() : "");
    err.flush();
    return s.succeeded() > 0 ? 0 : FacenormCli.FAILED;
  }

  /**
   * Pairs (input, output) side by side, two pairs per row.
   *
   * @param pairs the images
   * @param file a .png path
   * @throws IOException if writing fails
   */
  static void writeGrid(List<BufferedImage[]> pairs, Path file) throws IOException {
    List<List<BufferedImage>> rows = new ArrayList<>();
    for (int i = 0; i < pairs.size(); i += 2) {
      List<BufferedImage> row = new ArrayList<>(List.of(pairs.get(i)));
      if (i + 1 < pairs.size()) {
        row.addAll(List.of(pairs.get(i + 1)));
      }
      rows.add(row);
    }
    ImageGrid.write(rows, pairs.get(0)[1].getWidth(), file);
  }
}
