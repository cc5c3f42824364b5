package io.github.facenorm.cli;

import io.github.facenorm.core.FaceImage;
import io.github.facenorm.core.batch.BatchItem;
import io.github.facenorm.core.batch.BatchOutcome;
import io.github.facenorm.core.batch.BatchRunner;
import io.github.facenorm.core.batch.BatchSummary;
import io.github.facenorm.core.internal.AtomicFiles;
import io.github.facenorm.models.eval.DistanceHistogram;
import io.github.facenorm.models.eval.NormalizationEvaluation;
import io.github.facenorm.models.eval.PairVerification;
import io.github.facenorm.models.eval.PhotoId;
import io.github.facenorm.models.eval.RocCurve;
import io.github.facenorm.models.eval.VerificationPair;
import io.github.facenorm.models.eval.VerificationResult;
import io.github.facenorm.models.normalize.NormalizerModel;
import io.github.facenorm.models.train.ModelCard;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The HTML report of {@code facenorm evaluate}: {@value #INDEX} with its charts (XChart PNGs) and
 * CSVs beside it, and the per-photo images the batch wrote under {@code faces/}; no script and no
 * outside resource, so the folder can be copied and opened anywhere. Also {@code summary.md},
 * {@code photos.csv} and {@code grid.png}.
 */
final class EvaluationReport {

  /** The report's page. */
  static final String INDEX = "index.html";

  /** Where the shipped model's documents are on the class path (beside its weights). */
  private static final String SHIPPED = "/io/github/facenorm/models/normalize/small/";

  /** Histogram bins of the identity distances: 0.05 wide, the last one open (≥ 1.45). */
  static final double BIN = 0.05;

  static final int BINS = 30;

  private final Path out;
  private final Path faces;
  private final Path photos;
  private final Path modelDir;
  private final NormalizerModel model;
  private final String command;
  private final Set<String> measuredPersons;
  private final List<VerificationPair> pairs;
  private final int reportPhotos;
  private final String label;
  private final Map<String, Path> compare;

  /**
   * The numbers the command prints.
   *
   * @param summary the summary of the measured persons' photos, null if none
   * @param pairsScored pairs whose two photos were measured
   * @param rawAccuracy pair accuracy at 0.6 on the photos
   * @param normalizedAccuracy the same on the normalized faces
   * @param rawAuc area under the ROC curve on the photos
   * @param normalizedAuc the same on the normalized faces
   */
  record Numbers(
      NormalizationEvaluation.Summary summary,
      int pairsScored,
      double rawAccuracy,
      double normalizedAccuracy,
      double rawAuc,
      double normalizedAuc) {}

  /** One measured photo and where its images are. */
  private record Row(BatchItem item, NormalizationEvaluation.Measure m, boolean heldOut) {}

  EvaluationReport(
      Path out,
      Path faces,
      Path photos,
      Path modelDir,
      NormalizerModel model,
      String command,
      Set<String> measuredPersons,
      List<VerificationPair> pairs,
      int reportPhotos,
      String label,
      Map<String, Path> compare) {
    this.out = out;
    this.faces = faces;
    this.photos = photos;
    this.modelDir = modelDir;
    this.model = model;
    this.command = command;
    this.measuredPersons = measuredPersons;
    this.pairs = pairs;
    this.reportPhotos = reportPhotos;
    this.label = label;
    this.compare = compare;
  }

  Numbers write(BatchSummary<NormalizationEvaluation.Measure> s) throws IOException {
    Set<String> heldOutList = readHeldOut();
    String root = photos.toAbsolutePath().normalize().getFileName().toString();
    List<Row> all = new ArrayList<>();
    List<BatchOutcome<NormalizationEvaluation.Measure>> failed = new ArrayList<>();
    for (BatchOutcome<NormalizationEvaluation.Measure> o : s.outcomes()) {
      if (o.ok()) {
        all.add(new Row(o.item(), o.value(), heldOutList.contains(heldOutKey(root, o.item()))));
      } else {
        failed.add(o);
      }
    }
    all.sort(Comparator.comparing(r -> r.item().name()));
    List<Row> rows = new ArrayList<>();
    for (Row r : all) {
      if (measuredPersons == null || measuredPersons.contains(r.m().person())) {
        rows.add(r);
      }
    }
    writePhotosCsv(all);

    Html h = new Html();
    h.head("facenorm evaluation");
    h.p(
        "Paper Sec. 7 (Cole et al., CVPR 2017) on real photos. Identity distance: L2 between the"
            + " recognition net's 128-D descriptors of dlib-style face chips of the photo and of"
            + " its normalized face; dlib's same-person threshold is "
            + NormalizationEvaluation.THRESHOLD
            + ". Command: <code>facenorm evaluate "
            + esc(command)
            + "</code>");
    h.raw("<nav>");
    for (String[] a :
        new String[][] {
          {"numbers", "Numbers"},
          {"fig12", "Fig. 12 histogram"},
          {"pairs", "Pair verification"},
          {"fig8", "Fig. 8 baseline"},
          {"adjust", "Sec. 7.4 adjustment"},
          {"photos", "Photos"},
          {"people", "People"},
          {"ablations", "Ablations"},
          {"failures", "Failures"},
          {"model", "Model"}
        }) {
      h.raw("<a href=\"#" + a[0] + "\">" + a[1] + "</a> ");
    }
    h.raw("</nav>\n");

    // ---------------------------------------------------------------- numbers
    h.h2("numbers", "Numbers");
    NormalizationEvaluation.Summary sum = null;
    Map<String, NormalizationEvaluation.Summary> summaries = new LinkedHashMap<>();
    if (!rows.isEmpty()) {
      sum = NormalizationEvaluation.summarize(rows.stream().map(Row::m).toList());
      summaries.put("all measured photos", sum);
      List<NormalizationEvaluation.Measure> held =
          rows.stream().filter(Row::heldOut).map(Row::m).toList();
      if (!held.isEmpty() && held.size() < rows.size()) {
        summaries.put(
            "persons held out of the model's training", NormalizationEvaluation.summarize(held));
        summaries.put(
            "persons the model was trained on",
            NormalizationEvaluation.summarize(
                rows.stream().filter(r -> !r.heldOut()).map(Row::m).toList()));
      }
      summaryTable(h, summaries, s.failed());
    } else {
      h.p("No photo of the measured persons was normalized.");
    }
    h.p(
        "Held out: the persons listed in the model's <code>"
            + ModelCard.HELD_OUT
            + "</code> ("
            + (heldOutList.isEmpty() ? "none found" : heldOutList.size() + " persons")
            + "); every other person of these collections may have been in its training data, so"
            + " read the held-out rows for how it does on people it never saw.");

    // ---------------------------------------------------------------- Fig. 12
    h.h2("fig12", "Fig. 12: input → output identity distance");
    if (!rows.isEmpty()) {
      double[] dn = rows.stream().mapToDouble(r -> r.m().distance()).toArray();
      double[] df = rows.stream().mapToDouble(r -> r.m().frontalizedDistance()).toArray();
      DistanceHistogram hn = DistanceHistogram.of(dn, BIN, BINS, NormalizationEvaluation.THRESHOLD);
      DistanceHistogram hf = DistanceHistogram.of(df, BIN, BINS, NormalizationEvaluation.THRESHOLD);
      writeHistogramCsv(hn, hf);
      AtomicFiles.write(
          out.resolve("identity-histogram.png"),
          ReportCharts.histogram(
              "Input → output identity distance (" + rows.size() + " photos)",
              List.of(
                  new ReportCharts.Bars(
                      String.format(
                          Locale.ROOT, "normalized (%.1f %% < 0.6)", 100 * hn.underThreshold()),
                      hn),
                  new ReportCharts.Bars(
                      String.format(
                          Locale.ROOT,
                          "2-D frontalization, warp only (%.1f %% < 0.6)",
                          100 * hf.underThreshold()),
                      hf)),
              NormalizationEvaluation.THRESHOLD));
      h.raw(
          "<img src=\"identity-histogram.png\" width=\"720\" height=\"420\" alt=\"histogram of"
              + " input to output identity distances\">\n");
      h.p(
          String.format(
              Locale.ROOT,
              "%.1f %% of the normalized faces are under the threshold %.1f (mean distance %.3f);"
                  + " %.1f %% of the 2-D frontalizations (mean %.3f). Bins of %.2f, the last one"
                  + " open. Data: <a href=\"identity-histogram.csv\">identity-histogram.csv</a>;"
                  + " per photo: <a href=\"photos.csv\">photos.csv</a>. The paper's Fig. 12 also"
                  + " shows a model trained without the identity loss: see Ablations.",
              100 * hn.underThreshold(),
              NormalizationEvaluation.THRESHOLD,
              sum.meanDistance(),
              100 * hf.underThreshold(),
              sum.meanFrontalizedDistance(),
              BIN));
    }

    // ---------------------------------------------------------------- pairs
    h.h2("pairs", "Pair verification: photos vs normalized faces");
    Numbers numbers = new Numbers(sum, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    if (pairs.isEmpty()) {
      h.p("No pairs file was given (<code>--pairs</code>).");
    } else {
      Map<PhotoId, float[]> raw = new HashMap<>();
      Map<PhotoId, float[]> norm = new HashMap<>();
      Map<PhotoId, float[]> front = new HashMap<>();
      Set<String> heldPersons = new HashSet<>();
      for (Row r : all) {
        PhotoId id = photoId(r.m().photo());
        if (id != null) {
          raw.put(id, r.m().input());
          norm.put(id, r.m().output());
          front.put(id, r.m().frontalized());
          if (r.heldOut()) {
            heldPersons.add(id.name());
          }
        }
      }
      List<VerificationPair> heldPairs =
          pairs.stream()
              .filter(
                  p ->
                      heldPersons.contains(p.first().name())
                          && heldPersons.contains(p.second().name()))
              .toList();
      Map<String, List<VerificationPair>> sets = new LinkedHashMap<>();
      sets.put("all pairs", pairs);
      if (!heldPairs.isEmpty() && heldPairs.size() < pairs.size()) {
        sets.put("pairs of held-out persons", heldPairs);
      }
      h.raw(
          "<table><tr><th>pairs</th><th>descriptors of</th><th>scored (same / different)</th>"
              + "<th>accuracy at 0.6</th><th>best accuracy (threshold)</th><th>AUC</th></tr>\n");
      StringBuilder csv = new StringBuilder("pairs,descriptors,threshold,fpr,tpr\n");
      List<ReportCharts.Curve> curves = new ArrayList<>();
      for (Map.Entry<String, List<VerificationPair>> set : sets.entrySet()) {
        String[] names = {"photos", "normalized faces", "2-D frontalizations"};
        List<Map<PhotoId, float[]>> maps = List.of(raw, norm, front);
        for (int k = 0; k < 3; k++) {
          List<VerificationResult.ScoredPair> sc =
              NormalizationEvaluation.score(set.getValue(), maps.get(k));
          Verification v = verification(sc);
          h.raw(
              "<tr><td>"
                  + esc(set.getKey())
                  + "</td><td>"
                  + names[k]
                  + "</td><td>"
                  + v.same
                  + " / "
                  + v.different
                  + "</td><td>"
                  + fmt("%.4f", v.accuracy)
                  + "</td><td>"
                  + fmt("%.4f (%.3f)", v.bestAccuracy, v.bestThreshold)
                  + "</td><td>"
                  + fmt("%.4f", v.roc == null ? Double.NaN : v.roc.auc())
                  + "</td></tr>\n");
          if (v.roc != null) {
            if (set.getKey().equals("all pairs")) {
              curves.add(
                  new ReportCharts.Curve(
                      String.format(Locale.ROOT, "%s (AUC %.3f)", names[k], v.roc.auc()), v.roc));
            }
            for (RocCurve.Point p : v.roc.points()) {
              csv.append(
                  String.format(
                      Locale.ROOT,
                      "%s,%s,%.6f,%.6f,%.6f%n",
                      set.getKey(),
                      names[k],
                      p.threshold(),
                      p.falsePositiveRate(),
                      p.truePositiveRate()));
            }
          }
          if (set.getKey().equals("all pairs")) {
            if (k == 0) {
              numbers =
                  new Numbers(
                      sum,
                      v.same + v.different,
                      v.accuracy,
                      Double.NaN,
                      v.roc == null ? Double.NaN : v.roc.auc(),
                      Double.NaN);
            } else if (k == 1) {
              numbers =
                  new Numbers(
                      sum,
                      numbers.pairsScored(),
                      numbers.rawAccuracy(),
                      v.accuracy,
                      numbers.rawAuc(),
                      v.roc == null ? Double.NaN : v.roc.auc());
            }
          }
        }
      }
      h.raw("</table>\n");
      AtomicFiles.writeString(out.resolve("roc.csv"), csv.toString());
      if (!curves.isEmpty()) {
        AtomicFiles.write(
            out.resolve("roc.png"),
            ReportCharts.roc("ROC, " + numbers.pairsScored() + " pairs", curves));
        h.raw("<img src=\"roc.png\" width=\"560\" height=\"520\" alt=\"ROC curves\">\n");
      }
      h.p(
          pairs.size()
              + " pairs given; a pair is scored when both of its photos were normalized. Same"
              + " person when the distance is below the threshold. The best accuracy is chosen on"
              + " the same pairs (optimistic). Curves: <a href=\"roc.csv\">roc.csv</a>.");
    }

    // ---------------------------------------------------------------- Fig. 8
    h.h2("fig8", "Fig. 8: warping alone vs the normalizer");
    h.p(
        "Rows: the photo, its 2-D frontalization (the aligned photo warped from its landmarks to"
            + " the model's mean landmarks with the same spline warp: what warping alone can do,"
            + " in the spirit of the paper's comparison with Hassner et al.), and the normalized"
            + " face. Warping straightens the geometry but keeps occlusions, lighting and"
            + " expression.");
    List<Row> fig8 = fig8Photos(rows);
    if (!fig8.isEmpty()) {
      h.raw("<table class=\"grid\"><tr><th></th>");
      for (Row r : fig8) {
        h.raw("<th>" + esc(r.m().person().isEmpty() ? r.item().stem() : r.m().person()) + "</th>");
      }
      h.raw("</tr>");
      for (String[] kind :
          new String[][] {
            {".input.jpg", "photo"}, {".frontalized.png", "warp only"}, {".png", "normalized"}
          }) {
        h.raw("<tr><th>" + kind[1] + "</th>");
        for (Row r : fig8) {
          h.raw("<td>" + img(r, kind[0], 128) + "</td>");
        }
        h.raw("</tr>");
      }
      h.raw("</table>\n");
    }

    // ---------------------------------------------------------------- Sec. 7.4
    h.h2("adjust", "Sec. 7.4: automatic exposure and white balance");
    h.p(
        "The aligned photo's central box (100/224 of the frame) is given the mean color of the"
            + " normalized face's, per channel, by a piecewise-linear map through (0, 0), (m_P,"
            + " m_N) and (1, 1) (core's PhotoAdjustment). Rows: aligned photo, adjusted, the"
            + " normalized face it took its colors from.");
    List<Row> adj = sample(rows, reportPhotos == 0 ? 0 : 10);
    if (!adj.isEmpty()) {
      h.raw("<table class=\"grid\">");
      for (String[] kind :
          new String[][] {
            {".aligned.png", "before"}, {".adjusted.png", "after"}, {".png", "normalized"}
          }) {
        h.raw("<tr><th>" + kind[1] + "</th>");
        for (Row r : adj) {
          h.raw("<td>" + img(r, kind[0], 112) + "</td>");
        }
        h.raw("</tr>");
      }
      h.raw("</table>\n");
    }

    // ---------------------------------------------------------------- photos
    h.h2("photos", "Photos");
    List<Row> shown = sample(rows, reportPhotos);
    h.p(
        shown.size()
            + " of "
            + rows.size()
            + " measured photos, evenly spaced in name order (all of them in"
            + " <a href=\"photos.csv\">photos.csv</a>). Texture: the predicted texture in the mean"
            + " geometry, green the mean landmarks, red the predicted ones the warp moves them"
            + " to.");
    photoTable(h, shown);
    List<Row> worst = new ArrayList<>(rows);
    worst.sort(Comparator.comparingDouble((Row r) -> r.m().distance()).reversed());
    worst = worst.subList(0, Math.min(Math.min(8, reportPhotos), worst.size()));
    if (!worst.isEmpty()) {
      h.raw("<h3>Largest input → output distances</h3>\n");
      photoTable(h, worst);
    }

    // ---------------------------------------------------------------- people
    h.h2("people", "People: spread of outputs vs inputs");
    Map<String, List<NormalizationEvaluation.Measure>> byPerson = new TreeMap<>();
    for (Row r : rows) {
      if (!r.m().person().isEmpty()) {
        byPerson.computeIfAbsent(r.m().person(), k -> new ArrayList<>()).add(r.m());
      }
    }
    h.p(
        "Mean pairwise descriptor distance between a person's photos, between their normalized"
            + " faces and between their 2-D frontalizations; a ratio below 1 means the normalized"
            + " faces of a person agree more than the photos do (the paper's aim).");
    h.raw(
        "<table><tr><th>person</th><th>photos</th><th>photos' spread</th><th>outputs'"
            + " spread</th><th>ratio</th><th>frontalizations' spread</th></tr>\n");
    int listed = 0;
    for (Map.Entry<String, List<NormalizationEvaluation.Measure>> e : byPerson.entrySet()) {
      NormalizationEvaluation.Spread sp = NormalizationEvaluation.spread(e.getValue());
      if (sp == null) {
        continue;
      }
      listed++;
      h.raw(
          "<tr><td>"
              + esc(e.getKey())
              + "</td><td>"
              + sp.photos()
              + "</td><td>"
              + fmt("%.3f", sp.input())
              + "</td><td>"
              + fmt("%.3f", sp.output())
              + "</td><td>"
              + fmt("%.2f", sp.ratio())
              + "</td><td>"
              + fmt("%.3f", sp.frontalized())
              + "</td></tr>\n");
    }
    h.raw("</table>\n");
    if (listed == 0) {
      h.p("No person has two measured photos.");
    }

    // ---------------------------------------------------------------- ablations
    h.h2("ablations", "Ablations (Fig. 9–12)");
    String modelText = ModelComparison.describe(model.config().toString(), model.info());
    if (compare.isEmpty()) {
      h.p(
          "No other model to compare: pass <code>--compare LABEL=REPORT_DIR</code> with the report"
              + " of another model (e.g. one trained with <code>facenorm train --decoder fc</code>,"
              + " <code>--decoder plain</code>, without <code>--augment</code> or without"
              + " <code>--identity-weight</code>) on the same photos.");
    } else {
      List<ModelComparison.Photo> measured = new ArrayList<>();
      for (Row r : rows) {
        measured.add(new ModelComparison.Photo(r.item(), r.m(), r.item().output(faces, ".png")));
      }
      ModelComparison.write(
          h, out, label, ModelComparison.oneLine(modelText), faces, measured, compare);
    }

    // ---------------------------------------------------------------- failures
    h.h2("failures", "Photos that failed (" + failed.size() + ")");
    if (failed.isEmpty()) {
      h.p("None.");
    } else {
      h.raw("<table><tr><th>photo</th><th>reason</th></tr>\n");
      for (BatchOutcome<NormalizationEvaluation.Measure> o : failed) {
        h.raw("<tr><td>" + esc(o.item().name()) + "</td><td>" + esc(o.error()) + "</td></tr>\n");
      }
      h.raw("</table>\n");
      h.p("Also in <a href=\"faces/failures.csv\">faces/failures.csv</a>.");
    }

    // ---------------------------------------------------------------- model
    h.h2("model", "Model");
    h.raw("<table>");
    h.raw(
        "<tr><th>model</th><td>"
            + esc(modelDir == null ? "shipped (facenorm-models jar)" : modelDir.toString())
            + "</td></tr>");
    h.raw("<tr><th>sizes</th><td>" + esc(model.config().toString()) + "</td></tr>");
    String sums = readModelFile(NormalizerModel.CHECKSUM_FILE);
    if (sums != null) {
      h.raw("<tr><th>sha256</th><td><code>" + esc(sums.strip()) + "</code></td></tr>");
    }
    for (Map.Entry<String, String> e : new TreeMap<>(model.info()).entrySet()) {
      h.raw("<tr><th>" + esc(e.getKey()) + "</th><td>" + esc(e.getValue()) + "</td></tr>");
    }
    h.raw("</table>\n");
    String card = readModelFile(ModelCard.FILE);
    h.raw("<h3>Model card</h3>\n");
    h.raw(
        card == null
            ? "<p>No " + ModelCard.FILE + " beside the model.</p>\n"
            : "<pre class=\"card\">" + esc(card) + "</pre>\n");
    h.raw("</body>\n</html>\n");
    AtomicFiles.writeString(out.resolve(INDEX), h.toString());
    AtomicFiles.writeString(out.resolve(ModelComparison.MODEL_TXT), modelText);

    writeMarkdown(summaries, numbers, s.failed());
    List<BufferedImage[]> sheet = new ArrayList<>();
    for (Row r : rows.subList(0, Math.min(12, rows.size()))) {
      sheet.add(
          new BufferedImage[] {
            FaceImage.read(r.item().output(faces, ".aligned.png")).toBufferedImage(),
            FaceImage.read(r.item().output(faces, ".png")).toBufferedImage()
          });
    }
    if (!sheet.isEmpty()) {
      NormalizeCommand.writeGrid(sheet, out.resolve("grid.png"));
    }
    return numbers;
  }

  // ------------------------------------------------------------------ pieces

  private record Verification(
      int same,
      int different,
      double accuracy,
      double bestAccuracy,
      double bestThreshold,
      RocCurve roc) {}

  private static Verification verification(List<VerificationResult.ScoredPair> sc) {
    int same = 0;
    double[] d = new double[sc.size()];
    boolean[] s = new boolean[sc.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = sc.get(i).distance();
      s[i] = sc.get(i).pair().same();
      same += s[i] ? 1 : 0;
    }
    int different = d.length - same;
    if (d.length == 0) {
      return new Verification(0, 0, Double.NaN, Double.NaN, Double.NaN, null);
    }
    double acc = PairVerification.accuracy(d, s, NormalizationEvaluation.THRESHOLD);
    PairVerification.BestThreshold best = PairVerification.bestThreshold(d, s);
    RocCurve roc = same > 0 && different > 0 ? RocCurve.of(d, s) : null;
    return new Verification(same, different, acc, best.accuracy(), best.threshold(), roc);
  }

  private void summaryTable(
      Html h, Map<String, NormalizationEvaluation.Summary> summaries, int failedCount) {
    h.raw("<table><tr><th>measure</th>");
    for (String k : summaries.keySet()) {
      h.raw("<th>" + esc(k) + "</th>");
    }
    h.raw("</tr>\n");
    List<String[]> lines = summaryLines(summaries);
    for (String[] l : lines) {
      h.raw("<tr><th>" + esc(l[0]) + "</th>");
      for (int i = 1; i < l.length; i++) {
        h.raw("<td>" + esc(l[i]) + "</td>");
      }
      h.raw("</tr>\n");
    }
    h.raw("</table>\n");
    h.p(
        failedCount
            + (failedCount == 1 ? " photo" : " photos")
            + " failed (listed under Failures).");
  }

  private static List<String[]> summaryLines(Map<String, NormalizationEvaluation.Summary> ss) {
    List<NormalizationEvaluation.Summary> l = new ArrayList<>(ss.values());
    List<String[]> out = new ArrayList<>();
    out.add(line("photos normalized", l, x -> String.valueOf(x.photos())));
    out.add(
        line(
            "identity: input → output distance < 0.6",
            l,
            x -> fmt("%.1f %% (mean %.3f)", 100 * x.underThreshold(), x.meanDistance())));
    out.add(
        line(
            "2-D frontalization (warp only): distance < 0.6",
            l,
            x ->
                fmt(
                    "%.1f %% (mean %.3f)",
                    100 * x.frontalizedUnderThreshold(), x.meanFrontalizedDistance())));
    out.add(
        line(
            "spread of outputs / spread of photos (people with ≥ 2 photos)",
            l,
            x ->
                x.people() == 0
                    ? "— (no person with 2 photos)"
                    : fmt(
                        "%.3f / %.3f = %.3f (%d people)",
                        x.outputSpread(), x.inputSpread(), x.spreadRatio(), x.people())));
    out.add(
        line(
            "spread of 2-D frontalizations / of photos",
            l,
            x -> x.people() == 0 ? "—" : fmt("%.3f", x.frontalizedSpreadRatio())));
    out.add(
        line(
            "frontal outputs: |yaw| and |roll| ≤ 3°",
            l,
            x ->
                fmt(
                    "%.1f %% (mean |yaw| %.2f°, |roll| %.2f°)",
                    100 * x.frontal(), x.meanAbsYaw(), x.meanAbsRoll())));
    return out;
  }

  private static String[] line(
      String what,
      List<NormalizationEvaluation.Summary> l,
      java.util.function.Function<NormalizationEvaluation.Summary, String> f) {
    String[] r = new String[l.size() + 1];
    r[0] = what;
    for (int i = 0; i < l.size(); i++) {
      r[i + 1] = f.apply(l.get(i));
    }
    return r;
  }

  private void writeMarkdown(
      Map<String, NormalizationEvaluation.Summary> summaries, Numbers n, int failedCount)
      throws IOException {
    StringBuilder md = new StringBuilder("# facenorm evaluation\n\n");
    md.append("Model: ").append(modelDir == null ? "shipped" : modelDir.toString()).append("  \n");
    md.append("Command: `facenorm evaluate ").append(command).append("`  \n\n");
    if (!summaries.isEmpty()) {
      md.append("| measure |");
      for (String k : summaries.keySet()) {
        md.append(' ').append(k).append(" |");
      }
      md.append("\n|---|").append("---|".repeat(summaries.size())).append('\n');
      for (String[] l : summaryLines(summaries)) {
        md.append("| ").append(l[0].replace("|", "\\|")).append(" |");
        for (int i = 1; i < l.length; i++) {
          md.append(' ').append(l[i].replace("|", "\\|")).append(" |");
        }
        md.append('\n');
      }
    }
    if (n.pairsScored() > 0) {
      md.append(
          fmt(
              "%npairs at 0.6 (%d scored): photos %.4f, normalized faces %.4f; AUC %.4f -> %.4f%n",
              n.pairsScored(),
              n.rawAccuracy(),
              n.normalizedAccuracy(),
              n.rawAuc(),
              n.normalizedAuc()));
    }
    md.append(fmt("%n%d photos failed (faces/failures.csv).%n", failedCount));
    AtomicFiles.writeString(out.resolve("summary.md"), md.toString());
  }

  private void writePhotosCsv(List<Row> rows) throws IOException {
    StringBuilder csv =
        new StringBuilder("person,photo,distance,frontalized_distance,yaw,roll,held_out\n");
    for (Row r : rows) {
      NormalizationEvaluation.Measure m = r.m();
      csv.append(
          fmt(
              "%s,%s,%.5f,%.5f,%.3f,%.3f,%s%n",
              BatchRunner.csvField(m.person()),
              BatchRunner.csvField(m.photo()),
              m.distance(),
              m.frontalizedDistance(),
              m.yaw(),
              m.roll(),
              r.heldOut()));
    }
    AtomicFiles.writeString(out.resolve("photos.csv"), csv.toString());
  }

  private void writeHistogramCsv(DistanceHistogram n, DistanceHistogram f) throws IOException {
    StringBuilder csv = new StringBuilder("bin_lower,bin_upper,normalized,frontalized\n");
    long[] cn = n.counts();
    long[] cf = f.counts();
    for (int i = 0; i < cn.length; i++) {
      csv.append(
          fmt(
              "%.2f,%s,%d,%d%n",
              n.lower(i),
              i == cn.length - 1 ? "inf" : fmt("%.2f", n.lower(i) + n.binWidth()),
              cn[i],
              cf[i]));
    }
    AtomicFiles.writeString(out.resolve("identity-histogram.csv"), csv.toString());
  }

  private void photoTable(Html h, List<Row> rows) {
    h.raw(
        "<table class=\"photos\"><tr><th>photo</th><th>input</th><th>aligned</th><th>texture +"
            + " landmarks</th><th>normalized</th><th>warp only</th><th>distance</th><th>warp-only"
            + " distance</th><th>yaw / roll</th></tr>\n");
    for (Row r : rows) {
      NormalizationEvaluation.Measure m = r.m();
      h.raw(
          "<tr><td>"
              + esc(r.item().name())
              + (r.heldOut() ? "<br><small>held out</small>" : "")
              + "</td><td>"
              + img(r, ".input.jpg", 128)
              + "</td><td>"
              + img(r, ".aligned.png", 128)
              + "</td><td>"
              + img(r, ".texture.png", 128)
              + "</td><td>"
              + img(r, ".png", 128)
              + "</td><td>"
              + img(r, ".frontalized.png", 128)
              + "</td><td class=\""
              + (m.distance() < NormalizationEvaluation.THRESHOLD ? "ok" : "bad")
              + "\">"
              + fmt("%.3f", m.distance())
              + "</td><td>"
              + fmt("%.3f", m.frontalizedDistance())
              + "</td><td>"
              + fmt("%.1f° / %.1f°", m.yaw(), m.roll())
              + "</td></tr>\n");
    }
    h.raw("</table>\n");
  }

  /** An image of a photo, its path relative to the page, URL-encoded segment by segment. */
  private String img(Row r, String ext, int width) {
    return "<img src=\""
        + url(out, r.item().output(faces, ext))
        + "\" width=\""
        + width
        + "\" alt=\""
        + esc(r.item().name() + " " + ext)
        + "\">";
  }

  /** A file's path relative to the report folder, URL-encoded segment by segment. */
  static String url(Path out, Path file) {
    Path rel = out.toAbsolutePath().normalize().relativize(file.toAbsolutePath().normalize());
    StringBuilder url = new StringBuilder();
    for (Path seg : rel) {
      if (url.length() > 0) {
        url.append('/');
      }
      url.append(URLEncoder.encode(seg.toString(), StandardCharsets.UTF_8).replace("+", "%20"));
    }
    return url.toString();
  }

  /** Up to {@code k} rows evenly spaced through the list (all of them when there are fewer). */
  private static List<Row> sample(List<Row> rows, int k) {
    if (k <= 0 || rows.isEmpty()) {
      return List.of();
    }
    if (rows.size() <= k) {
      return rows;
    }
    List<Row> out = new ArrayList<>(k);
    for (int i = 0; i < k; i++) {
      out.add(rows.get((int) ((long) i * rows.size() / k)));
    }
    return out;
  }

  /**
   * The Fig. 8 columns: like the paper, two persons with four photos each (the first in name order
   * among those with the most photos, up to 4); when nobody has two photos, eight persons' photos.
   */
  private static List<Row> fig8Photos(List<Row> rows) {
    Map<String, List<Row>> by = new TreeMap<>();
    for (Row r : rows) {
      by.computeIfAbsent(r.m().person(), k -> new ArrayList<>()).add(r);
    }
    int most = by.values().stream().mapToInt(List::size).max().orElse(0);
    List<Row> out = new ArrayList<>();
    if (most < 2) {
      return rows.subList(0, Math.min(8, rows.size()));
    }
    int want = Math.min(4, most);
    int persons = 0;
    for (List<Row> l : by.values()) {
      if (persons < 2 && l.size() >= want && !l.get(0).m().person().isEmpty()) {
        out.addAll(l.subList(0, want));
        persons++;
      }
    }
    return out;
  }

  private Set<String> readHeldOut() throws IOException {
    String text = readModelFile(ModelCard.HELD_OUT);
    Set<String> set = new HashSet<>();
    if (text != null) {
      for (String l : text.split("\n")) {
        if (!l.isBlank() && !l.startsWith("#")) {
          set.add(l.strip());
        }
      }
    }
    return set;
  }

  /**
   * How a photo's person is named in a model's held-out list: {@code <collection folder>/<person
   * folder>}, or for photos directly in the collection folder (studio sets: {@code NNN_xx.jpg}),
   * {@code <collection folder>/NNN}.
   */
  private static String heldOutKey(String root, BatchItem item) {
    String person = EvaluateCommand.person(item);
    if (person.isEmpty()) {
      String stem = item.stem();
      int us = stem.indexOf('_');
      person = us > 0 ? stem.substring(0, us) : stem;
    }
    return root + "/" + person;
  }

  /** A document beside the model (its folder, or the shipped model's class-path folder). */
  private String readModelFile(String name) throws IOException {
    if (modelDir != null) {
      Path f = modelDir.resolve(name);
      return Files.isRegularFile(f) ? Files.readString(f, StandardCharsets.UTF_8) : null;
    }
    try (InputStream in = NormalizerModel.class.getResourceAsStream(SHIPPED + name)) {
      return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
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

  static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  private static String fmt(String f, Object... args) {
    return String.format(Locale.ROOT, f, args);
  }

  /** The page being written. */
  static final class Html {
    private final StringBuilder b = new StringBuilder();

    void head(String title) {
      b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
          .append("<title>")
          .append(esc(title))
          .append("</title>\n<style>\n")
          .append(
              "body{font-family:sans-serif;margin:1.5em;max-width:1200px;color:#222}"
                  + "table{border-collapse:collapse;margin:.5em 0}"
                  + "td,th{border:1px solid #ccc;padding:3px 6px;text-align:left;"
                  + "vertical-align:middle;font-size:14px}"
                  + "table.grid td{padding:1px}"
                  + "td.ok{color:#060}td.bad{color:#b00;font-weight:bold}"
                  + "nav a{margin-right:.8em}"
                  + "pre.card{white-space:pre-wrap;background:#f6f6f6;padding:1em;font-size:13px}"
                  + "img{display:block}\n")
          .append("</style>\n</head>\n<body>\n<h1>")
          .append(esc(title))
          .append("</h1>\n");
    }

    void h2(String id, String text) {
      b.append("<h2 id=\"").append(id).append("\">").append(esc(text)).append("</h2>\n");
    }

    void p(String html) {
      b.append("<p>").append(html).append("</p>\n");
    }

    void raw(String html) {
      b.append(html);
    }

    @Override
    public String toString() {
      return b.toString();
    }
  }
}
