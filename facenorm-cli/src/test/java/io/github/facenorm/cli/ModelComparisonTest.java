package io.github.facenorm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.facenorm.core.FaceImage;
import io.github.facenorm.core.batch.BatchItem;
import io.github.facenorm.core.internal.AtomicFiles;
import io.github.facenorm.core.internal.ImageCodec;
import io.github.facenorm.models.eval.NormalizationEvaluation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ablation section from two reports written by hand: numbers on the common photos only, per
 * model, in the given order; the other report's faces copied beside this one.
 */
class ModelComparisonTest {

  @TempDir Path dir;

  /** A measure whose output sits {@code distance} from its input along the first axis. */
  private static NormalizationEvaluation.Measure measure(String person, String photo, double d) {
    float[] in = new float[128];
    in[5] = 1;
    float[] out = in.clone();
    out[0] = (float) d;
    return new NormalizationEvaluation.Measure(person, photo, in, out, in.clone(), 0.5, -0.25);
  }

  private static String floats(float[] v) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < v.length; i++) {
      b.append(i > 0 ? ", " : "").append(v[i]);
    }
    return b.append(']').toString();
  }

  /** Writes a report's per-photo JSON and normalized face (a flat colour) as evaluate does. */
  private static void write(Path report, BatchItem item, NormalizationEvaluation.Measure m, float c)
      throws IOException {
    Path faces = report.resolve("faces");
    Path json = item.output(faces, ".json");
    Files.createDirectories(json.getParent());
    Files.writeString(
        json,
        "{\"person\": \""
            + m.person()
            + "\", \"photo\": \""
            + m.photo()
            + "\", \"distance\": "
            + m.distance()
            + ", \"yaw\": "
            + m.yaw()
            + ", \"roll\": "
            + m.roll()
            + ", \"input\": "
            + floats(m.input())
            + ", \"output\": "
            + floats(m.output())
            + ", \"frontalized\": "
            + floats(m.frontalized())
            + "}\n",
        StandardCharsets.UTF_8);
    float[] rgb = new float[8 * 8 * 3];
    java.util.Arrays.fill(rgb, c);
    AtomicFiles.write(
        item.output(faces, ".png"),
        o -> o.write(ImageCodec.encode(FaceImage.of(8, 8, rgb).toBufferedImage(), "png")));
  }

  @Test
  void comparesTheModelsOnTheirCommonPhotos() throws IOException {
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    String[][] photos = {
      {"P1", "P1/P1_0001.jpg"}, {"P1", "P1/P1_0002.jpg"}, {"P2", "P2/P2_0001.jpg"}
    };
    double[] da = {0.2, 0.4, 0.9}; // this model: 2 of 3 under 0.6
    double[] db = {0.7, 0.8, 0.1}; // the other: 1 of 3
    List<ModelComparison.Photo> measured = new ArrayList<>();
    for (int i = 0; i < photos.length; i++) {
      BatchItem item = new BatchItem(dir.resolve(photos[i][1]), photos[i][1]);
      NormalizationEvaluation.Measure ma = measure(photos[i][0], photos[i][1], da[i]);
      write(a, item, ma, 0.25f);
      write(b, item, measure(photos[i][0], photos[i][1], db[i]), 0.75f);
      measured.add(new ModelComparison.Photo(item, ma, item.output(a.resolve("faces"), ".png")));
    }
    // a photo the other report did not measure is left out of every row
    BatchItem extra = new BatchItem(dir.resolve("P2/P2_0002.jpg"), "P2/P2_0002.jpg");
    NormalizationEvaluation.Measure me = measure("P2", "P2/P2_0002.jpg", 0.05);
    write(a, extra, me, 0.25f);
    measured.add(new ModelComparison.Photo(extra, me, extra.output(a.resolve("faces"), ".png")));
    Files.writeString(b.resolve(ModelComparison.MODEL_TXT), "tiny: decoder fc\ntraining: x\n");

    Map<String, Path> compare = new LinkedHashMap<>();
    compare.put("fully connected", b);
    EvaluationReport.Html h = new EvaluationReport.Html();
    ModelComparison.write(
        h, a, "paper", "tiny", a.resolve("faces"), measured, ModelComparison.check(compare));

    List<String> csv = Files.readAllLines(a.resolve("compare.csv"));
    assertThat(csv).hasSize(3);
    assertThat(csv.get(1)).startsWith("paper,3,0.66667,0.50000,");
    assertThat(csv.get(2)).startsWith("fully connected,3,0.33333,0.53333,");
    String html = h.toString();
    assertThat(html).contains("on the 3 of this report's 4 measured photos");
    assertThat(html).contains("tiny: decoder fc;training: x");
    assertThat(Files.size(a.resolve("compare-histogram.png"))).isGreaterThan(1000);
    List<String> hist = Files.readAllLines(a.resolve("compare-histogram.csv"));
    assertThat(hist.get(0)).isEqualTo("bin_lower,bin_upper,paper,fully connected");
    assertThat(hist.get(3)).isEqualTo("0.10,0.15,0,1"); // the other model's 0.1
    assertThat(hist.get(5)).isEqualTo("0.20,0.25,1,0"); // this model's 0.2
    // the other report's faces are copied beside this report and shown from there
    Path copied = a.resolve("compare/1/P1/P1_0001.png");
    assertThat(FaceImage.read(copied).toArray()[0])
        .isEqualTo(0.75f, org.assertj.core.data.Offset.offset(0.01f));
    assertThat(html).contains("src=\"compare/1/P1/P1_0001.png\"");
    assertThat(html).contains("src=\"faces/P1/P1_0001.png\"");
  }

  @Test
  void aFolderThatIsNotAReportIsRefusedByName() {
    Map<String, Path> compare = Map.of("plain", dir.resolve("nothing"));
    assertThatThrownBy(() -> ModelComparison.check(compare))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--compare plain=")
        .hasMessageContaining("not a facenorm evaluate report");
  }
}
