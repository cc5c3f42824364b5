package io.github.facenorm.cli;

import io.github.facenorm.core.FaceImage;
import io.github.facenorm.core.Landmarks;
import io.github.facenorm.core.PhotoAdjustment;
import io.github.facenorm.core.batch.BatchInputs;
import io.github.facenorm.core.batch.BatchItem;
import io.github.facenorm.core.batch.BatchProgress;
import io.github.facenorm.core.batch.BatchRunner;
import io.github.facenorm.core.batch.BatchStep;
import io.github.facenorm.core.batch.BatchSummary;
import io.github.facenorm.core.internal.ImageCodec;
import io.github.facenorm.core.internal.Json;
import io.github.facenorm.models.eval.LfwPairs;
import io.github.facenorm.models.eval.NormalizationEvaluation;
import io.github.facenorm.models.eval.PhotoId;
import io.github.facenorm.models.eval.VerificationPair;
import io.github.facenorm.models.nets.FaceRecognitionNet;
import io.github.facenorm.models.normalize.FaceNormalizer;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code facenorm evaluate}: the paper's Sec. 7 on real photos ({@link NormalizationEvaluation}):
 * identity preservation, normalization spread, frontality and pair verification of a model, with
 * the Fig. 8 baseline (2-D frontalization by warping alone) and the Sec. 7.4 photo adjustment. Per
 * photo it writes the images and a JSON of its measurements (resumable, on the shared batch
 * runner); then one HTML report ({@link EvaluationReport}) with charts and CSVs beside it.
 */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {
      "Measure a normalizer (paper Sec. 7): input -> output identity distance (128-D descriptor,"
          + " threshold 0.6), spread of a person's outputs vs of their photos, frontality of the"
          + " outputs, LFW pair verification on photos vs on normalized faces (ROC, AUC), the"
          + " Fig. 8 baseline (the photo warped to the mean face) and the Sec. 7.4 photo"
          + " adjustment.",
      "Writes <out>/index.html (open it in a browser) with its images and CSVs beside it,"
          + " <out>/faces/<person>/<photo>.*.png and .json, <out>/photos.csv, <out>/summary.md"
          + " and <out>/grid.png. Re-running resumes."
    })
final class EvaluateCommand implements Callable<Integer>, FacenormCli.TerminalAware {

  @Spec CommandSpec spec;

  private boolean terminal;

  @Option(names = "--model", description = "a model folder (default: the shipped model)")
  Path model;

  @Option(names = "--photos", required = true, description = "photos, one folder per person")
  Path photos;

  @Option(names = "--people", description = "a file listing the persons (folder names) to use")
  Path people;

  @Option(
      names = "--min-photos",
      defaultValue = "1",
      description = "use only persons with at least this many photos (default 1)")
  int minPhotos;

  @Option(
      names = "--include",
      description = "use only photos whose file name matches this glob, e.g. '*_08.jpg'")
  String include;

  @Option(names = "--pairs", description = "LFW pairs file (pairsDevTrain.txt format)")
  Path pairs;

  @Option(names = "--pair-stride", defaultValue = "1", description = "use every k-th pair")
  int pairStride;

  @Option(
      names = "--report-photos",
      defaultValue = "60",
      description = "photos shown one by one in the report (default 60; all numbers are in CSV)")
  int reportPhotos;

  @Option(names = "--out", required = true, description = "report folder")
  Path out;

  @Option(
      names = "--label",
      defaultValue = "this model",
      description = "this report's model's name in the ablation table (default: ${DEFAULT-VALUE})")
  String label;

  @Option(
      names = "--compare",
      paramLabel = "LABEL=REPORT_DIR",
      description =
          "show another facenorm evaluate report of the same photos (another model: an ablation)"
              + " side by side with this one; repeatable")
  Map<String, Path> compare = new LinkedHashMap<>();

  @Override
  public void terminal(boolean terminal) {
    this.terminal = terminal;
  }

  /** The files every photo writes, the measurements JSON last (it marks the photo done). */
  static final List<String> OUTPUTS =
      List.of(
          ".input.jpg",
          ".aligned.png",
          ".texture.png",
          ".png",
          ".frontalized.png",
          ".adjusted.png",
          ".json");

  /** Longest side of the input copy kept beside the report, px. */
  static final int INPUT_COPY_SIDE = 256;

  /** Per-photo step: the report's images and the measurements JSON. */
  static final class Step implements BatchStep<NormalizationEvaluation.Measure> {
    private final FaceNormalizer normalizer;
    private final FaceRecognitionNet encoder;

    Step(FaceNormalizer normalizer, FaceRecognitionNet encoder) {
      this.normalizer = normalizer;
      this.encoder = encoder;
    }

    @Override
    public List<String> outputExtensions() {
      return OUTPUTS;
    }

    @Override
    public Result<NormalizationEvaluation.Measure> process(BatchItem item) throws Exception {
      String person = person(item);
      FaceImage photo = FaceImage.read(item.source());
      NormalizationEvaluation.Measured m =
          NormalizationEvaluation.measure(normalizer, encoder, photo, person, item.name());
      NormalizationEvaluation.Measure x = m.measure();
      PhotoAdjustment adj = m.adjustment();
      String json =
          "{\"person\": "
              + Json.quote(x.person())
              + ", \"photo\": "
              + Json.quote(x.photo())
              + ", \"distance\": "
              + Json.number(x.distance())
              + ", \"frontalizedDistance\": "
              + Json.number(x.frontalizedDistance())
              + ", \"yaw\": "
              + Json.number(x.yaw())
              + ", \"roll\": "
              + Json.number(x.roll())
              + ", \"adjustment\": {\"photoMean\": "
              + doubles(adj.photoMean())
              + ", \"targetMean\": "
              + doubles(adj.targetMean())
              + "}, \"input\": "
              + floats(x.input())
              + ", \"output\": "
              + floats(x.output())
              + ", \"frontalized\": "
              + floats(x.frontalized())
              + "}\n";
      return new Result<>(
          x,
          List.of(
              ImageCodec.encode(shrink(photo.toBufferedImage(), INPUT_COPY_SIDE), "jpeg"),
              png(m.aligned().image().toBufferedImage()),
              png(
                  drawLandmarks(
                      m.face().texture().toBufferedImage(),
                      normalizer.model().meanLandmarks(),
                      m.face().landmarks())),
              png(m.face().image().toBufferedImage()),
              png(m.frontalized().toBufferedImage()),
              png(adj.apply(m.aligned().image()).toBufferedImage()),
              json.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public NormalizationEvaluation.Measure resume(BatchItem item, List<Path> outputs)
        throws Exception {
      return readMeasure(outputs.get(outputs.size() - 1));
    }

    /**
     * Reads a photo's measurements JSON.
     *
     * @param json the file
     * @return the measurements
     * @throws java.io.IOException if it is unreadable or not a measurements JSON
     */
    static NormalizationEvaluation.Measure readMeasure(Path json) throws java.io.IOException {
      Map<String, Object> o;
      try {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) Json.read(json);
        o = m;
      } catch (ClassCastException e) {
        throw new java.io.IOException(json + ": not a measurements JSON object", e);
      }
      return new NormalizationEvaluation.Measure(
          (String) o.get("person"),
          (String) o.get("photo"),
          toFloats(o.get("input")),
          toFloats(o.get("output")),
          toFloats(o.get("frontalized")),
          ((Number) o.get("yaw")).doubleValue(),
          ((Number) o.get("roll")).doubleValue());
    }

    private static byte[] png(BufferedImage img) throws java.io.IOException {
      return ImageCodec.encode(img, "png");
    }

    private static String floats(float[] v) {
      StringBuilder b = new StringBuilder("[");
      for (int i = 0; i < v.length; i++) {
        b.append(i > 0 ? ", " : "").append(Float.toString(v[i]));
      }
      return b.append(']').toString();
    }

    private static String doubles(double[] v) {
      StringBuilder b = new StringBuilder("[");
      for (int i = 0; i < v.length; i++) {
        b.append(i > 0 ? ", " : "").append(Json.number(v[i]));
      }
      return b.append(']').toString();
    }

    private static float[] toFloats(Object o) {
      if (!(o instanceof List<?> l)) {
        throw new IllegalArgumentException("expected a number array, got " + o);
      }
      float[] v = new float[l.size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = ((Number) l.get(i)).floatValue();
      }
      return v;
    }
  }

  /**
   * The texture drawn at 2× with the model's mean landmarks (green: where the texture's features
   * sit) and the predicted landmarks (red: where the warp moves them), joined by thin lines.
   */
  static BufferedImage drawLandmarks(BufferedImage texture, Landmarks mean, Landmarks predicted) {
    int scale = 2;
    int w = texture.getWidth() * scale;
    int h = texture.getHeight() * scale;
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(
        RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.drawImage(texture, 0, 0, w, h, null);
    g.setStroke(new BasicStroke(1f));
    // Pixel centers: landmark (x, y) is at ((x + 0.5) · scale, (y + 0.5) · scale).
    for (int i = 0; i < Landmarks.COUNT; i++) {
      double mx = (mean.x(i) + 0.5) * scale;
      double my = (mean.y(i) + 0.5) * scale;
      double px = (predicted.x(i) + 0.5) * scale;
      double py = (predicted.y(i) + 0.5) * scale;
      g.setColor(new Color(255, 255, 0, 160));
      g.draw(new Line2D.Double(mx, my, px, py));
      g.setColor(new Color(0, 200, 0));
      g.fill(new Ellipse2D.Double(mx - 1.5, my - 1.5, 3, 3));
      g.setColor(new Color(230, 0, 0));
      g.fill(new Ellipse2D.Double(px - 2, py - 2, 4, 4));
    }
    g.dispose();
    return out;
  }

  private static BufferedImage shrink(BufferedImage img, int side) {
    int w = img.getWidth();
    int h = img.getHeight();
    double s = Math.min(1.0, side / (double) Math.max(w, h));
    int nw = Math.max(1, (int) Math.round(w * s));
    int nh = Math.max(1, (int) Math.round(h * s));
    BufferedImage out = new BufferedImage(nw, nh, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(
        RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
    g.drawImage(img, 0, 0, nw, nh, null);
    g.dispose();
    return out;
  }

  /** The photo's person: its folder under {@code --photos}, {@code ""} for top-level photos. */
  static String person(BatchItem item) {
    String n = item.name().replace('\\', '/');
    int slash = n.indexOf('/');
    return slash > 0 ? n.substring(0, slash) : "";
  }

  @Override
  public Integer call() throws Exception {
    if (pairStride < 1) {
      throw new IllegalArgumentException("--pair-stride: expected at least 1, got " + pairStride);
    }
    if (minPhotos < 1) {
      throw new IllegalArgumentException("--min-photos: expected at least 1, got " + minPhotos);
    }
    if (reportPhotos < 0) {
      throw new IllegalArgumentException(
          "--report-photos: expected 0 or more, got " + reportPhotos);
    }
    if (!Files.isDirectory(photos)) {
      throw new IllegalArgumentException("--photos: " + photos + " is not a folder");
    }
    PathMatcher glob;
    try {
      glob = include == null ? null : FileSystems.getDefault().getPathMatcher("glob:" + include);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--include: not a glob: " + e.getMessage(), e);
    }
    Set<String> chosen = null;
    if (people != null) {
      chosen = new HashSet<>();
      for (String line : Files.readAllLines(people, StandardCharsets.UTF_8)) {
        if (!line.isBlank() && !line.startsWith("#")) {
          chosen.add(line.trim());
        }
      }
    }
    List<VerificationPair> pairList = List.of();
    Set<String> pairPhotos = new HashSet<>();
    if (pairs != null) {
      pairList = LfwPairs.everyNth(LfwPairs.read(pairs), pairStride);
      for (PhotoId id : LfwPairs.photos(pairList)) {
        pairPhotos.add(id.relativePath().replace('\\', '/'));
      }
    }
    List<BatchItem> listed = new ArrayList<>();
    Map<String, Integer> perPerson = new LinkedHashMap<>();
    for (BatchItem it : BatchInputs.list(List.of(photos), BatchInputs.IMAGE_EXTENSIONS, out)) {
      Path file = it.source().getFileName();
      if (glob != null && (file == null || !glob.matches(file))) {
        continue;
      }
      listed.add(it);
      perPerson.merge(person(it), 1, Integer::sum);
    }
    // The persons measured: listed (or all), with enough photos; pair photos come on top.
    Set<String> measured = new HashSet<>();
    for (Map.Entry<String, Integer> e : perPerson.entrySet()) {
      if ((chosen == null || chosen.contains(e.getKey())) && e.getValue() >= minPhotos) {
        measured.add(e.getKey());
      }
    }
    boolean onlyPairs = pairs != null && chosen == null && minPhotos == 1;
    List<BatchItem> items = new ArrayList<>();
    for (BatchItem it : listed) {
      String name = it.name().replace('\\', '/');
      if ((!onlyPairs && measured.contains(person(it))) || pairPhotos.contains(name)) {
        items.add(it);
      }
    }
    if (items.isEmpty()) {
      throw new IllegalArgumentException(
          "no photos selected under "
              + photos
              + (include != null ? " matching --include " + include : "")
              + (minPhotos > 1 ? " of persons with at least " + minPhotos + " photos" : ""));
    }
    Map<String, Path> compared = ModelComparison.check(compare);
    Path faces = out.resolve("faces");
    BatchRunner.prepareOutputFolder(faces);
    FaceRecognitionNet encoder = FaceRecognitionNet.load();
    FaceNormalizer.Builder b = FaceNormalizer.builder().encoder(encoder.pooledFeatureEncoder());
    if (model != null) {
      b.model(model);
    }
    FaceNormalizer normalizer = b.build();
    PrintWriter err = spec.commandLine().getErr();
    err.printf(Locale.ROOT, "facenorm evaluate: %d photos -> %s%n", items.size(), out);
    err.flush();
    BatchProgress.Printer line = BatchProgress.printer(err, terminal, "facenorm evaluate");
    BatchSummary<NormalizationEvaluation.Measure> s =
        BatchRunner.of(new Step(normalizer, encoder), 1).run(items, faces, line);
    line.finish();

    EvaluationReport report =
        new EvaluationReport(
            out,
            faces,
            photos,
            model,
            normalizer.model(),
            String.join(" ", spec.commandLine().getParseResult().originalArgs())
                .replaceFirst("^evaluate ", ""),
            onlyPairs ? null : measured,
            pairList,
            reportPhotos,
            label,
            compared);
    EvaluationReport.Numbers n = report.write(s);
    if (n.summary() != null) {
      err.println("facenorm evaluate: " + n.summary());
    }
    if (n.pairsScored() > 0) {
      err.printf(
          Locale.ROOT,
          "facenorm evaluate: pairs at 0.6: photos %.4f, normalized %.4f (%d pairs); AUC %.4f ->"
              + " %.4f%n",
          n.rawAccuracy(),
          n.normalizedAccuracy(),
          n.pairsScored(),
          n.rawAuc(),
          n.normalizedAuc());
    }
    err.printf(
        Locale.ROOT,
        "facenorm evaluate: report %s (%d measured, %d failed%s)%n",
        out.resolve(EvaluationReport.INDEX),
        s.succeeded(),
        s.failed(),
        s.failed() > 0 ? "; reasons in " + s.failures() : "");
    err.flush();
    return s.succeeded() > 0 ? 0 : FacenormCli.FAILED;
  }
}
