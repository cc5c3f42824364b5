package io.github.facenorm.models.face3d;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.facenorm.core.FaceImage;
import io.github.facenorm.core.Landmarks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fitter and the avatar files on the synthetic model of {@link MorphableModelTest}. */
class MorphableModelFitterTest {
  static MorphableModel model;
  static FaceMesh mesh;

  @BeforeAll
  static void build() {
    MorphableModelTest.build();
    model = MorphableModelTest.built.model();
    mesh = MorphableModelTest.mesh;
  }

  @Test
  void fitterRecoversKnownCoefficientsAndPose() {
    MorphableModel m = model;
    double[] truth = {0.5, -0.25, 0.1};
    double[] shape = m.shape(truth);
    int[] map = FaceMesh.ibug68();
    double[] pts = new double[3 * 68];
    for (int i = 0; i < 68; i++) {
      System.arraycopy(shape, 3 * map[i], pts, 3 * i, 3);
    }
    Camera cam = Camera.frontal(6, 70, 58);
    Landmarks l = Landmarks.of(cam.project(pts));
    MorphableModelFitter.Fit fit = new MorphableModelFitter(m, 0).fit(l);
    for (int k = 0; k < 3; k++) {
      assertThat(fit.coefficients()[k]).isCloseTo(truth[k], within(1e-4));
    }
    assertThat(fit.rmsPixels()).isLessThan(1e-3);
    assertThat(fit.camera().t()[0]).isCloseTo(70, within(1e-3));
    // Strong regularization pulls the coefficients towards zero.
    MorphableModelFitter.Fit shrunk = new MorphableModelFitter(m, 100).fit(l);
    assertThat(Math.abs(shrunk.coefficients()[0])).isLessThan(0.5 * Math.abs(truth[0]));
  }

  @Test
  void avatarTextureSamplesTheImageAtTheProjectedVertices(@TempDir Path dir) throws IOException {
    MorphableModel m = model;
    int w = 128;
    float[] rgb = new float[w * w * 3];
    for (int y = 0; y < w; y++) {
      for (int x = 0; x < w; x++) {
        rgb[(y * w + x) * 3] = x / (float) (w - 1);
        rgb[(y * w + x) * 3 + 1] = y / (float) (w - 1);
        rgb[(y * w + x) * 3 + 2] = 0.5f;
      }
    }
    FaceImage image = FaceImage.of(w, w, rgb);
    double[] shape = m.shape(new double[0]);
    int[] map = FaceMesh.ibug68();
    double[] pts = new double[3 * 68];
    for (int i = 0; i < 68; i++) {
      System.arraycopy(shape, 3 * map[i], pts, 3 * i, 3);
    }
    Camera cam = Camera.frontal(5, 64, 64);
    MorphableModelFitter.Avatar a =
        new MorphableModelFitter(m).avatar(image, Landmarks.of(cam.project(pts)), 64);
    // A texel in the middle of the atlas (the grid's centre, facing the camera): red = its x, green
    // = its y.
    double[] uv = m.mean().uv();
    int vi = 13 * SyntheticMesh.COLS + 6;
    int tc = (int) Math.floor(uv[2 * vi] * 64);
    int tr = (int) Math.floor(uv[2 * vi + 1] * 64);
    double[] xy = cam.project(java.util.Arrays.copyOfRange(shape, 3 * vi, 3 * vi + 3));
    assertThat(a.texture().get(tc, tr, 0)).isCloseTo((float) (xy[0] / (w - 1)), within(0.03f));
    assertThat(a.texture().get(tc, tr, 1)).isCloseTo((float) (xy[1] / (w - 1)), within(0.03f));
    List<Path> files = AvatarFiles.write(a.fit().mesh(), a.texture(), dir, "face");
    List<String> obj = Files.readAllLines(files.get(0));
    assertThat(obj.stream().filter(s -> s.startsWith("v "))).hasSize(468);
    assertThat(obj.stream().filter(s -> s.startsWith("vt "))).hasSize(468);
    assertThat(obj.stream().filter(s -> s.startsWith("f "))).hasSize(mesh.triangleCount());
    assertThat(obj).contains("mtllib face.mtl");
    String vt0 = obj.stream().filter(s -> s.startsWith("vt ")).findFirst().orElseThrow();
    assertThat(Double.parseDouble(vt0.split(" ")[2])).isCloseTo(1 - uv[1], within(1e-5));
    assertThat(Files.readString(files.get(1))).contains("map_Kd face.png");
    assertThat(FaceImage.read(files.get(2)).width()).isEqualTo(64);
    FaceImage preview = AvatarFiles.render(a.fit().mesh(), a.texture(), 96, 25);
    assertThat(preview.get(48, 48, 2)).isNotEqualTo(0.82f); // the face covers the centre
    assertThat(preview.get(0, 0, 0)).isEqualTo(0.82f);
  }
}
