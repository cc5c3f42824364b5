package io.github.facenorm.models.face3d;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.facenorm.core.Landmarks;
import java.io.IOException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The model in the jar: its checksum, shape, provenance, and a fit of its own landmarks. */
class ShippedMorphableModelTest {
  static MorphableModel model;

  @BeforeAll
  static void load() throws IOException {
    model = MorphableModel.shipped();
  }

  @Test
  void shapeAndProvenance() {
    assertThat(model.mean().vertexCount()).isEqualTo(468);
    assertThat(model.mean().triangleCount()).isEqualTo(898);
    assertThat(model.shapeModes()).isBetween(10, 30);
    double[] var = model.shapeVariance();
    for (int k = 1; k < var.length; k++) {
      assertThat(var[k]).isLessThanOrEqualTo(var[k - 1]).isPositive();
    }
    int d = 3 * 468;
    double[] b = model.shapeBasis();
    for (int j = 0; j < model.shapeModes(); j++) {
      for (int k = j; k < model.shapeModes(); k++) {
        double dot = 0;
        for (int i = 0; i < d; i++) {
          dot += b[j * d + i] * b[k * d + i];
        }
        assertThat(dot).isCloseTo(j == k ? 1 : 0, within(1e-4));
      }
    }
    assertThat(String.valueOf(model.header().get("caveat"))).contains("not 3-D scans");
    assertThat(String.valueOf(model.header().get("data")))
        .contains("DeBruine")
        .contains("CC BY 4.0");
    assertThat(String.valueOf(model.header().get("topology"))).contains("Apache-2.0");
    // The mean is a face in the canonical frame: eyes mirror each other, the nose tip in front.
    double[] v = model.mean().vertices();
    assertThat(v[3 * 33]).isCloseTo(-v[3 * 263], within(0.3)).isNegative();
    assertThat(v[3 * 4 + 2]).isGreaterThan(v[3 * 33 + 2] + 2);
  }

  @Test
  void fittingTheMeansOwnLandmarksGivesTheMean() {
    double[] v = model.mean().vertices();
    int[] map = FaceMesh.ibug68();
    double[] pts = new double[3 * 68];
    for (int i = 0; i < 68; i++) {
      System.arraycopy(v, 3 * map[i], pts, 3 * i, 3);
    }
    Landmarks l = Landmarks.of(Camera.frontal(7.5, 64, 70).project(pts));
    MorphableModelFitter.Fit fit = new MorphableModelFitter(model).fit(l);
    assertThat(fit.rmsPixels()).isLessThan(1e-3);
    for (double c : fit.coefficients()) {
      assertThat(c).isCloseTo(0, within(1e-6));
    }
    assertThat(fit.camera().scale()).isCloseTo(7.5, within(1e-6));
  }
}
