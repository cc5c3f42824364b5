package io.github.facenorm.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SimilarityTransformTest {

  @ParameterizedTest
  @CsvSource({"1, 0, 0, 0", "0.37, 23, -5, 8", "2.5, -170, 100.25, -3", "1e-3, 90, 1e3, 1e3"})
  void inverseUndoesApply(double scale, double degrees, double tx, double ty) {
    SimilarityTransform t = SimilarityTransform.of(scale, Math.toRadians(degrees), tx, ty);
    SimilarityTransform inv = t.inverse();
    for (double[] p : new double[][] {{0, 0}, {17.5, -3}, {250, 250}, {-40, 1e3}}) {
      Landmarks.Point q = t.apply(p[0], p[1]);
      Landmarks.Point back = inv.apply(q);
      double tol = 1e-9 * Math.max(1, Math.hypot(q.x(), q.y()) / scale);
      assertThat(back.x()).isCloseTo(p[0], within(tol));
      assertThat(back.y()).isCloseTo(p[1], within(tol));
    }
    assertThat(inv.scale()).isCloseTo(1 / scale, within(1e-12 / scale));
    assertThat(t.andThen(inv).scale()).isCloseTo(1, within(1e-12));
    assertThat(t.andThen(inv).tx()).isCloseTo(0, within(1e-9 * Math.max(1, Math.abs(tx) / scale)));
  }

  @Test
  void scaleAndRotationAreWhatWasAsked() {
    SimilarityTransform t = SimilarityTransform.of(1.5, Math.toRadians(30), 4, 5);
    assertThat(t.scale()).isCloseTo(1.5, within(1e-12));
    assertThat(Math.toDegrees(t.rotationRadians())).isCloseTo(30, within(1e-9));
    // (1, 0) goes to (1.5 cos 30°, 1.5 sin 30°) + t: down-right on screen (y down).
    Landmarks.Point q = t.apply(1, 0);
    assertThat(q.x()).isCloseTo(4 + 1.5 * Math.cos(Math.toRadians(30)), within(1e-12));
    assertThat(q.y()).isCloseTo(5 + 0.75, within(1e-12));
  }

  @Test
  void andThenAppliesThisFirst() {
    SimilarityTransform a = SimilarityTransform.of(2, 0.3, 1, 2);
    SimilarityTransform b = SimilarityTransform.of(0.5, -1.1, -7, 3);
    Landmarks.Point direct = b.apply(a.apply(3, 4));
    Landmarks.Point composed = a.andThen(b).apply(3, 4);
    assertThat(composed.x()).isCloseTo(direct.x(), within(1e-12));
    assertThat(composed.y()).isCloseTo(direct.y(), within(1e-12));
  }

  @Test
  void fromTwoPointsSendsBothPoints() {
    Landmarks.Point p1 = new Landmarks.Point(10, 20);
    Landmarks.Point p2 = new Landmarks.Point(50, 35);
    Landmarks.Point q1 = new Landmarks.Point(84.5, 89.2);
    Landmarks.Point q2 = new Landmarks.Point(139.5, 89.2);
    SimilarityTransform t = SimilarityTransform.fromTwoPoints(p1, p2, q1, q2);
    assertThat(t.apply(p1).x()).isCloseTo(q1.x(), within(1e-12));
    assertThat(t.apply(p1).y()).isCloseTo(q1.y(), within(1e-12));
    assertThat(t.apply(p2).x()).isCloseTo(q2.x(), within(1e-12));
    assertThat(t.apply(p2).y()).isCloseTo(q2.y(), within(1e-12));
  }

  @Test
  void landmarksMapPointByPoint() {
    Landmarks lm = SyntheticFaces.frontal(40, 100, 90);
    SimilarityTransform t = SimilarityTransform.of(1.3, 0.2, -4, 9);
    Landmarks out = t.apply(lm);
    for (int i = 0; i < Landmarks.COUNT; i++) {
      assertThat(out.point(i)).isEqualTo(t.apply(lm.point(i)));
    }
    assertThat(t.inverse().apply(out).x(30)).isCloseTo(lm.x(30), within(1e-9));
  }

  @Test
  void badParametersAreRejectedWithTheirNames() {
    assertThatThrownBy(() -> new SimilarityTransform(0, 0, 1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("scale");
    assertThatThrownBy(() -> new SimilarityTransform(Double.NaN, 0, 1, 1))
        .hasMessageContaining("finite");
    assertThatThrownBy(() -> SimilarityTransform.of(-1, 0, 0, 0)).hasMessageContaining("scale");
    Landmarks.Point p = new Landmarks.Point(1, 1);
    assertThatThrownBy(() -> SimilarityTransform.fromTwoPoints(p, p, p, new Landmarks.Point(2, 2)))
        .hasMessageContaining("p1, p2");
  }
}
