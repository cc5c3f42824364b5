package io.github.facenorm.models.face3d;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.facenorm.core.FaceImage;
import io.github.facenorm.core.Landmarks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The frontalizer on real LFW photos (needs {@code ../shared} and the fetched assets): landmarks
 * from the face-mesh port, frontalized, and the face mesh run again on the output. How far the
 * output's 68 landmarks lie from the reference's frontal landmarks, after the best 2-D similarity,
 * is compared with the same residual of the photo's own landmarks: frontalization must bring the
 * faces closer to the frontal reference. Writes the outputs to {@code target/face3d-frontalized/}.
 */
@Tag("integration")
class WarpFrontalizerPhotosTest {
  private static final Logger LOG = LoggerFactory.getLogger(WarpFrontalizerPhotosTest.class);

  @Test
  void frontalizedLfwFacesAreCloserToTheFrontalReference() throws Exception {
    assumeTrue(
        Boolean.getBoolean("facenorm.face3d.photos"), "opt-in: -Dfacenorm.face3d.photos=true");
    String shared = System.getProperty("facenorm.shared");
    assumeTrue(shared != null, "facenorm.shared not set");
    Path lfw = Paths.get(shared, "data", "lfw-devtrain");
    assumeTrue(Files.isDirectory(lfw), lfw + " missing");
    Face3dAssets assets = Face3dTestSupport.assumeAssets();
    FaceMeshNet net = FaceMeshNet.load(assets);
    WarpFrontalizer f = WarpFrontalizer.canonical(assets);
    double[] ref = f.frontalCamera().project(landmarks3d(FaceMesh.canonical(assets)));
    List<Path> photos;
    try (Stream<Path> s = Files.list(lfw)) {
      photos = s.sorted().limit(40).map(d -> d.resolve(d.getFileName() + "_0001.jpg")).toList();
    }
    Path out = Paths.get("target", "face3d-frontalized");
    Files.createDirectories(out);
    double before = 0;
    double after = 0;
    int n = 0;
    List<String> rows = new ArrayList<>();
    for (Path p : photos) {
      FaceImage photo = FaceImage.read(p);
      FaceMeshNet.Prediction m = net.detect(photo);
      if (m.faceFlag() < 0.5) {
        continue;
      }
      FaceImage front = f.frontalize(photo, m.landmarks68());
      front.write(out.resolve(p.getFileName().toString().replace(".jpg", ".png")));
      FaceMeshNet.Prediction again = net.detect(front);
      double b = similarityResidual(m.landmarks68(), ref);
      double a = similarityResidual(again.landmarks68(), ref);
      rows.add(String.format(Locale.ROOT, "%s %.4f -> %.4f", p.getFileName(), b, a));
      before += b;
      after += a;
      n++;
    }
    before /= n;
    after /= n;
    LOG.info(
        "{} LFW photos: landmark residual to the frontal reference after similarity alignment"
            + " (mean distance / inter-ocular): photos {} -> frontalized {}\n{}",
        n,
        before,
        after,
        String.join("\n", rows));
    assertThat(n).isGreaterThan(30);
    assertThat(after).isLessThan(before);
  }

  static double[] landmarks3d(FaceMesh mesh) {
    double[] v = mesh.vertices();
    int[] map = FaceMesh.ibug68();
    double[] pts = new double[3 * 68];
    for (int i = 0; i < 68; i++) {
      System.arraycopy(v, 3 * map[i], pts, 3 * i, 3);
    }
    return pts;
  }

  /**
   * Mean point distance after the best 2-D similarity onto {@code ref}, over ref's eye distance.
   */
  static double similarityResidual(Landmarks l, double[] ref) {
    double[] p = l.toFlatArray();
    int n = 68;
    double mx = 0;
    double my = 0;
    double rx = 0;
    double ry = 0;
    for (int i = 0; i < n; i++) {
      mx += p[2 * i] / n;
      my += p[2 * i + 1] / n;
      rx += ref[2 * i] / n;
      ry += ref[2 * i + 1] / n;
    }
    double sxx = 0;
    double a = 0;
    double b = 0;
    for (int i = 0; i < n; i++) {
      double x = p[2 * i] - mx;
      double y = p[2 * i + 1] - my;
      double u = ref[2 * i] - rx;
      double v = ref[2 * i + 1] - ry;
      sxx += x * x + y * y;
      a += x * u + y * v;
      b += x * v - y * u;
    }
    a /= sxx;
    b /= sxx;
    double sum = 0;
    for (int i = 0; i < n; i++) {
      double x = p[2 * i] - mx;
      double y = p[2 * i + 1] - my;
      double u = a * x - b * y + rx;
      double v = b * x + a * y + ry;
      sum += Math.hypot(u - ref[2 * i], v - ref[2 * i + 1]);
    }
    double iod = Math.hypot(ref[2 * 36] - ref[2 * 45], ref[2 * 36 + 1] - ref[2 * 45 + 1]);
    return sum / n / iod;
  }
}
