package io.github.facenorm.cli;

import io.github.facenorm.core.FaceImage;
import io.github.facenorm.core.batch.BatchInputs;
import io.github.facenorm.core.batch.BatchItem;
import io.github.facenorm.core.batch.BatchOutcome;
import io.github.facenorm.core.batch.BatchProgress;
import io.github.facenorm.core.batch.BatchRunner;
import io.github.facenorm.core.batch.BatchStep;
import io.github.facenorm.core.batch.BatchSummary;
import io.github.facenorm.core.internal.AtomicFiles;
import io.github.facenorm.core.internal.ImageCodec;
import io.github.facenorm.core.internal.Json;
import io.github.facenorm.models.eval.LfwPairs;
import io.github.facenorm.models.eval.NormalizationEvaluation;
import io.github.facenorm.models.eval.PhotoId;
import io.github.facenorm.models.eval.VerificationPair;
import io.github.facenorm.models.nets.FaceRecognitionNet;
import io.github.facenorm.models.normalize.FaceNormalizer;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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
 * {@code facenorm evaluate}: identity preservation, normalization spread, frontality and pair
 * verification of a model on photos in one folder per person ({@link NormalizationEvaluation}). Per
 * photo it writes the normalized face and a JSON of its measurements (resumable, on the shared
 * batch runner); then {@code summary.md}, {@code photos.csv} and a contact sheet.
 */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {
      "Measure a normalizer (paper Sec. 7): input -> output identity distance (128-D descriptor,"
          + " threshold 0.6), spread of a person's outputs vs of their photos, frontality of the"
          + " outputs, and LFW pair verification on photos vs on normalized faces.",
      "Writes <out>/faces/<person>/<photo>.png and .json, <out>/photos.csv, <out>/summary.md and"
          + " <out>/grid.png. Re-running resumes."
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

  @Option(names = "--pairs", description = "LFW pairs file (pairsDevTrain.txt format)")
  Path pairs;

  @Option(names = "--pair-stride", defaultValue = "1", description = "use every k-th pair")
  int pairStride;

  @Option(names = "--out", required = true, description = "report folder")
  Path out;

  @Override
  public void terminal(boolean terminal) {
    this.terminal = terminal;
  }

  /** Per-photo step: normalized face PNG + measurements JSON. */
  static final class Step implements BatchStep<NormalizationEvaluation.Measure> {
    private final FaceNormalizer normalizer;
    private final FaceRecognitionNet encoder;

    Step(FaceNormalizer normalizer, FaceRecognitionNet encoder) {
      this.normalizer = normalizer;
      this.encoder = encoder;
    }

    @Override
    public List<String> outputExtensions() {
      return List.of(".png", ".json");
    }

    @Override
    public Result<NormalizationEvaluation.Measure> process(BatchItem item) throws Exception {
      String person = person(item);
      NormalizationEvaluation.Measured m =
          NormalizationEvaluation.measure(
              normalizer, encoder, FaceImage.read(item.source()), person, item.name());
      NormalizationEvaluation.Measure x = m.measure();
      String json =
          "{\"person\": "
              + Json.quote(x.person())
              + ", \"photo\": "
              + Json.quote(x.photo())
              + ", \"distance\": "
              + Json.number(x.distance())
              + ", \"yaw\": "
              + Json.number(x.yaw())
              + ", \"roll\": "
              + Json.number(x.roll())
              + ", \"input\": "
              + floats(x.input())
              + ", \"output\": "
              + floats(x.output())
              + "}\n";
      return new Result<>(
          x,
          List.of(
              ImageCodec.encode(m.face().image().toBufferedImage(), "png"),
              json.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public NormalizationEvaluation.Measure resume(BatchItem item, List<Path> outputs)
        throws Exception {
      @SuppressWarnings("unchecked")
      Map<String, Object> o = (Map<String, Object>) Json.read(outputs.get(1));
      return new NormalizationEvaluation.Measure(
          (String) o.get("person"),
          (String) o.get("photo"),
          toFloats(o.get("input")),
          toFloats(o.get("output")),
          ((Number) o.get("yaw")).doubleValue(),
          ((Number) o.get("roll")).doubleValue());
    }

    private static String floats(float[] v) {
      StringBuilder b = new StringBuilder("[");
      for (int i = 0; i < v.length; i++) {
        b.append(i > 0 ? ", " : "").append(Float.toString(v[i]));
      }
      return b.append(']').toString();
    }

    private static float[] toFloats(Object o) {
      List<?> l = (List<?>) o;
      float[] v = new float[l.size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = ((Number) l.get(i)).floatValue();
      }
      return v;
    }
  }

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
    if (!Files.isDirectory(photos)) {
      throw new IllegalArgumentException("--photos: " + photos + " is not a folder");
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
    Path faces = out.resolve("faces");
    List<BatchItem> items = new ArrayList<>();
    for (BatchItem it : BatchInputs.list(List.of(photos), BatchInputs.IMAGE_EXTENSIONS, out)) {
      String name = it.name().replace('\\', '/');
      if ((chosen != null && chosen.contains(person(it)))
          || pairPhotos.contains(name)
          || (chosen == null && pairs == null)) {
        items.add(it);
      }
    }
    if (items.isEmpty()) {
      throw new IllegalArgumentException("no photos selected under " + photos);
    }
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

    List<NormalizationEvaluation.Measure> chosenMeasures = new ArrayList<>();
    Map<PhotoId, float[]> raw = new HashMap<>();
    Map<PhotoId, float[]> normalized = new HashMap<>();
    StringBuilder csv = new StringBuilder("person,photo,distance,yaw,roll\n");
    List<BufferedImage[]> sheet = new ArrayList<>();
    for (BatchOutcome<NormalizationEvaluation.Measure> o : s.outcomes()) {
      if (!o.ok()) {
        continue;
      }
      NormalizationEvaluation.Measure m = o.value();
      csv.append(
          String.format(
              Locale.ROOT,
              "%s,%s,%.5f,%.3f,%.3f%n",
              BatchRunner.csvField(m.person()),
              BatchRunner.csvField(m.photo()),
              m.distance(),
              m.yaw(),
              m.roll()));
      if (chosen == null || chosen.contains(m.person())) {
        chosenMeasures.add(m);
        if (sheet.size() < 12) {
          Path png = o.item().output(faces, ".png");
          sheet.add(
              new BufferedImage[] {
                FaceImage.read(o.item().source()).toBufferedImage(),
                FaceImage.read(png).toBufferedImage()
              });
        }
      }
      PhotoId id = photoId(m.photo());
      if (id != null) {
        raw.put(id, m.input());
        normalized.put(id, m.output());
      }
    }
    AtomicFiles.writeString(out.resolve("photos.csv"), csv.toString());
    StringBuilder md = new StringBuilder("# facenorm evaluation\n\n");
    md.append("Model: ").append(model == null ? "shipped" : model.toString()).append("  \n");
    md.append("Photos: ")
        .append(photos)
        .append(people != null ? " (persons in " + people + ")" : "");
    md.append("  \n\n");
    if (!chosenMeasures.isEmpty()) {
      NormalizationEvaluation.Summary sum = NormalizationEvaluation.summarize(chosenMeasures);
      md.append("| measure | value |\n|---|---|\n");
      md.append(row("photos normalized", "%d (%d failed)", sum.photos(), s.failed()));
      md.append(
          row(
              "identity: input → output distance < 0.6",
              "%.1f %% (mean distance %.3f)",
              100 * sum.underThreshold(),
              sum.meanDistance()));
      md.append(
          row(
              "normalization: spread of outputs / spread of photos (people with ≥ 2 photos)",
              "%.3f / %.3f = %.3f (%d people)",
              sum.outputSpread(),
              sum.inputSpread(),
              sum.spreadRatio(),
              sum.people()));
      md.append(
          row(
              "frontal: \\|yaw\\| and \\|roll\\| ≤ 3° (output landmarks)",
              "%.1f %% (mean \\|yaw\\| %.2f°, \\|roll\\| %.2f°)",
              100 * sum.frontal(),
              sum.meanAbsYaw(),
              sum.meanAbsRoll()));
      err.println("facenorm evaluate: " + sum);
    }
    if (!pairList.isEmpty()) {
      double[] a = NormalizationEvaluation.verify(pairList, raw);
      double[] n = NormalizationEvaluation.verify(pairList, normalized);
      md.append(row("pair verification at 0.6, photos", "%.4f (%d pairs)", a[0], (int) a[1]));
      md.append(
          row("pair verification at 0.6, normalized faces", "%.4f (%d pairs)", n[0], (int) n[1]));
      err.printf(
          Locale.ROOT,
          "facenorm evaluate: pairs at 0.6: photos %.4f, normalized %.4f (%d pairs)%n",
          a[0],
          n[0],
          (int) n[1]);
    }
    AtomicFiles.writeString(out.resolve("summary.md"), md.toString());
    if (!sheet.isEmpty()) {
      NormalizeCommand.writeGrid(sheet, out.resolve("grid.png"));
    }
    err.flush();
    return s.succeeded() > 0 ? 0 : FacenormCli.FAILED;
  }

  private static String row(String what, String fmt, Object... args) {
    return "| " + what + " | " + String.format(Locale.ROOT, fmt, args) + " |\n";
  }

  private static PhotoId photoId(String name) {
    // LFW names: <Name>/<Name>_NNNN.jpg
    String n = name.replace('\\', '/');
    int slash = n.lastIndexOf('/');
    int us = n.lastIndexOf('_');
    int dot = n.lastIndexOf('.');
    if (slash <= 0 || us <= slash || dot <= us) {
      return null;
    }
    try {
      return new PhotoId(n.substring(0, slash), Integer.parseInt(n.substring(us + 1, dot)));
    } catch (RuntimeException e) {
      return null;
    }
  }
}
