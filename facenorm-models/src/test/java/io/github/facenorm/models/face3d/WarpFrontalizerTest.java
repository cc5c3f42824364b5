package io.github.facenorm.models.face3d;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.facenorm.core.FaceImage;
import io.github.facenorm.core.Landmarks;
import org.junit.jupiter.api.Test;

/** The frontalizer on a synthetic reference whose frontal and turned views are known. */
class WarpFrontalizerTest {

  static FaceImage gradient(int w) {
    float[] rgb = new float[w * w * 3];
    for (int y = 0; y < w; y++) {
      for (int x = 0; x < w; x++) {
        rgb[(y * w + x) * 3] = x / (float) (w - 1);
        rgb[(y * w + x) * 3 + 1] = y / (float) (w - 1);
        rgb[(y * w + x) * 3 + 2] = 0.25f;
      }
    }
    return FaceImage.of(w, w, rgb);
  }

  static Landmarks project(FaceMesh mesh, Camera cam) {
    double[] v = mesh.vertices();
    int[] map = FaceMesh.ibug68();
    double[] pts = new double[3 * 68];
    for (int i = 0; i < 68; i++) {
      System.arraycopy(v, 3 * map[i], pts, 3 * i, 3);
    }
    return Landmarks.of(cam.project(pts));
  }

  @Test
  void aFrontalPhotoComesBackUnchanged() {
    FaceMesh mesh = SyntheticMesh.create();
    WarpFrontalizer f = new WarpFrontalizer(mesh, 96);
    FaceImage photo = gradient(96);
    WarpFrontalizer.Result r = f.frontalizeWithDetails(photo, project(mesh, f.frontalCamera()));
    int checked = 0;
    for (int y = 0; y < 96; y++) {
      for (int x = 0; x < 96; x++) {
        int p = y * 96 + x;
        if (r.mask()[p] && r.visibility()[p] == 1.0) {
          assertThat(r.image().get(x, y, 0)).isCloseTo(photo.get(x, y, 0), within(1e-3f));
          assertThat(r.image().get(x, y, 1)).isCloseTo(photo.get(x, y, 1), within(1e-3f));
          checked++;
        }
        if (!r.mask()[p]) {
          assertThat(r.image().get(x, y, 2)).isEqualTo(0f);
        }
      }
    }
    assertThat(checked).isGreaterThan(2000);
  }

  @Test
  void aTurnedFaceLosesVisibilityOnTheFarSideAndIsFilledFromTheNearSide() {
    FaceMesh mesh = SyntheticMesh.create();
    WarpFrontalizer f = new WarpFrontalizer(mesh, 96);
    // Turn the head 50 degrees about y: +x side (viewer's right) moves away from the camera.
    double a = Math.toRadians(50);
    double s = 96 / 19.0;
    Camera turned =
        new Camera(
            new double[] {s * Math.cos(a), 0, s * Math.sin(a), 0, -s, 0}, f.frontalCamera().t());
    WarpFrontalizer.Result r = f.frontalizeWithDetails(gradient(96), project(mesh, turned));
    double left = 0;
    double right = 0;
    for (int y = 30; y < 66; y++) {
      for (int x = 10; x < 40; x++) {
        left += r.visibility()[y * 96 + x];
        right += r.visibility()[y * 96 + 95 - x];
      }
    }
    assertThat(right).isLessThan(0.7 * left);
    // Where the far side is invisible, the output is its mirror pixel's (when that is visible).
    int y = 48;
    for (int x = 80; x < 90; x++) {
      int p = y * 96 + x;
      int m = y * 96 + 95 - x;
      if (r.mask()[p] && r.visibility()[p] == 0 && r.visibility()[m] == 1.0) {
        assertThat(r.image().get(x, y, 0)).isCloseTo(r.image().get(95 - x, y, 0), within(1e-6f));
      }
    }
    // The fitted camera is the one the landmarks came from.
    assertThat(r.camera().p()[2]).isCloseTo(s * Math.sin(a), within(1e-6));
  }
}
