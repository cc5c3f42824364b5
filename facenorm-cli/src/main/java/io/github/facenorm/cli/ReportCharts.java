package io.github.facenorm.cli;

import io.github.facenorm.models.eval.DistanceHistogram;
import io.github.facenorm.models.eval.RocCurve;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's charts, drawn by XChart (axes, ticks, legends) and encoded as PNG bytes for an
 * atomic write.
 */
final class ReportCharts {

  private static final Color[] COLORS = {
    new Color(31, 119, 180),
    new Color(44, 160, 44),
    new Color(214, 39, 40),
    new Color(148, 103, 189),
    new Color(255, 127, 14),
    new Color(140, 86, 75),
    new Color(227, 119, 194),
    new Color(127, 127, 127)
  };

  /** Up to this many histograms are drawn filled; more are drawn as outlines, to stay legible. */
  private static final int MAX_FILLED = 3;

  private ReportCharts() {}

  /**
   * A histogram to draw.
   *
   * @param name its legend
   * @param histogram the counts
   */
  record Bars(String name, DistanceHistogram histogram) {}

  /**
   * A ROC curve to draw.
   *
   * @param name its legend
   * @param roc the curve
   */
  record Curve(String name, RocCurve roc) {}

  /**
   * Histograms as filled steps, with the threshold as a dashed vertical line.
   *
   * @param title the chart title
   * @param bars the histograms (same bins)
   * @param threshold where to draw the threshold
   * @return PNG bytes, 720 × 420
   */
  static byte[] histogram(String title, List<Bars> bars, double threshold) throws IOException {
    XYChart chart =
        new XYChartBuilder()
            .width(720)
            .height(420)
            .title(title)
            .xAxisTitle("L2 distance of 128-D descriptors, photo → output")
            .yAxisTitle("photos")
            .build();
    style(chart);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    long max = 1;
    int k = 0;
    for (Bars b : bars) {
      DistanceHistogram h = b.histogram();
      long[] c = h.counts();
      // Steps: each count holds from its bin's lower edge to the next edge.
      double[] x = new double[c.length + 1];
      double[] y = new double[c.length + 1];
      for (int i = 0; i < c.length; i++) {
        x[i] = h.lower(i);
        y[i] = c[i];
        max = Math.max(max, c[i]);
      }
      x[c.length] = h.lower(c.length - 1) + h.binWidth();
      y[c.length] = c[c.length - 1];
      XYSeries s = chart.addSeries(b.name(), x, y);
      s.setXYSeriesRenderStyle(
          bars.size() <= MAX_FILLED
              ? XYSeries.XYSeriesRenderStyle.StepArea
              : XYSeries.XYSeriesRenderStyle.Step);
      s.setLineWidth(bars.size() <= MAX_FILLED ? 1f : 2f);
      s.setMarker(SeriesMarkers.NONE);
      Color col = COLORS[k++ % COLORS.length];
      s.setLineColor(col);
      s.setFillColor(new Color(col.getRed(), col.getGreen(), col.getBlue(), 70));
    }
    XYSeries t =
        chart.addSeries(
            String.format(Locale.ROOT, "threshold %.1f", threshold),
            new double[] {threshold, threshold},
            new double[] {0, max * 1.05});
    t.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    t.setMarker(SeriesMarkers.NONE);
    t.setLineColor(Color.BLACK);
    t.setLineStyle(
        new BasicStroke(
            1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
    chart.getStyler().setXAxisMin(0.0);
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisMax(max * 1.1);
    return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
  }

  /**
   * ROC curves with the chance diagonal.
   *
   * @param title the chart title
   * @param curves the curves
   * @return PNG bytes, 560 × 520
   */
  static byte[] roc(String title, List<Curve> curves) throws IOException {
    XYChart chart =
        new XYChartBuilder()
            .width(560)
            .height(520)
            .title(title)
            .xAxisTitle("false positive rate (different persons called same)")
            .yAxisTitle("true positive rate (same person called same)")
            .build();
    style(chart);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
    // The diagonal first: XChart labels every distinct axis value when the values, in the order the
    // series bring them, are equally spaced (rates k / n of one curve are), which on hundreds of
    // pairs prints hundreds of labels; 0 and 1 first break that run.
    XYSeries chance = chart.addSeries("chance", new double[] {0, 1}, new double[] {0, 1});
    chance.setMarker(SeriesMarkers.NONE);
    chance.setLineColor(Color.GRAY);
    int k = 0;
    for (Curve c : curves) {
      List<RocCurve.Point> p = c.roc().points();
      double[] x = new double[p.size()];
      double[] y = new double[p.size()];
      for (int i = 0; i < x.length; i++) {
        x[i] = p.get(i).falsePositiveRate();
        y[i] = p.get(i).truePositiveRate();
      }
      XYSeries s = chart.addSeries(c.name(), x, y);
      s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
      s.setMarker(SeriesMarkers.NONE);
      s.setLineColor(COLORS[k++ % COLORS.length]);
    }
    chart.getStyler().setXAxisMin(0.0);
    chart.getStyler().setXAxisMax(1.0);
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisMax(1.0);
    return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
  }

  private static void style(XYChart chart) {
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setPlotBackgroundColor(Color.WHITE);
    chart.getStyler().setLegendBorderColor(Color.LIGHT_GRAY);
    chart.getStyler().setPlotGridLinesColor(new Color(225, 225, 225));
    chart.getStyler().setAntiAlias(true);
  }
}
