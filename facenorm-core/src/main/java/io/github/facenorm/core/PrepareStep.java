package io.github.facenorm.core;

import io.github.facenorm.core.batch.BatchItem;
import io.github.facenorm.core.batch.BatchOutcome;
import io.github.facenorm.core.batch.BatchRunner;
import io.github.facenorm.core.batch.BatchStep;
import io.github.facenorm.core.batch.BatchSummary;
import io.github.facenorm.core.internal.AtomicFiles;
import io.github.facenorm.core.internal.ImageCodec;
import io.github.facenorm.core.internal.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * {@link FacePreparer} as a {@link BatchStep}, the {@code prepare} command's step: per photo it
 * writes {@code <name>.png} (the aligned crop) and {@code <name>.json} (box, photo → crop
 * transform, landmarks in the crop and in the photo, the measurements); after the run, {@link
 * #writeReport} writes {@value #MEASUREMENTS_FILE} (one row per photo: measurements, verdicts, or
 * the error) and {@value #MEAN_SHAPE_FILE} (the mean aligned landmarks of the photos that passed
 * every filter). A resumed photo's measurements are read back from its JSON and judged with the
 * current thresholds. Immutable and thread-safe.
 */
public final class PrepareStep implements BatchStep<PrepareStep.Outcome> {

  /** Name of the measurements CSV written by {@link #writeReport}. */
  public static final String MEASUREMENTS_FILE = "filters.csv";

  /** Name of the mean-landmarks CSV written by {@link #writeReport}. */
  public static final String MEAN_SHAPE_FILE = "mean_landmarks.csv";

  private static final String CSV_HEADER =
      "photo,status,yaw_deg,pitch_deg,roll_deg,sharpness,colorfulness,mouth_opening,mouth_width,"
          + "pose_ok,blur_ok,color_ok,expression_ok,passed,message";

  private static final List<String> OUTPUTS = List.of(".png", ".json");

  private final FacePreparer preparer;

  private PrepareStep(FacePreparer preparer) {
    this.preparer = preparer;
  }

  /**
   * The step of a preparer.
   *
   * @param preparer the per-photo step
   * @return the batch step
   */
  public static PrepareStep of(FacePreparer preparer) {
    return new PrepareStep(Objects.requireNonNull(preparer, "preparer"));
  }

  /**
   * One photo's result.
   *
   * @param quality the filter measurements and verdicts
   * @param alignedLandmarks the landmarks in the crop
   */
  public record Outcome(QualityReport quality, Landmarks alignedLandmarks) {

    /** Checks the fields. */
    public Outcome {
      Objects.requireNonNull(quality, "quality");
      Objects.requireNonNull(alignedLandmarks, "alignedLandmarks");
    }
  }

  @Override
  public List<String> outputExtensions() {
    return OUTPUTS;
  }

  @Override
  public Result<Outcome> process(BatchItem item) throws IOException {
    FacePreparer.Prepared p = preparer.prepare(FaceImage.read(item.source()));
    byte[] png = ImageCodec.encode(p.aligned().image().toBufferedImage(), "png");
    byte[] json = toJson(item.name(), p).getBytes(StandardCharsets.UTF_8);
    return new Result<>(new Outcome(p.quality(), p.aligned().landmarks()), List.of(png, json));
  }

  @Override
  public Outcome resume(BatchItem item, List<Path> outputs) throws IOException {
    return readOutcome(outputs.get(1));
  }

  /**
   * Writes {@value #MEASUREMENTS_FILE} and, if a photo passed every filter, {@value
   * #MEAN_SHAPE_FILE}, atomically.
   *
   * @param batch the run's summary
   * @param outDir the output folder of the run
   * @return counts by filter, the mean shape, the CSV
   * @throws IOException if a file cannot be written
   */
  public static Report writeReport(BatchSummary<Outcome> batch, Path outDir) throws IOException {
    List<BatchOutcome<Outcome>> sorted =
        batch.outcomes().stream().sorted(Comparator.comparing(o -> o.item().name())).toList();
    Path csv = outDir.resolve(MEASUREMENTS_FILE);
    AtomicFiles.write(csv, measurementsCsv(sorted).getBytes(StandardCharsets.UTF_8));
    MeanShape.Accumulator acc = MeanShape.accumulator();
    for (BatchOutcome<Outcome> o : sorted) {
      if (o.ok() && o.value().quality().passed()) {
        acc.add(o.value().alignedLandmarks());
      }
    }
    MeanShape mean = acc.count() > 0 ? acc.mean() : null;
    Path meanFile = outDir.resolve(MEAN_SHAPE_FILE);
    if (mean != null) {
      AtomicFiles.write(meanFile, landmarksCsv(mean.landmarks()).getBytes(StandardCharsets.UTF_8));
    } else {
      // A stale mean of an earlier run's thresholds would be taken for this run's.
      Files.deleteIfExists(meanFile);
    }
    return new Report(batch, csv, mean);
  }

  /**
   * What {@link #writeReport} wrote, with counts by filter.
   *
   * @param batch the run's summary
   * @param measurements the measurements CSV
   * @param meanShape mean aligned landmarks of the photos that passed every filter, null if none
   */
  public record Report(BatchSummary<Outcome> batch, Path measurements, MeanShape meanShape) {

    /** Photos that passed the pose filter. */
    public int passedPose() {
      return count(q -> q.pose().passed());
    }

    /** Photos that passed the blur filter. */
    public int passedBlur() {
      return count(q -> q.blur().passed());
    }

    /** Photos that passed the monochrome filter. */
    public int passedMonochrome() {
      return count(q -> q.monochrome().passed());
    }

    /** Photos that passed the expression filter. */
    public int passedExpression() {
      return count(q -> q.expression().passed());
    }

    /** Photos that passed every filter. */
    public int passed() {
      return count(QualityReport::passed);
    }

    private int count(Predicate<QualityReport> p) {
      return (int)
          batch.outcomes().stream().filter(o -> o.ok() && p.test(o.value().quality())).count();
    }
  }

  private static String toJson(String name, FacePreparer.Prepared p) {
    StringBuilder b = new StringBuilder(8192);
    b.append("{\n  \"photo\": ").append(Json.quote(name)).append(",\n");
    FaceBox box = p.box();
    b.append("  \"box\": {\"left\": ")
        .append(Json.number(box.left()))
        .append(", \"top\": ")
        .append(Json.number(box.top()))
        .append(", \"width\": ")
        .append(Json.number(box.width()))
        .append(", \"height\": ")
        .append(Json.number(box.height()))
        .append("},\n");
    SimilarityTransform t = p.aligned().transform();
    b.append("  \"transform\": {\"a\": ")
        .append(Json.number(t.a()))
        .append(", \"b\": ")
        .append(Json.number(t.b()))
        .append(", \"tx\": ")
        .append(Json.number(t.tx()))
        .append(", \"ty\": ")
        .append(Json.number(t.ty()))
        .append("},\n");
    FaceImage img = p.aligned().image();
    b.append("  \"size\": [").append(img.width()).append(", ").append(img.height()).append("],\n");
    QualityReport q = p.quality();
    HeadPose hp = q.pose().headPose();
    b.append("  \"measurements\": {")
        .append("\"yaw\": ")
        .append(Json.number(hp.yaw()))
        .append(", \"pitch\": ")
        .append(Json.number(hp.pitch()))
        .append(", \"roll\": ")
        .append(Json.number(hp.roll()))
        .append(", \"sharpness\": ")
        .append(Json.number(q.blur().sharpness()))
        .append(", \"colorfulness\": ")
        .append(Json.number(q.monochrome().colorfulness()))
        .append(", \"mouthOpening\": ")
        .append(Json.number(q.expression().mouthOpening()))
        .append(", \"mouthWidth\": ")
        .append(Json.number(q.expression().mouthWidth()))
        .append("},\n");
    b.append("  \"landmarks\": ");
    appendPoints(b, p.aligned().landmarks());
    b.append(",\n  \"photoLandmarks\": ");
    appendPoints(b, p.photoLandmarks());
    b.append("\n}\n");
    return b.toString();
  }

  private static void appendPoints(StringBuilder b, Landmarks l) {
    b.append('[');
    for (int i = 0; i < Landmarks.COUNT; i++) {
      b.append(i == 0 ? "" : ", ")
          .append('[')
          .append(Json.number(l.x(i)))
          .append(", ")
          .append(Json.number(l.y(i)))
          .append(']');
    }
    b.append(']');
  }

  private Outcome readOutcome(Path json) throws IOException {
    Object root = Json.read(json); // size- and depth-bounded: a bomb is re-done, not a crash
    if (!(root instanceof Map<?, ?> m) || !(m.get("measurements") instanceof Map<?, ?> q)) {
      throw new IOException(json + ": no \"measurements\" object");
    }
    HeadPose pose = new HeadPose(num(q, "yaw"), num(q, "pitch"), num(q, "roll"));
    QualityReport report =
        preparer
            .filters()
            .judge(
                pose,
                num(q, "sharpness"),
                num(q, "colorfulness"),
                num(q, "mouthOpening"),
                num(q, "mouthWidth"));
    if (!(m.get("landmarks") instanceof List<?> pts) || pts.size() != Landmarks.COUNT) {
      throw new IOException(json + ": \"landmarks\" is not a list of 68 points");
    }
    double[] xy = new double[2 * Landmarks.COUNT];
    for (int i = 0; i < Landmarks.COUNT; i++) {
      if (!(pts.get(i) instanceof List<?> pt)
          || pt.size() != 2
          || !(pt.get(0) instanceof Double x)
          || !(pt.get(1) instanceof Double y)) {
        throw new IOException(json + ": landmark " + i + " is not [x, y]");
      }
      xy[2 * i] = x;
      xy[2 * i + 1] = y;
    }
    return new Outcome(report, Landmarks.of(xy));
  }

  private static double num(Map<?, ?> m, String key) throws IOException {
    if (!(m.get(key) instanceof Double d)) {
      throw new IOException("measurement \"" + key + "\" missing or not a number");
    }
    return d;
  }

  private static String measurementsCsv(List<BatchOutcome<Outcome>> rows) {
    StringBuilder b = new StringBuilder(CSV_HEADER).append('\n');
    for (BatchOutcome<Outcome> o : rows) {
      b.append(BatchRunner.csvField(o.item().name())).append(',');
      if (!o.ok()) {
        b.append("error,,,,,,,,,,,,,").append(BatchRunner.csvField(o.error())).append('\n');
        continue;
      }
      QualityReport q = o.value().quality();
      HeadPose p = q.pose().headPose();
      b.append(q.passed() ? "passed" : "rejected")
          .append(
              String.format(
                  Locale.ROOT,
                  ",%.3f,%.3f,%.3f,%.2f,%.5f,%.4f,%.4f,%b,%b,%b,%b,%b,",
                  p.yaw(),
                  p.pitch(),
                  p.roll(),
                  q.blur().sharpness(),
                  q.monochrome().colorfulness(),
                  q.expression().mouthOpening(),
                  q.expression().mouthWidth(),
                  q.pose().passed(),
                  q.blur().passed(),
                  q.monochrome().passed(),
                  q.expression().passed(),
                  q.passed()))
          .append('\n');
    }
    return b.toString();
  }

  private static String landmarksCsv(Landmarks l) {
    StringBuilder b = new StringBuilder("x,y\n");
    for (int i = 0; i < Landmarks.COUNT; i++) {
      b.append(Json.number(l.x(i))).append(',').append(Json.number(l.y(i))).append('\n');
    }
    return b.toString();
  }

  /** The per-photo step. */
  public FacePreparer preparer() {
    return preparer;
  }

  @Override
  public String toString() {
    return "PrepareStep{" + preparer + "}";
  }
}
