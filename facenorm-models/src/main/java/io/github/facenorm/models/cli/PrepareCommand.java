package io.github.facenorm.models.cli;

import io.github.facenorm.core.Aligner;
import io.github.facenorm.core.FaceBox;
import io.github.facenorm.core.FacePreparer;
import io.github.facenorm.core.QualityFilters;
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
 * around one face (LFW deep-funneled, FRL London); the work is {@link FacePreparer}'s.
 */
@Command(
    name = "prepare",
    mixinStandardHelpOptions = true,
    description = {
      "Align already-cropped face photos for training (paper Sec. 6.1): dlib landmarks in a"
          + " centered (or given) face box, quality filters (pose, blur, monochrome, expression),"
          + " roll undone, interocular distance 55 px, 224×224 crop.",
      "Writes <out>/<name>.png and <name>.json per photo (paths mirror the input), "
          + FacePreparer.MEASUREMENTS_FILE
          + " (all photos) and "
          + FacePreparer.MEAN_SHAPE_FILE
          + " (passed photos). Resumable: photos whose outputs exist are skipped."
    })
final class PrepareCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      description = "a directory of photos (searched recursively) or a text file listing photos")
  Path input;

  @Parameters(index = "1", description = "output directory")
  Path output;

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

  @Option(names = "--max-pitch", defaultValue = "5", description = "degrees (default 5)")
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
  public Integer call() throws Exception {
    if (every < 1) {
      throw new IllegalArgumentException("--every: expected at least 1, got " + every);
    }
    if (limit != null && limit < 0) {
      throw new IllegalArgumentException("--limit: expected at least 0, got " + limit);
    }
    if (boxCenter.length != 2) {
      throw new IllegalArgumentException(
          "--box-center: expected FX,FY, got " + boxCenter.length + " values");
    }
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
    Aligner aligner =
        Aligner.builder().interocular(interocular).outputSize(size).eyeHeight(eyeHeight).build();
    FacePreparer.Builder pb =
        FacePreparer.builder(DlibShapePredictor.loadDefault())
            .aligner(aligner)
            .filters(fb.build())
            .boxFraction(boxFraction)
            .boxCenter(boxCenter[0], boxCenter[1])
            .refinements(refine);
    if (box != null) {
      if (box.length != 4) {
        throw new IllegalArgumentException(
            "--box: expected LEFT,TOP,WIDTH,HEIGHT, got " + box.length + " values");
      }
      pb.faceBox(new FaceBox(box[0], box[1], box[2], box[3]));
    }
    if (threads != null) {
      pb.threads(threads);
    }
    FacePreparer preparer = pb.build();

    List<Path> all = FacePreparer.listPhotos(input, output);
    List<Path> photos = new ArrayList<>();
    for (int i = 0; i < all.size() && (limit == null || photos.size() < limit); i += every) {
      photos.add(all.get(i));
    }
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    if (photos.isEmpty()) {
      throw new IllegalArgumentException(input + ": no .jpg, .jpeg or .png photos found");
    }
    err.printf(
        Locale.ROOT,
        "facenorm prepare: %d photos%s from %s -> %s%n",
        photos.size(),
        photos.size() < all.size() ? " (of " + all.size() + ")" : "",
        input,
        output);
    err.flush();
    ProgressLine line = new ProgressLine(err);
    FacePreparer.Summary s = preparer.prepareAll(photos, FacePreparer.rootOf(input), output, line);
    line.finish();
    int ok = s.total() - s.failed();
    out.printf(
        Locale.ROOT,
        "%d photos (%d prepared now, %d already done) in %.1f s, %.1f photos/s%n",
        s.total(),
        s.total() - s.skipped(),
        s.skipped(),
        s.seconds(),
        s.photosPerSecond());
    out.printf(Locale.ROOT, "  failed (unreadable / no face): %d%n", s.failed());
    out.printf(Locale.ROOT, "  aligned:                       %d%n", ok);
    out.printf(
        Locale.ROOT,
        "  passed pose (|yaw|≤%s°, |pitch|≤%s°): %d%n",
        maxYaw,
        maxPitch,
        s.passedPose());
    out.printf(Locale.ROOT, "  passed blur:                   %d%n", s.passedBlur());
    out.printf(Locale.ROOT, "  passed monochrome:             %d%n", s.passedMonochrome());
    out.printf(Locale.ROOT, "  passed expression:             %d%n", s.passedExpression());
    out.printf(Locale.ROOT, "  passed all filters:            %d%n", s.passed());
    out.printf(Locale.ROOT, "  measurements: %s%n", s.measurements());
    out.flush();
    return 0;
  }

  /**
   * A progress line on stderr, rewritten in place at most every 250 ms on a terminal (every 10 s
   * when stderr is redirected, so logs stay short).
   */
  private static final class ProgressLine implements FacePreparer.Progress {
    private final PrintWriter err;
    private final long intervalNanos = System.console() != null ? 250_000_000L : 10_000_000_000L;
    private long lastPrint = System.nanoTime();
    private FacePreparer.Status last;

    ProgressLine(PrintWriter err) {
      this.err = err;
    }

    @Override
    public void update(FacePreparer.Status s) {
      last = s;
      long now = System.nanoTime();
      if (s.done() == s.total() || now - lastPrint > intervalNanos) {
        lastPrint = now;
        print(s);
      }
    }

    @Override
    public void failed(String photo, String message) {
      err.print("\r\033[K");
      err.println("facenorm prepare: cannot prepare " + photo + " (going on): " + message);
      if (last != null) {
        print(last);
      }
    }

    private void print(FacePreparer.Status s) {
      double eta = s.etaSeconds();
      err.printf(
          Locale.ROOT,
          "\r\033[K%d/%d photos (%d skipped, %d failed, %d passed)  %.1f photos/s  ETA %s",
          s.done(),
          s.total(),
          s.skipped(),
          s.failed(),
          s.passed(),
          s.photosPerSecond(),
          Double.isNaN(eta)
              ? "--"
              : String.format(Locale.ROOT, "%d:%02d", (long) eta / 60, (long) eta % 60));
      err.flush();
    }

    void finish() {
      err.println();
      err.flush();
    }
  }
}
