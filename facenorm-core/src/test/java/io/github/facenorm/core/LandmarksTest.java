package io.github.facenorm.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class LandmarksTest {

  private static Landmarks ramp() {
    double[] xy = new double[136];
    for (int i = 0; i < 68; i++) {
      xy[2 * i] = i;
      xy[2 * i + 1] = 100 + i;
    }
    return Landmarks.of(xy);
  }

  @Test
  void regionsTileTheSixtyEightPoints() {
    int next = 0;
    for (Landmarks.Region r : Landmarks.Region.values()) {
      assertThat(r.from()).as(r.name()).isEqualTo(next);
      next = r.to();
    }
    assertThat(next).isEqualTo(68);
    assertThat(Landmarks.Region.RIGHT_EYE.from()).isEqualTo(36);
    assertThat(Landmarks.Region.LEFT_EYE.size()).isEqualTo(6);
  }

  @Test
  void eyeCentersAreTheMeansOfTheSubjectsEyes() {
    Landmarks lm = ramp();
    assertThat(lm.rightEyeCenter()).isEqualTo(new Landmarks.Point(38.5, 138.5));
    assertThat(lm.leftEyeCenter()).isEqualTo(new Landmarks.Point(44.5, 144.5));
    assertThat(lm.point(30)).isEqualTo(new Landmarks.Point(30, 130));
  }

  @Test
  void arrayRoundTrips() {
    Landmarks lm = ramp();
    double[][] a = lm.toArray();
    assertThat(a[5]).containsExactly(5, 105);
    assertThat(Landmarks.fromArray(a)).isEqualTo(lm);
    INDArray n = lm.toINDArray();
    assertThat(n.shape()).containsExactly(68, 2);
    assertThat(n.dataType()).isEqualTo(DataType.FLOAT);
    assertThat(n.getDouble(7, 1)).isEqualTo(107);
    assertThat(Landmarks.fromINDArray(lm.toINDArray(DataType.DOUBLE))).isEqualTo(lm);
    assertThat(Landmarks.fromINDArray(n.reshape(1, 68, 2))).isEqualTo(lm);
  }

  @Test
  void rejectsBadInput() {
    assertThatThrownBy(() -> Landmarks.of(new double[10]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected 136 values")
        .hasMessageContaining("got 10");
    double[] xy = new double[136];
    xy[3] = Double.NaN;
    assertThatThrownBy(() -> Landmarks.of(xy)).hasMessageContaining("index 3");
    assertThatThrownBy(() -> ramp().x(68)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void faceBoxConvertsToAndFromDlibsInclusiveRectangle() {
    FaceBox b = FaceBox.ofDlibRectangle(233, 257, 448, 472);
    assertThat(b.width()).isEqualTo(216);
    assertThat(b.toDlibRectangle()).containsExactly(233, 257, 448, 472);
    assertThat(new FaceBox(9.6, 10.4, 20, 20).toDlibRectangle()).containsExactly(10, 10, 29, 29);
    assertThat(b.score()).isEmpty();
    assertThat(new FaceBox(0, 0, 1, 1, OptionalDouble.of(0.9)).score()).hasValue(0.9);
    assertThatThrownBy(() -> new FaceBox(0, 0, 0, 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("width, height");
    assertThatThrownBy(() -> new FaceBox(Double.NaN, 0, 1, 5)).hasMessageContaining("left, top");
  }
}
