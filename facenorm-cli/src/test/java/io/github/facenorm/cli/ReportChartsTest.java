package io.github.facenorm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.facenorm.core.FaceImage;
import io.github.facenorm.models.eval.DistanceHistogram;
import io.github.facenorm.models.eval.RocCurve;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The charts render headless at their stated sizes; copies go to {@code target/} to look at (a ROC
 * of 264 + 253 pairs, whose rates are equally spaced k / n values, once made XChart label every
 * value).
 */
class ReportChartsTest {

  @Test
  void rocAndHistogramRenderAtTheirSizes() throws IOException {
    Random r = new Random(1);
    int n = 517;
    double[] d = new double[n];
    boolean[] same = new boolean[n];
    for (int i = 0; i < n; i++) {
      same[i] = i < 264;
      d[i] = (same[i] ? 0.4 : 0.8) + 0.12 * r.nextGaussian();
    }
    RocCurve roc = RocCurve.of(d, same);
    byte[] png = ReportCharts.roc("ROC", List.of(new ReportCharts.Curve("test", roc)));
    Path rocFile =
        Files.write(Files.createDirectories(Path.of("target")).resolve("roc-test.png"), png);
    FaceImage img = FaceImage.read(rocFile);
    assertThat(img.width()).isEqualTo(560);
    assertThat(img.height()).isEqualTo(520);

    double[] dist = new double[300];
    for (int i = 0; i < dist.length; i++) {
      dist[i] = Math.abs(0.5 + 0.1 * r.nextGaussian());
    }
    byte[] hist =
        ReportCharts.histogram(
            "histogram",
            List.of(new ReportCharts.Bars("test", DistanceHistogram.of(dist, 0.05, 30, 0.6))),
            0.6);
    Path histFile = Files.write(Path.of("target", "histogram-test.png"), hist);
    assertThat(FaceImage.read(histFile).width()).isEqualTo(720);
  }
}
