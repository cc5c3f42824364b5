package io.github.facenorm.models.nets;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.facenorm.core.FaceImage;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The landmark graph with random weights (no cache needed). */
class FaceLandmark68NetTest {
  private static final FaceLandmark68Net NET =
      FaceLandmark68Net.fromWeights(SyntheticWeights.landmark68(11));

  @Test
  void aBatchEqualsItsExamplesRunOneByOne() {
    Nd4j.getRandom().setSeed(5);
    INDArray batch = Nd4j.rand(DataType.FLOAT, 3, 112, 112, 3).muli(255);
    INDArray all = NET.predict(batch);
    assertThat(all.shape()).containsExactly(3, 136);
    assertThat(all.stdNumber().doubleValue()).as("outputs vary").isGreaterThan(1e-3);
    for (int i = 0; i < 3; i++) {
      INDArray one = NET.predict(batch.get(NDArrayIndex.interval(i, i + 1)).dup());
      INDArray row = all.getRow(i).reshape(1, 136);
      double diff = one.sub(row).amaxNumber().doubleValue();
      assertThat(diff).as("example %d: max |batch - alone|", i).isLessThan(1e-5);
    }
    // detectLandmarks on an image that is already 112x112 is the net plus the pixel scale.
    double[] px =
        NET.detectLandmarks(
            FaceImage.fromINDArray(batch.get(NDArrayIndex.interval(1, 2)).div(255)));
    for (int k = 0; k < 136; k++) {
      assertThat(px[k])
          .isCloseTo(all.getDouble(1, k) * 112, org.assertj.core.data.Offset.offset(1e-3));
    }
  }
}
