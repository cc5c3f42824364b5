package io.github.facenorm.models.face3d;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The cameras on known answers. */
class CameraTest {

  @Test
  void camerasAreRecoveredFromTheirProjections() {
    double[] pts = SyntheticMesh.create().vertices();
    Camera affine =
        new Camera(new double[] {5.1, 0.7, -1.9, 0.3, -4.8, 0.9}, new double[] {61, 70.5});
    Camera fit = Camera.fitAffine(pts, affine.project(pts));
    for (int i = 0; i < 6; i++) {
      assertThat(fit.p()[i]).isCloseTo(affine.p()[i], within(1e-9));
    }
    assertThat(fit.t()[1]).isCloseTo(70.5, within(1e-9));
    Camera front = Camera.frontal(6, 64, 60);
    Camera ff = Camera.fitFrontal(pts, front.project(pts));
    assertThat(ff.scale()).isCloseTo(6, within(1e-9));
    assertThat(ff.t()[0]).isCloseTo(64, within(1e-9));
    assertThat(ff.t()[1]).isCloseTo(60, within(1e-9));
    // The frontal camera looks down -z: +z (the nose) points at it; y up maps to image up.
    assertThat(front.towardsCamera()).containsExactly(new double[] {0, 0, 1}, within(1e-12));
    assertThat(front.project(new double[] {0, 1, 0})[1]).isLessThan(60);
  }
}
