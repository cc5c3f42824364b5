package io.github.facenorm.cli;

import io.github.facenorm.core.batch.BatchItem;
import io.github.facenorm.core.internal.AtomicFiles;
import io.github.facenorm.models.eval.DistanceHistogram;
import io.github.facenorm.models.eval.NormalizationEvaluation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The report's ablation section (paper Fig. 9–12): this report's model side by side with the models
 * of other {@code facenorm evaluate} reports over the same photos ({@code --compare LABEL=DIR}).
 * Each other report is read from its per-photo measurements ({@code faces/<photo>.json}) and
 * normalized faces ({@code faces/<photo>.png}); numbers are computed on the photos that every
 * report measured, and the images shown are copied beside this report, so it stays self-contained.
 */
final class ModelComparison {

  /** The file every report writes with its model's sizes and training settings. */
  static final String MODEL_TXT = "model.txt";

  /** Folder of the copied images, inside the report. */
  static final String FOLDER = "compare";

  /** Photos shown side by side. */
  static final int SHOWN = 10;

  private ModelComparison() {}

  /**
   * One measured photo of this report.
   *
   * @param item the photo
   * @param measure its measurements
   * @param image this model's normalized face
   */
  record Photo(BatchItem item, NormalizationEvaluation.Measure measure, Path image) {}

  /** A model's measurements on the common photos. */
  private record Model(
      String label,
      String description,
      List<NormalizationEvaluation.Measure> measures,
      List<Path> images) {}

  /**
   * Reads the other reports and checks them.
   *
   * @param compare label → report folder, in the order given
   * @return the same, checked
   * @throws IllegalArgumentException if a folder is not an evaluate report
   */
  static Map<String, Path> check(Map<String, Path> compare) {
    Map<String, Path> out = new LinkedHashMap<>();
    for (Map.Entry<String, Path> e : compare.entrySet()) {
      String label = e.getKey().strip();
      Path dir = Objects.requireNonNull(e.getValue(), "--compare " + label);
      if (label.isEmpty()) {
        throw new IllegalArgumentException(
            "--compare: expected LABEL=REPORT_DIR, got an empty label");
      }
      if (!Files.isDirectory(dir.resolve("faces"))) {
        throw new IllegalArgumentException(
            "--compare "
                + label
                + "="
                + dir
                + ": not a facenorm evaluate report (no faces/ folder); run facenorm evaluate"
                + " --model <that model> --out "
                + dir
                + " on the same photos first");
      }
      out.put(label, dir);
    }
    return out;
  }

  /**
   * Writes the section into the page and its chart and CSVs beside it.
   *
   * @param h the page
   * @param out the report folder
   * @param label this report's model's label
   * @param description this report's model (sizes, training)
   * @param faces this report's per-photo folder
   * @param photos this report's measured photos, in name order
   * @param compare the other reports (checked), label → folder
   * @throws IOException if a file cannot be read or written
   */
  static void write(
      EvaluationReport.Html h,
      Path out,
      String label,
      String description,
      Path faces,
      List<Photo> photos,
      Map<String, Path> compare)
      throws IOException {
    // One row per model, filled with the photos every report measured.
    List<Model> models = new ArrayList<>();
    models.add(new Model(label, description, new ArrayList<>(), new ArrayList<>()));
    List<Path> otherFaces = new ArrayList<>();
    for (Map.Entry<String, Path> e : compare.entrySet()) {
      models.add(
          new Model(
              e.getKey(), readDescription(e.getValue()), new ArrayList<>(), new ArrayList<>()));
      otherFaces.add(e.getValue().resolve("faces"));
    }
    List<Photo> common = new ArrayList<>();
    for (Photo p : photos) {
      List<NormalizationEvaluation.Measure> found = new ArrayList<>();
      for (Path dir : otherFaces) {
        Path json = p.item().output(dir, ".json");
        if (!Files.isRegularFile(json)) {
          break;
        }
        found.add(EvaluateCommand.Step.readMeasure(json));
      }
      if (found.size() < otherFaces.size()) {
        continue;
      }
      common.add(p);
      models.get(0).measures().add(p.measure());
      models.get(0).images().add(p.image());
      for (int k = 0; k < otherFaces.size(); k++) {
        models.get(k + 1).measures().add(found.get(k));
        models.get(k + 1).images().add(p.item().output(otherFaces.get(k), ".png"));
      }
    }
    h.p(
        "This report's model beside the models of "
            + compare.size()
            + " other <code>facenorm evaluate</code> report(s) (<code>--compare</code>), on the "
            + common.size()
            + " of this report's "
            + photos.size()
            + " measured photos that every report measured. The paper's ablations are"
            + " configurations of the same trainer: <code>facenorm train --decoder fc</code> (Fig. 9's"
            + " fully connected texture decoder), <code>--decoder plain</code> (Fig. 10's plain CNN:"
            + " no separate landmarks and warp), without <code>--augment</code> (Fig. 9's no"
            + " augmentation) and with or without <code>--identity-weight</code> (Fig. 11–12).");
    if (common.isEmpty()) {
      h.p("No photo was measured by every report: nothing to compare.");
      return;
    }
    h.raw(
        "<table><tr><th>model</th><th>photos</th><th>under "
            + NormalizationEvaluation.THRESHOLD
            + "</th><th>mean distance</th><th>spread ratio (persons)</th><th>frontal</th>"
            + "<th>sizes and training</th></tr>\n");
    StringBuilder csv =
        new StringBuilder(
            "model,photos,under_threshold,mean_distance,spread_ratio,spread_persons,frontal\n");
    List<ReportCharts.Bars> bars = new ArrayList<>();
    List<DistanceHistogram> hists = new ArrayList<>();
    for (Model m : models) {
      NormalizationEvaluation.Summary s = NormalizationEvaluation.summarize(m.measures());
      double[] d =
          m.measures().stream().mapToDouble(NormalizationEvaluation.Measure::distance).toArray();
      DistanceHistogram hist =
          DistanceHistogram.of(
              d, EvaluationReport.BIN, EvaluationReport.BINS, NormalizationEvaluation.THRESHOLD);
      hists.add(hist);
      bars.add(
          new ReportCharts.Bars(
              String.format(
                  Locale.ROOT, "%s (%.1f %% < 0.6)", m.label(), 100 * hist.underThreshold()),
              hist));
      h.raw(
          "<tr><td>"
              + EvaluationReport.esc(m.label())
              + "</td><td>"
              + m.measures().size()
              + "</td><td>"
              + fmt("%.1f %%", 100 * s.underThreshold())
              + "</td><td>"
              + fmt("%.3f", s.meanDistance())
              + "</td><td>"
              + fmt("%.3f (%d)", s.spreadRatio(), s.people())
              + "</td><td>"
              + fmt("%.1f %%", 100 * s.frontal())
              + "</td><td><details><summary>"
              + EvaluationReport.esc(firstLine(m.description()))
              + "</summary><small>"
              + EvaluationReport.esc(m.description())
              + "</small></details></td></tr>\n");
      csv.append(
          fmt(
              "%s,%d,%.5f,%.5f,%.5f,%d,%.5f%n",
              csvField(m.label()),
              m.measures().size(),
              s.underThreshold(),
              s.meanDistance(),
              s.spreadRatio(),
              s.people(),
              s.frontal()));
    }
    h.raw("</table>\n");
    AtomicFiles.writeString(out.resolve("compare.csv"), csv.toString());
    StringBuilder hcsv = new StringBuilder("bin_lower,bin_upper");
    for (Model m : models) {
      hcsv.append(',').append(csvField(m.label()));
    }
    hcsv.append('\n');
    DistanceHistogram first = hists.get(0);
    for (int i = 0; i < first.counts().length; i++) {
      hcsv.append(fmt("%.2f,", first.lower(i)))
          .append(
              i == first.counts().length - 1
                  ? "inf"
                  : fmt("%.2f", first.lower(i) + first.binWidth()));
      for (DistanceHistogram x : hists) {
        hcsv.append(',').append(x.counts()[i]);
      }
      hcsv.append('\n');
    }
    AtomicFiles.writeString(out.resolve("compare-histogram.csv"), hcsv.toString());
    AtomicFiles.write(
        out.resolve("compare-histogram.png"),
        ReportCharts.histogram(
            "Fig. 12: input → output identity distance, " + common.size() + " photos",
            bars,
            NormalizationEvaluation.THRESHOLD));
    h.raw(
        "<img src=\"compare-histogram.png\" width=\"720\" height=\"420\" alt=\"histograms of input"
            + " to output identity distances per model\">\n");
    h.p(
        "Spread ratio: mean over persons with two or more photos of (spread of their normalized"
            + " faces / spread of their photos); below 1, a person's outputs agree more than the"
            + " photos do. Data: <a href=\"compare.csv\">compare.csv</a>, <a"
            + " href=\"compare-histogram.csv\">compare-histogram.csv</a>.");

    // Side by side: the input and each model's normalized face.
    List<Integer> shown = new ArrayList<>();
    for (int i = 0; i < Math.min(SHOWN, common.size()); i++) {
      shown.add((int) ((long) i * common.size() / Math.min(SHOWN, common.size())));
    }
    h.raw("<table class=\"grid\"><tr><th></th>");
    for (int i : shown) {
      Photo p = common.get(i);
      String stem = p.item().stem();
      h.raw(
          "<th><small>"
              + EvaluationReport.esc(stem.substring(stem.lastIndexOf('/') + 1))
              + "</small></th>");
    }
    h.raw("</tr>\n<tr><th>photo</th>");
    for (int i : shown) {
      h.raw(
          "<td>" + img(out, common.get(i).item().output(faces, ".aligned.png"), "photo") + "</td>");
    }
    h.raw("</tr>\n");
    int mi = 0;
    for (Model m : models) {
      h.raw("<tr><th>" + EvaluationReport.esc(m.label()) + "</th>");
      for (int i : shown) {
        Path src = m.images().get(i);
        Path shownAt = src;
        if (mi > 0) { // copy the other report's image beside this one
          shownAt =
              common
                  .get(i)
                  .item()
                  .output(out.resolve(FOLDER).resolve(Integer.toString(mi)), ".png");
          Files.createDirectories(shownAt.getParent());
          AtomicFiles.write(shownAt, o -> Files.copy(src, o));
        }
        h.raw(
            "<td>"
                + img(out, shownAt, m.label())
                + "<small>"
                + fmt("%.3f", m.measures().get(i).distance())
                + "</small></td>");
      }
      h.raw("</tr>\n");
      mi++;
    }
    h.raw("</table>\n");
    h.p("Under each face: its input → output identity distance.");
  }

  /** The part of a description before its first {@code ;}: the model's sizes. */
  private static String firstLine(String description) {
    int semi = description.indexOf(';');
    return semi < 0 ? description : description.substring(0, semi);
  }

  private static String img(Path out, Path file, String alt) {
    return "<img src=\""
        + EvaluationReport.url(out, file)
        + "\" width=\"96\" alt=\""
        + EvaluationReport.esc(alt)
        + "\">";
  }

  /** The first lines of a report's {@value #MODEL_TXT}, or a note that it has none. */
  private static String readDescription(Path dir) throws IOException {
    Path f = dir.resolve(MODEL_TXT);
    if (!Files.isRegularFile(f)) {
      return "(no " + MODEL_TXT + " in " + dir + ")";
    }
    return oneLine(Files.readString(f, StandardCharsets.UTF_8));
  }

  /**
   * A {@value #MODEL_TXT} text as one table cell: its lines joined by {@code ;}.
   *
   * @param modelText the text of {@link #describe}
   * @return one line
   */
  static String oneLine(String modelText) {
    return modelText.strip().replace('\n', ';');
  }

  /**
   * The text of {@value #MODEL_TXT}: the model's sizes and its recorded training settings.
   *
   * @param sizes the model's sizes
   * @param info the model's provenance
   * @return the text
   */
  static String describe(String sizes, Map<String, String> info) {
    StringBuilder b = new StringBuilder(sizes).append('\n');
    for (Map.Entry<String, String> e : new TreeMap<>(info).entrySet()) {
      if (e.getKey().equals("training") || e.getKey().equals("command")) {
        b.append(e.getKey()).append(": ").append(e.getValue()).append('\n');
      }
    }
    return b.toString();
  }

  private static String csvField(String s) {
    return s.contains(",") || s.contains("\"") ? '"' + s.replace("\"", "\"\"") + '"' : s;
  }

  private static String fmt(String f, Object... args) {
    return String.format(Locale.ROOT, f, args);
  }
}
