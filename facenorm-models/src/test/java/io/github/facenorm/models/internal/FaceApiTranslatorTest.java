package io.github.facenorm.models.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.facenorm.core.FaceBox;
import io.github.facenorm.core.FaceImage;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * face-api's input translator: 0..255 scaling, padToSquare and tfjs' legacy bilinear resize against
 * hand-computed values, and face-api's box clipping.
 */
class FaceApiTranslatorTest {
  private static float[] ramp(int h, int w) {
    float[] d = new float[h * w * 3];
    for (int i = 0; i < h * w; i++) {
      d[3 * i] = i + 1;
      d[3 * i + 1] = 10 * (i + 1);
      d[3 * i + 2] = 100;
    }
    return d;
  }

  @Test
  void centeredPaddingPutsTheOddColumnAtTheEnd() {
    // 2 rows x 5 columns: diff 3, Math.round(1.5) = 2 rows appended, 1 prepended.
    float[] d = FaceApiTranslator.padToSquare(ramp(2, 5), 2, 5, true);
    assertThat(d).hasSize(5 * 5 * 3);
    assertThat(d[0]).isZero(); // row 0 prepended
    assertThat(d[(1 * 5) * 3]).isEqualTo(1f); // original row 0 at row 1
    assertThat(d[(2 * 5 + 4) * 3]).isEqualTo(10f);
    assertThat(d[(3 * 5) * 3]).isZero();
    assertThat(d[(4 * 5) * 3]).isZero();
  }

  @Test
  void detectorPaddingAppendsEverythingAtTheBottomRight() {
    float[] d = FaceApiTranslator.padToSquare(ramp(3, 2), 3, 2, false);
    assertThat(d).hasSize(3 * 3 * 3);
    assertThat(d[0]).isEqualTo(1f);
    assertThat(d[1 * 3]).isEqualTo(2f);
    assertThat(d[2 * 3]).isZero(); // appended column
    assertThat(d[(2 * 3 + 1) * 3]).isEqualTo(6f);
  }

  @Test
  void legacyResizeSamplesAtRTimesScaleWithoutHalfPixelCenters() {
    // 1 row, 3 columns -> 2 columns: src = c * 1.5: c0 = v0, c1 = v1 + 0.5 (v2 - v1).
    float[] r = FaceApiTranslator.resizeBilinear(ramp(1, 3), 1, 3, 1, 2);
    assertThat(r[0]).isEqualTo(1f);
    assertThat(r[3]).isEqualTo(2.5f);
    assertThat(r[4]).isEqualTo(25f);
    // Upsampling 2 -> 4 clamps the last sample to the last pixel: src 1.5 -> y0 1, y1 min(2, 1).
    float[] u = FaceApiTranslator.resizeBilinear(ramp(1, 2), 1, 2, 1, 4);
    assertThat(u).containsSequence(1f, 10f, 100f, 1.5f, 15f, 100f, 2f, 20f, 100f, 2f);
  }

  @Test
  void squareAndResizeSkipsTheResizeWhenTheSquareHasTheRightSide() {
    float[] img = ramp(4, 4);
    assertThat(FaceApiTranslator.squareAndResize(img, 4, 4, 4, true)).isSameAs(img);
    assertThat(FaceApiTranslator.squareAndResize(ramp(3, 4), 3, 4, 8, true)).hasSize(8 * 8 * 3);
  }

  @Test
  void eightBitImagesBecomeExactlyTheirByteValues() {
    byte[] b = new byte[256 * 3];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) (i / 3);
    }
    float[] v = FaceApiTranslator.rgb255(FaceImage.ofRgb8(256, 1, b));
    for (int i = 0; i < v.length; i++) {
      assertThat(v[i]).as("byte %d", i / 3).isEqualTo((float) (i / 3));
    }
  }

  @Test
  void aBatchStacksTheImagesEachPaddedAndResized() {
    FaceImage a = FaceImage.ofRgb8(2, 1, new byte[] {(byte) 255, 0, 0, 0, (byte) 255, 0});
    FaceImage b = FaceImage.ofRgb8(2, 2, new byte[12]);
    INDArray batch = FaceApiTranslator.toNetInput(List.of(a, b), 2, false);
    assertThat(batch.shape()).containsExactly(2, 2, 2, 3);
    assertThat(batch.getFloat(0, 0, 0, 0)).isEqualTo(255f);
    assertThat(batch.getFloat(0, 0, 1, 1)).isEqualTo(255f);
    assertThat(batch.getFloat(0, 1, 0, 0)).isZero(); // padded row
    assertThat(batch.sumNumber().doubleValue()).isEqualTo(510.0);
    assertThatThrownBy(() -> FaceApiTranslator.toNetInput(List.of(), 2, false))
        .hasMessageContaining("at least one");
  }

  @Test
  void boxesAreClippedAndFlooredAndEmptyOnesRejected() {
    assertThat(FaceApiTranslator.clipAndFloor(new FaceBox(-3.5, 2.7, 10, 5.9), 5, 8))
        .containsExactly(0, 2, 5, 5);
    assertThatThrownBy(() -> FaceApiTranslator.clipAndFloor(new FaceBox(6, 0, 3, 3), 5, 8))
        .hasMessageContaining("does not overlap");
  }
}
