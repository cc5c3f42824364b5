package io.github.facenorm.models.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.factory.Nd4j;

class LossesTest {

  @Test
  void textureMaeIsTheWeightedMeanAbsoluteDifference() {
    SameDiff sd = SameDiff.create();
    double v =
        Losses.textureMae(
                sd,
                sd.constant(Nd4j.createFromArray(0.0, 0.5, 1.0, 0.25)),
                sd.constant(Nd4j.createFromArray(0.5, 0.5, 0.0, 0.0)),
                100)
            .eval()
            .getDouble(0);
    assertThat(v).isEqualTo(100 * (0.5 + 0 + 1 + 0.25) / 4, within(1e-9));
  }

  @Test
  void landmarkMseIsTheWeightedMeanSquaredDifference() {
    SameDiff sd = SameDiff.create();
    double v =
        Losses.landmarkMse(
                sd,
                sd.constant(Nd4j.createFromArray(new double[][] {{1, 2}, {3, 4}})),
                sd.constant(Nd4j.createFromArray(new double[][] {{1, 0}, {0, 4}})),
                2)
            .eval()
            .getDouble(0);
    assertThat(v).isEqualTo(2 * (0 + 4 + 9 + 0) / 4.0, within(1e-9));
  }

  @Test
  void identityCosineIsMinusTheWeightedCosinePerSampleAveraged() {
    SameDiff sd = SameDiff.create();
    double[][] a = {{1, 0}, {1, 1}, {2, 0}};
    double[][] b = {{3, 0}, {-1, -1}, {0, 5}};
    double v =
        Losses.identityCosine(
                sd, sd.constant(Nd4j.createFromArray(a)), sd.constant(Nd4j.createFromArray(b)), 10)
            .eval()
            .getDouble(0);
    assertThat(v).isEqualTo(-10 * (1 - 1 + 0) / 3.0, within(1e-9));
  }
}
