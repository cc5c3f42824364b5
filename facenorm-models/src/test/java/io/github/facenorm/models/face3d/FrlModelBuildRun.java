package io.github.facenorm.models.face3d;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.facenorm.core.FaceBox;
import io.github.facenorm.core.FaceImage;
import io.github.facenorm.core.internal.AtomicFiles;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the shipped morphable model from the 102 FRL London neutral photos. Opt-in (a run, not a
 * check): {@code -Dfacenorm.face3d.build=<out dir>} with {@code ../shared} and the fetched assets;
 * writes {@code <out>/frl-facemesh-3dmm-v1.f3dmm} and {@code <out>/MODEL_CARD.md} (provenance,
 * variance table, leave-one-out error). Per-photo meshes and textures are cached in {@code
 * <out>/photos} (atomic, resumed on rerun). See {@code scripts/build-3dmm.sh}.
 */
@Tag("integration")
class FrlModelBuildRun {
  private static final Logger LOG = LoggerFactory.getLogger(FrlModelBuildRun.class);

  @Test
  void buildTheShippedModel() throws Exception {
    String outProp = System.getProperty("facenorm.face3d.build");
    assumeTrue(outProp != null && !outProp.isBlank(), "opt-in: -Dfacenorm.face3d.build=<out dir>");
    String shared = System.getProperty("facenorm.shared");
    assumeTrue(shared != null, "facenorm.shared not set");
    Path frl = Paths.get(shared, "data", "frl-london");
    assumeTrue(Files.isDirectory(frl), frl + " missing");
    Path out = Paths.get(outProp);
    Path cache = out.resolve("photos");
    Files.createDirectories(cache);
    Face3dAssets assets = Face3dTestSupport.assumeAssets();
    FaceMesh canonical = FaceMesh.canonical(assets);
    FaceMeshNet net = FaceMeshNet.load(assets);
    MorphableModelBuilder builder = new MorphableModelBuilder(canonical);
    List<Path> photos;
    try (Stream<Path> s = Files.walk(frl)) {
      photos =
          s.filter(p -> p.getFileName().toString().matches("\\d{3}_03\\.jpg")).sorted().toList();
    }
    LOG.info("{} neutral photos in {}", photos.size(), frl);
    List<MorphableModelBuilder.Sample> samples = new ArrayList<>();
    double minFlag = 1;
    long t0 = System.nanoTime();
    int done = 0;
    for (Path photo : photos) {
      String id = photo.getFileName().toString().replace(".jpg", "");
      Path c = cache.resolve(id + ".bin");
      double[] flag = {1};
      MorphableModelBuilder.Sample sample = Files.isRegularFile(c) ? readSample(c, id, flag) : null;
      minFlag = Math.min(minFlag, flag[0]);
      if (sample == null) {
        FaceImage img = FaceImage.read(photo);
        FaceMeshNet.Prediction p = net.detect(img, temBox(photo.resolveSibling(id + ".tem")));
        minFlag = Math.min(minFlag, p.faceFlag());
        sample = builder.sample(id, img, p);
        writeSample(c, sample, p.faceFlag());
      }
      samples.add(sample);
      done++;
      if (done % 10 == 0 || done == photos.size()) {
        double sec = (System.nanoTime() - t0) / 1e9;
        LOG.info(
            String.format(
                Locale.ROOT,
                "%d/%d photos, %.1f photos/s, ETA %.0f s",
                done,
                photos.size(),
                done / sec,
                (photos.size() - done) * sec / done));
      }
    }
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("name", "frl-facemesh-3dmm-v1");
    header.put(
        "data",
        "Face Research Lab London Set, the 102 neutral front photos NNN_03 (DeBruine, L. M. & Jones,"
            + " B. C. (2017). Face Research Lab London Set. figshare."
            + " doi:10.6084/m9.figshare.5047666), CC BY 4.0");
    header.put(
        "topology",
        "MediaPipe canonical face mesh (468 vertices, 898 triangles, UV), npm"
            + " @mediapipe/face_mesh@0.4.1657299874, Apache-2.0");
    header.put(
        "shapes",
        "MediaPipe face-mesh network (npm @vladmandic/human@3.3.6 models/facemesh.json; model"
            + " Apache-2.0) run by facenorm's Java port on each photo");
    header.put(
        "caveat",
        "The depth in this model is the face-mesh network's learned monocular depth on 102 people"
            + " (a small, mostly white, UK sample), not 3-D scans; expressions are neutral only.");
    header.put("license", "CC BY 4.0 (derived from FRL London); the mesh topology Apache-2.0");
    MorphableModelBuilder.Result r = builder.build(samples, header);
    int[] ks =
        java.util.stream.IntStream.of(0, 1, 5, 10, 20, r.model().shapeModes())
            .distinct()
            .sorted()
            .toArray();
    MorphableModelBuilder.LeaveOneOut loo = builder.leaveOneOut(samples, ks);
    Map<String, Object> h = new LinkedHashMap<>(r.model().header());
    Map<String, Object> looMap = new LinkedHashMap<>();
    for (int i = 0; i < ks.length; i++) {
      looMap.put(Integer.toString(ks[i]), loo.rmsMillimetres()[i]);
    }
    h.put("leaveOneOutRmsMillimetres", looMap);
    MorphableModel m = r.model();
    MorphableModel withLoo =
        new MorphableModel(
            m.mean(),
            m.shapeBasis(),
            m.shapeVariance(),
            m.atlasSize(),
            m.atlasMask(),
            m.meanTexture(),
            m.textureBasis(),
            m.textureVariance(),
            h);
    Path modelFile = out.resolve("frl-facemesh-3dmm-v1.f3dmm");
    withLoo.write(modelFile);
    String sha = io.github.facenorm.core.internal.Sha256.hex(modelFile);
    AtomicFiles.writeString(
        out.resolve("frl-facemesh-3dmm-v1.f3dmm.sha256"), sha + "  frl-facemesh-3dmm-v1.f3dmm\n");
    StringBuilder md = new StringBuilder();
    md.append("# frl-facemesh-3dmm-v1: a morphable face model from open data\n\n");
    md.append(String.format(Locale.ROOT, "%s; file sha256 `%s`.%n%n", withLoo, sha));
    for (String key : List.of("data", "topology", "shapes", "license", "caveat")) {
      md.append("- **").append(key).append("**: ").append(header.get(key)).append('\n');
    }
    md.append(
        "- **built by**: `scripts/build-3dmm.sh` (the opt-in `FrlModelBuildRun`): face mesh on"
            + " each photo (crop 1.2x the .tem box, two re-crops around the mesh), generalized"
            + " Procrustes (similarity) into the canonical mesh's frame and scale (cm), PCA of the"
            + " 1404 coordinates to 99.5 % of the variance; texture: each photo unwrapped into the"
            + " 64x64 UV atlas, PCA to 95 % of the variance, at most 20 modes (the model keeps "
            + m.textureModes()
            + String.format(
                Locale.ROOT,
                " modes, %.1f %%).%n",
                100 * r.textureCumulativeVariance()[m.textureModes() - 1]));
    md.append(
        String.format(
            Locale.ROOT, "- **faces**: %d (lowest face flag %.4f)%n%n", samples.size(), minFlag));
    md.append(
        String.format(
            Locale.ROOT,
            "Mean shape to MediaPipe's canonical mesh: %.2f mm RMS per vertex.%n%n",
            r.meanToCanonicalMillimetres()));
    md.append(
        "| modes | shape variance (cumulative) | texture variance (cumulative) |\n|---|---|---|\n");
    for (int k = 1;
        k <= Math.max(m.shapeModes(), 25) && k <= r.shapeCumulativeVariance().length;
        k++) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %d | %.2f %% | %.2f %% |%n",
              k,
              100 * r.shapeCumulativeVariance()[k - 1],
              100 * r.textureCumulativeVariance()[k - 1]));
    }
    md.append(
        "\nLeave-one-out shape reconstruction (each face by the model of the other 101),"
            + " mean per-vertex RMS:\n\n| modes | RMS (mm) |\n|---|---|\n");
    for (int i = 0; i < ks.length; i++) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %.3f |%n",
              ks[i] == 0 ? "0 (mean only)" : Integer.toString(ks[i]),
              loo.rmsMillimetres()[i]));
    }
    AtomicFiles.writeString(out.resolve("MODEL_CARD.md"), md.toString());
    LOG.info("wrote {} and MODEL_CARD.md:\n{}", modelFile, md);
  }

  /** The box of a WebMorph template's points. */
  static FaceBox temBox(Path tem) throws IOException {
    List<String> lines = Files.readAllLines(tem);
    int n = Integer.parseInt(lines.get(0).trim());
    double x0 = Double.MAX_VALUE;
    double y0 = Double.MAX_VALUE;
    double x1 = -Double.MAX_VALUE;
    double y1 = -Double.MAX_VALUE;
    for (int i = 1; i <= n; i++) {
      String[] f = lines.get(i).trim().split("\\s+");
      double x = Double.parseDouble(f[0]);
      double y = Double.parseDouble(f[1]);
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x);
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y);
    }
    // The template includes hair and neck: a crop of 1.2x its box (as in the goldens) is the box
    // 0.8x times the detector's crop scale 1.5.
    double s = 0.8 * Math.max(x1 - x0, y1 - y0);
    return new FaceBox((x0 + x1) / 2 - s / 2, (y0 + y1) / 2 - s / 2, s, s);
  }

  private static void writeSample(Path f, MorphableModelBuilder.Sample s, double flag)
      throws IOException {
    AtomicFiles.write(
        f,
        o -> {
          DataOutputStream d = new DataOutputStream(o);
          d.writeDouble(flag);
          d.writeInt(s.shape().length);
          for (double v : s.shape()) {
            d.writeDouble(v);
          }
          d.writeInt(s.texture().length);
          for (float v : s.texture()) {
            d.writeFloat(v);
          }
          d.flush();
        });
  }

  private static MorphableModelBuilder.Sample readSample(Path f, String id, double[] flag) {
    try (InputStream in = Files.newInputStream(f)) {
      DataInputStream d = new DataInputStream(in);
      flag[0] = d.readDouble();
      double[] shape = new double[d.readInt()];
      for (int i = 0; i < shape.length; i++) {
        shape[i] = d.readDouble();
      }
      float[] tex = new float[d.readInt()];
      for (int i = 0; i < tex.length; i++) {
        tex[i] = d.readFloat();
      }
      return new MorphableModelBuilder.Sample(id, shape, tex);
    } catch (IOException e) {
      LOG.warn("cache {} unreadable, redoing: {}", f, e.getMessage());
      return null;
    }
  }
}
