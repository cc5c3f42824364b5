package io.github.facenorm.models.nets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.facenorm.core.FaceBox;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * face-api's box decoding and NMS on hand-made outputs, option validation, and the graph with
 * random weights (no cache needed).
 */
class TinyFaceDetectorTest {
  private static final int SIZE = 64; // g = 2

  private static float[] empty() {
    float[] out = new float[2 * 2 * 25];
    for (int i = 4; i < out.length; i += 5) {
      out[i] = -20; // score ~ 0
    }
    return out;
  }

  private static void set(float[] out, int row, int col, int anchor, float... t) {
    System.arraycopy(t, 0, out, ((row * 2 + col) * 5 + anchor) * 5, 5);
  }

  @Test
  void decodesCellsAnchorsAndPaddingCorrection() {
    float[] out = empty();
    set(out, 1, 0, 0, 0, 0, 0, 0, 3);
    // Square image: cx = (0 + 0.5) / 2, cy = (1 + 0.5) / 2, w = 1.603231 / 2, h = 2.094468 / 2.
    List<FaceBox> r = TinyFaceDetector.decode(out, SIZE, 100, 100, 0.5);
    assertThat(r).hasSize(1);
    FaceBox b = r.get(0);
    assertThat(b.score().orElseThrow()).isCloseTo(1 / (1 + Math.exp(-3)), within(1e-12));
    assertThat(b.width()).isCloseTo(100 * 1.603231 / 2, within(1e-9));
    assertThat(b.left()).isCloseTo(100 * (0.25 - 1.603231 / 4), within(1e-9));
    assertThat(b.top()).isCloseTo(100 * (0.75 - 2.094468 / 4), within(1e-9));
    // A 100 x 50 image is padded at the bottom: relative y is stretched by S / rh = 2.
    FaceBox wide = TinyFaceDetector.decode(out, SIZE, 100, 50, 0.5).get(0);
    assertThat(wide.top()).isCloseTo(50 * 2 * (0.75 - 2.094468 / 4), within(1e-9));
    assertThat(wide.left()).isCloseTo(b.left(), within(1e-9));
  }

  @Test
  void nmsKeepsTheBestOfOverlappingBoxesAndOrdersByScore() {
    float[] out = empty();
    set(out, 0, 0, 1, 0, 0, 0, 0, 1);
    set(out, 0, 0, 3, 0, 0, 0, 0, 2); // similar box (anchor 3 vs 1), higher score
    set(out, 1, 1, 0, 0, 0, 0, 0, 0.5f); // far away
    List<FaceBox> r = TinyFaceDetector.decode(out, SIZE, 64, 64, 0.5);
    assertThat(r).hasSize(2);
    assertThat(r.get(0).score().orElseThrow()).isGreaterThan(r.get(1).score().orElseThrow());
    assertThat(r.get(0).score().orElseThrow()).isCloseTo(1 / (1 + Math.exp(-2)), within(1e-12));
    assertThat(r.get(1).left()).isGreaterThan(20);
  }

  @Test
  void thresholdIsStrict() {
    float[] out = empty();
    set(out, 0, 0, 0, 0, 0, 0, 0, 0); // score exactly 0.5
    assertThat(TinyFaceDetector.decode(out, SIZE, 64, 64, 0.5)).isEmpty();
  }

  @Test
  void optionsAreValidated() {
    assertThat(TinyFaceDetector.Options.DEFAULT.inputSize()).isEqualTo(416);
    assertThat(TinyFaceDetector.Options.DEFAULT.scoreThreshold()).isEqualTo(0.5);
    assertThatThrownBy(() -> new TinyFaceDetector.Options(400, 0.5))
        .hasMessageContaining("inputSize")
        .hasMessageContaining("400");
    assertThatThrownBy(() -> new TinyFaceDetector.Options(416, 1.0))
        .hasMessageContaining("scoreThreshold");
    assertThatThrownBy(() -> TinyFaceDetector.decode(new float[3], 64, 10, 10, 0.5))
        .hasMessageContaining("expected 100");
  }

  @Test
  void iouOfBoxes() {
    FaceBox a = new FaceBox(0, 0, 2, 2);
    assertThat(a.iou(a)).isEqualTo(1.0);
    assertThat(a.iou(new FaceBox(1, 0, 2, 2))).isCloseTo(1.0 / 3, within(1e-12));
    assertThat(a.iou(new FaceBox(5, 5, 1, 1))).isZero();
  }

  @Test
  void aBatchEqualsItsExamplesRunOneByOne() {
    TinyFaceDetector net = TinyFaceDetector.fromWeights(SyntheticWeights.tinyDetector(13));
    Nd4j.getRandom().setSeed(9);
    INDArray batch = Nd4j.rand(DataType.FLOAT, 3, 96, 96, 3).muli(255);
    INDArray all = net.predict(batch);
    assertThat(all.shape()).containsExactly(3, 3, 3, 25);
    assertThat(all.stdNumber().doubleValue()).as("outputs vary").isGreaterThan(1e-3);
    for (int i = 0; i < 3; i++) {
      INDArray one = net.predict(batch.get(NDArrayIndex.interval(i, i + 1)).dup());
      INDArray slice = all.get(NDArrayIndex.interval(i, i + 1)).dup();
      double diff = one.sub(slice).amaxNumber().doubleValue();
      assertThat(diff).as("example %d: max |batch - alone|", i).isLessThan(1e-4);
      // The same raw outputs decode to the same boxes (threshold low enough to keep some).
      List<FaceBox> a = TinyFaceDetector.decode(one.data().asFloat(), 96, 96, 96, 0.1);
      List<FaceBox> b = TinyFaceDetector.decode(slice.data().asFloat(), 96, 96, 96, 0.1);
      assertThat(a).hasSameSizeAs(b);
      for (int k = 0; k < a.size(); k++) {
        assertThat(a.get(k).iou(b.get(k))).isGreaterThan(0.999);
      }
    }
  }
}
