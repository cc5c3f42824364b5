package io.github.facenorm.cli;

import io.github.facenorm.core.Aligner;
import io.github.facenorm.core.FaceBox;
import io.github.facenorm.core.FacePreparer;
import io.github.facenorm.core.PrepareStep;
import io.github.facenorm.core.QualityFilters;
import io.github.facenorm.core.batch.BatchInputs;
import io.github.facenorm.core.batch.BatchItem;
import io.github.facenorm.core.batch.BatchProgress;
import io.github.facenorm.core.batch.BatchRunner;
import io.github.facenorm.core.batch.BatchSummary;
import io.github.facenorm.core.dlib.DlibShapePredictor;
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
 * {@code facenorm prepare}: landmarks, quality filters and alignment for photos already cropped
 * around one face (LFW deep-funneled, FRL London); the per-photo work is {@link FacePreparer}'s,
 * the batch {@link BatchRunner}'s.
 */
@Command(
    name = "prepare",
    mixinStandardHelpOptions = true,
    description = {
      "Align already-cropped face photos for training (paper Sec. 6.1): dlib landmarks in a"
          + " centered (or given) face box, quality filters (pose, blur, monochrome, expression),"
          + " roll undone, interocular distance 55 px, 224×224 crop.",
      "Writes <out>/<name>.png and <name>.json per photo (paths relative to a given folder;"
          + " a photo given as a file keeps its base name), "
          + PrepareStep.MEASUREMENTS_FILE
          + " (all photos), "
          + PrepareStep.MEAN_SHAPE_FILE
          + " (passed photos) and "
          + BatchRunner.FAILURES_FILE
          + " (path,reason). Resumable: photos whose outputs exist are skipped.",
      "Exit status: 0 done, 1 no photo could be prepared, 2 bad arguments or output folder."
    })
final class PrepareCommand implements Callable<Integer>, FacenormCli.TerminalAware {

  @Spec CommandSpec spec;

  private boolean terminal;

  @Parameters(
      arity = "2..*",
      paramLabel = "PHOTOS... OUT",
      description =
          "photos and folders of photos (searched recursively for .jpg, .jpeg, .png), then the"
              + " output folder")
  List<Path> paths;

  @Option(
      names = "--box-fraction",
      defaultValue = "0.4",
      description = "centered face box side / shorter image side (default ${DEFAULT-VALUE})")
  double boxFraction;

  @Option(
      names = "--box-center",
      defaultValue = "0.5,0.53",
      split = ",",
      description = "centered box center as fractions of W,H (default ${DEFAULT-VALUE})")
  double[] boxCenter;

  @Option(
      names = "--box",
      split = ",",
      paramLabel = "LEFT,TOP,WIDTH,HEIGHT",
      description = "a fixed face box in pixels for every photo, instead of the centered one")
  double[] box;

  @Option(
      names = "--refine",
      defaultValue = "1",
      description =
          "landmark passes in a box re-placed from the landmarks (default ${DEFAULT-VALUE})")
  int refine;

  @Option(
      names = "--interocular",
      defaultValue = "55",
      description = "eye distance in the crop, px")
  double interocular;

  @Option(names = "--size", defaultValue = "224", description = "crop side, px")
  int size;

  @Option(
      names = "--eye-height",
      defaultValue = "0.4",
      description = "eye row / (crop side − 1) (default ${DEFAULT-VALUE})")
  double eyeHeight;

  @Option(names = "--max-yaw", defaultValue = "5", description = "degrees (default 5)")
  double maxYaw;

  @Option(
      names = "--max-pitch",
      defaultValue = "12",
      description =
          "degrees (default 12: 2-D landmarks read pitch with a 4° spread on frontal faces)")
  double maxPitch;

  @Option(
      names = "--min-sharpness",
      description =
          "minimum Laplacian variance (default " + QualityFilters.DEFAULT_MIN_SHARPNESS + ")")
  Double minSharpness;

  @Option(
      names = "--min-colorfulness",
      description = "minimum mean chroma (default " + QualityFilters.DEFAULT_MIN_COLORFULNESS + ")")
  Double minColorfulness;

  @Option(
      names = "--max-mouth-opening",
      description =
          "maximum inner-lip gap / interocular (default "
              + QualityFilters.DEFAULT_MAX_MOUTH_OPENING
              + ")")
  Double maxMouthOpening;

  @Option(
      names = "--max-mouth-width",
      description =
          "maximum mouth width / interocular (default "
              + QualityFilters.DEFAULT_MAX_MOUTH_WIDTH
              + ")")
  Double maxMouthWidth;

  @Option(
      names = "--every",
      defaultValue = "1",
      description = "take every k-th photo of the sorted list (a deterministic subset)")
  int every;

  @Option(names = "--limit", description = "at most this many photos (after --every)")
  Integer limit;

  @Option(names = "--threads", description = "photos in parallel (default: all cores)")
  Integer threads;

  @Override
  public void terminal(boolean terminal) {
    this.terminal = terminal;
  }

  @Override
  public Integer call() throws Exception {
    if (every < 1) {
      throw new IllegalArgumentException("--every: expected at least 1, got " + every);
    }
    if (limit != null && limit < 0) {
      throw new IllegalArgumentException("--limit: expected at least 0, got " + limit);
    }
    if (threads != null && threads < 1) {
      throw new IllegalArgumentException("--threads: expected at least 1, got " + threads);
    }
    if (boxCenter.length != 2) {
      throw new IllegalArgumentException(
          "--box-center: expected FX,FY, got " + boxCenter.length + " values");
    }
    if (box != null && box.length != 4) {
      throw new IllegalArgumentException(
          "--box: expected LEFT,TOP,WIDTH,HEIGHT, got " + box.length + " values");
    }
    List<Path> inputs = paths.subList(0, paths.size() - 1);
    Path output = paths.get(paths.size() - 1);
    // Arguments and paths first, the model (seconds to load) last.
    QualityFilters.Builder fb = QualityFilters.builder().maxYaw(maxYaw).maxPitch(maxPitch);
    if (minSharpness != null) {
      fb.minSharpness(minSharpness);
    }
    if (minColorfulness != null) {
      fb.minColorfulness(minColorfulness);
    }
    if (maxMouthOpening != null) {
      fb.maxMouthOpening(maxMouthOpening);
    }
    if (maxMouthWidth != null) {
      fb.maxMouthWidth(maxMouthWidth);
    }
    QualityFilters filters = fb.build();
    Aligner aligner =
        Aligner.builder().interocular(interocular).outputSize(size).eyeHeight(eyeHeight).build();
    List<BatchItem> all = BatchInputs.list(inputs, BatchInputs.IMAGE_EXTENSIONS, output);
    List<BatchItem> photos = new ArrayList<>();
    for (int i = 0; i < all.size() && (limit == null || photos.size() < limit); i += every) {
      photos.add(all.get(i));
    }
    if (photos.isEmpty()) {
      throw new IllegalArgumentException(
          String.join(" ", inputs.stream().map(Path::toString).toList())
              + ": no .jpg, .jpeg or .png photos found");
    }
    BatchRunner.prepareOutputFolder(output);

    FacePreparer.Builder pb =
        FacePreparer.builder(DlibShapePredictor.loadDefault())
            .aligner(aligner)
            .filters(filters)
            .boxFraction(boxFraction)
            .boxCenter(boxCenter[0], boxCenter[1])
            .refinements(refine);
    if (box != null) {
      pb.faceBox(new FaceBox(box[0], box[1], box[2], box[3]));
    }
    BatchRunner<PrepareStep.Outcome> runner =
        BatchRunner.of(
            PrepareStep.of(pb.build()),
            threads != null ? threads : Runtime.getRuntime().availableProcessors());

    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    err.printf(
        Locale.ROOT,
        "facenorm prepare: %d photos%s -> %s%n",
        photos.size(),
        photos.size() < all.size() ? " (of " + all.size() + ")" : "",
        output);
    err.flush();
    BatchProgress.Printer line = BatchProgress.printer(err, terminal, "facenorm prepare");
    BatchSummary<PrepareStep.Outcome> s = runner.run(photos, output, line);
    line.finish();
    PrepareStep.Report r = PrepareStep.writeReport(s, output);
    out.printf(
        Locale.ROOT,
        "%d photos (%d prepared now, %d already done) in %.1f s, %.1f photos/s%n",
        s.total(),
        s.total() - s.skipped() - s.failed(),
        s.skipped(),
        s.seconds(),
        s.itemsPerSecond());
    out.printf(Locale.ROOT, "  failed (unreadable / no face): %d%n", s.failed());
    out.printf(Locale.ROOT, "  aligned:                       %d%n", s.succeeded());
    out.printf(
        Locale.ROOT,
        "  passed pose (|yaw|≤%s°, |pitch|≤%s°): %d%n",
        maxYaw,
        maxPitch,
        r.passedPose());
    out.printf(Locale.ROOT, "  passed blur:                   %d%n", r.passedBlur());
    out.printf(Locale.ROOT, "  passed monochrome:             %d%n", r.passedMonochrome());
    out.printf(Locale.ROOT, "  passed expression:             %d%n", r.passedExpression());
    out.printf(Locale.ROOT, "  passed all filters:            %d%n", r.passed());
    out.printf(Locale.ROOT, "  measurements: %s%n", r.measurements());
    if (s.failed() > 0) {
      out.printf(Locale.ROOT, "  failures:     %s%n", s.failures());
    }
    out.flush();
    if (s.succeeded() == 0) {
      err.printf(
          Locale.ROOT,
          "facenorm prepare: none of the %d inputs could be prepared (reasons in %s)%n",
          s.total(),
          s.failures());
      err.flush();
      return FacenormCli.FAILED;
    }
    return 0;
  }
}
