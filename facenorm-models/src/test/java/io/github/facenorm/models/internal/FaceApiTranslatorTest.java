package io.github.facenorm.models.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** face-api's padToSquare and tfjs' legacy bilinear resize, against hand-computed values. */
class FaceApiPreprocessTest {
  private static RgbImage ramp(int h, int w) {
    float[] d = new float[h * w * 3];
    for (int i = 0; i < h * w; i++) {
      d[3 * i] = i + 1;
      d[3 * i + 1] = 10 * (i + 1);
      d[3 * i + 2] = 100;
    }
    return new RgbImage(d, h, w);
  }

  @Test
  void centeredPaddingPutsTheOddColumnAtTheEnd() {
    // 2 rows x 5 columns: diff 3, Math.round(1.5) = 2 rows appended, 1 prepended.
    RgbImage sq = FaceApiPreprocess.padToSquare(ramp(2, 5), true);
    assertThat(sq.height()).isEqualTo(5);
    assertThat(sq.width()).isEqualTo(5);
    float[] d = sq.data();
    assertThat(d[0]).isZero(); // row 0 prepended
    assertThat(d[(1 * 5) * 3]).isEqualTo(1f); // original row 0 at row 1
    assertThat(d[(2 * 5 + 4) * 3]).isEqualTo(10f);
    assertThat(d[(3 * 5) * 3]).isZero();
    assertThat(d[(4 * 5) * 3]).isZero();
  }

  @Test
  void detectorPaddingAppendsEverythingAtTheBottomRight() {
    RgbImage sq = FaceApiPreprocess.padToSquare(ramp(3, 2), false);
    assertThat(sq.width()).isEqualTo(3);
    float[] d = sq.data();
    assertThat(d[0]).isEqualTo(1f);
    assertThat(d[1 * 3]).isEqualTo(2f);
    assertThat(d[2 * 3]).isZero(); // appended column
    assertThat(d[(2 * 3 + 1) * 3]).isEqualTo(6f);
  }

  @Test
  void legacyResizeSamplesAtRTimesScaleWithoutHalfPixelCenters() {
    // 1 row, 3 columns -> 2 columns: src = c * 1.5: c0 = v0, c1 = v1 + 0.5 (v2 - v1).
    RgbImage r = FaceApiPreprocess.resizeBilinear(ramp(1, 3), 1, 2);
    assertThat(r.data()[0]).isEqualTo(1f);
    assertThat(r.data()[3]).isEqualTo(2.5f);
    assertThat(r.data()[4]).isEqualTo(25f);
    // Upsampling 2 -> 4 clamps the last sample to the last pixel: src 1.5 -> y0 1, y1 min(2, 1).
    RgbImage u = FaceApiPreprocess.resizeBilinear(ramp(1, 2), 1, 4);
    assertThat(u.data()).containsSequence(1f, 10f, 100f, 1.5f, 15f, 100f, 2f, 20f, 100f, 2f);
  }

  @Test
  void toNetInputSkipsTheResizeWhenTheSquareHasTheRightSide() {
    RgbImage img = ramp(4, 4);
    assertThat(FaceApiPreprocess.toNetInput(img, 4, true)).isSameAs(img);
    assertThat(FaceApiPreprocess.toNetInput(ramp(3, 4), 8, true).height()).isEqualTo(8);
  }
}
