package io.github.facenorm.core;

import io.github.facenorm.core.dlib.DlibShapePredictor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Measures the quality filters against FRL London's ground truth ({@code NNN_03} neutral frontal,
 * {@code NNN_08} smiling): landmarks by dlib through {@link FacePreparer#prepare}, then the pose
 * and expression filters. Prints the pass rate of the neutral photos and the reject rate of the
 * smiling ones, split into the tuning half (even ids) and the held-out half (odd ids), and writes
 * the photo landmarks to {@code target/frl-landmarks.csv}. Needs the dlib model and {@code
 * ../shared/data/frl-london}; skipped without them.
 */
@Tag("integration")
class FrlFilterCalibrationTest {

  @Test
  void printsNeutralPassAndSmileRejectRates() throws IOException {
    Path model = DlibShapePredictor.defaultModelPath();
    Assumptions.assumeTrue(Files.isRegularFile(model), "dlib model not cached; skipping");
    String shared = System.getProperty("facenorm.shared");
    Path root =
        (shared != null && !shared.isBlank()
                ? Paths.get(shared)
                : Paths.get(System.getProperty("basedir", ""))
                    .toAbsolutePath()
                    .getParent()
                    .resolve("../shared"))
            .normalize()
            .resolve("data/frl-london");
    Assumptions.assumeTrue(Files.isDirectory(root), "no " + root + "; skipping");
    FacePreparer preparer = FacePreparer.builder(DlibShapePredictor.loadDefault()).build();
    QualityFilters filters = QualityFilters.builder().build();
    List<Path> photos;
    try (Stream<Path> s = Files.walk(root)) {
      photos =
          s.filter(p -> p.getFileName().toString().matches("\\d+_0[38]\\.jpg")).sorted().toList();
    }
    // counts[half][kind][passed]: half 0 = even ids (tuning), 1 = odd ids (held out)
    int[][][] counts = new int[2][2][2];
    List<String> rows = new ArrayList<>();
    for (Path p : photos) {
      String name = p.getFileName().toString();
      int id = Integer.parseInt(name.substring(0, name.indexOf('_')));
      int kind = name.contains("_08") ? 1 : 0;
      FacePreparer.Prepared prep = preparer.prepare(FaceImage.read(p));
      QualityReport q = filters.check(prep.aligned());
      boolean pass = q.pose().passed() && q.expression().passed();
      counts[id % 2][kind][pass ? 1 : 0]++;
      StringBuilder b = new StringBuilder(name);
      for (double v : prep.photoLandmarks().toFlatArray()) {
        b.append(',').append(String.format(Locale.ROOT, "%.3f", v));
      }
      rows.add(b.toString());
      System.out.println(name + " " + q);
    }
    Path out = Paths.get(System.getProperty("basedir", ".")).resolve("target/frl-landmarks.csv");
    Files.createDirectories(out.getParent());
    Files.write(out, rows, StandardCharsets.UTF_8);
    for (int half = 0; half < 2; half++) {
      int[] n = counts[half][0];
      int[] s = counts[half][1];
      System.out.printf(
          Locale.ROOT,
          "FRL %s ids: neutral _03 passed %d/%d (%.1f %%), smiling _08 rejected %d/%d (%.1f %%)%n",
          half == 0 ? "even (tuning)" : "odd (held-out)",
          n[1],
          n[0] + n[1],
          100.0 * n[1] / Math.max(1, n[0] + n[1]),
          s[0],
          s[0] + s[1],
          100.0 * s[0] / Math.max(1, s[0] + s[1]));
    }
  }
}
