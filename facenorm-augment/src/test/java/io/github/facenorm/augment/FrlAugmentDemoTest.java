package io.github.facenorm.augment;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.facenorm.core.FaceDecomposition;
import io.github.facenorm.core.FaceImage;
import io.github.facenorm.core.FacePreparer;
import io.github.facenorm.core.Landmarks;
import io.github.facenorm.core.MeanShape;
import io.github.facenorm.core.dlib.DlibShapePredictor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The augmentation on real faces: FRL London neutral photos (CC BY 4.0) prepared with dlib's
 * landmarks and decomposed onto their mean shape are the faces, their smiling photos' textures the
 * backgrounds; 16 samples at 128² are written, read back and tiled into {@code
 * target/augment-demo.png} (input images above, target textures below). Needs the dlib model and
 * {@code ../shared/data/frl-london}; skipped without them.
 */
@Tag("integration")
class FrlAugmentDemoTest {

  @Test
  void writesAndReadsBackSamplesMadeFromRealFaces(@TempDir Path tmp) throws IOException {
    Path model = DlibShapePredictor.defaultModelPath();
    Assumptions.assumeTrue(Files.isRegularFile(model), "dlib model not cached; skipping");
    String shared = System.getProperty("facenorm.shared");
    Path module = Paths.get(System.getProperty("basedir", "")).toAbsolutePath();
    Path root =
        (shared != null && !shared.isBlank()
                ? Paths.get(shared)
                : module.getParent().resolve("../shared"))
            .normalize()
            .resolve("data/frl-london");
    Assumptions.assumeTrue(Files.isDirectory(root), "no " + root + "; skipping");
    FacePreparer preparer = FacePreparer.builder(DlibShapePredictor.loadDefault()).build();
    List<Path> neutral;
    try (Stream<Path> s = Files.walk(root)) {
      neutral = s.filter(p -> p.toString().endsWith("_03.jpg")).sorted().limit(24).toList();
    }
    List<FacePreparer.Prepared> faces = new ArrayList<>();
    List<FacePreparer.Prepared> smiles = new ArrayList<>();
    for (Path p : neutral) {
      faces.add(preparer.prepare(FaceImage.read(p)));
      smiles.add(
          preparer.prepare(
              FaceImage.read(p.resolveSibling(p.getFileName().toString().replace("_03", "_08")))));
    }
    MeanShape mean = MeanShape.of(faces.stream().map(f -> f.aligned().landmarks()).toList());
    List<MorphFace> morphFaces = new ArrayList<>();
    for (int i = 0; i < faces.size(); i++) {
      FaceDecomposition d = FaceDecomposition.decompose(faces.get(i).aligned(), mean);
      morphFaces.add(
          new MorphFace(neutral.get(i).getFileName().toString(), d.texture(), d.landmarks()));
    }
    List<FaceImage> backgrounds = new ArrayList<>();
    for (FacePreparer.Prepared s : smiles) {
      backgrounds.add(FaceDecomposition.decompose(s.aligned(), mean).texture());
    }
    FaceSet set = FaceSet.of(morphFaces, backgrounds, mean);
    Path out = tmp.resolve("data");
    List<DatasetWriter.Progress> progress = new ArrayList<>();
    DatasetWriter.Result r =
        AugmentJob.builder()
            .faces(set)
            .count(16)
            .seed(2017)
            .size(128)
            .out(out)
            .threads(2)
            .progress(progress::add)
            .build()
            .run();
    System.out.println(
        "augment demo: " + r + "; last progress " + progress.get(progress.size() - 1));
    List<AugmentedSample> samples = new ArrayList<>();
    Iterator<AugmentedSample> it = DatasetReader.open(out).samples();
    it.forEachRemaining(samples::add);
    assertThat(samples).hasSize(16);
    // Tile: 8 columns; rows 1–2 inputs, rows 3–4 target textures.
    int s = 128;
    float[] grid = new float[8 * s * 4 * s * 3];
    for (int k = 0; k < 16; k++) {
      tile(grid, 8 * s, samples.get(k).image(), (k % 8) * s, (k / 8) * s);
      tile(grid, 8 * s, samples.get(k).texture(), (k % 8) * s, (2 + k / 8) * s);
      Landmarks l = samples.get(k).landmarks();
      assertThat(l.x(30)).isBetween(0.0, (double) s);
    }
    Path png = module.resolve("target/augment-demo.png");
    Files.createDirectories(png.getParent());
    FaceImage.of(8 * s, 4 * s, grid).write(png);
  }

  private static void tile(float[] grid, int gw, FaceImage img, int x0, int y0) {
    float[] v = img.toArray();
    for (int y = 0; y < img.height(); y++) {
      System.arraycopy(v, y * img.width() * 3, grid, ((y0 + y) * gw + x0) * 3, img.width() * 3);
    }
  }
}
