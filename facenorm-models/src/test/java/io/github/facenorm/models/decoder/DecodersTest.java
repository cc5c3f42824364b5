package io.github.facenorm.models.decoder;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.DeConv2DConfig;
import org.nd4j.linalg.factory.Nd4j;

class DecodersTest {

  @Test
  void upsamplingEqualsSameModeTransposedConvolution() {
    // textureCnn's fast form (VALID, pad 1, crop) must equal TF SAME exactly: an off-by-one crop
    // would shift the texture by a pixel.
    SameDiff sd = SameDiff.create();
    INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 5, 5, 3);
    INDArray w = Nd4j.rand(DataType.DOUBLE, 5, 5, 4, 3).subi(0.5);
    SDVariable in = sd.constant("x", x);
    SDVariable wv = sd.constant("w", w);
    SDVariable same =
        sd.cnn()
            .deconv2d(
                in,
                wv,
                DeConv2DConfig.builder()
                    .kH(5)
                    .kW(5)
                    .sH(2)
                    .sW(2)
                    .isSameMode(true)
                    .dataFormat("NHWC")
                    .build());
    SDVariable valid =
        sd.cnn()
            .deconv2d(
                in,
                wv,
                DeConv2DConfig.builder()
                    .kH(5)
                    .kW(5)
                    .sH(2)
                    .sW(2)
                    .pH(1)
                    .pW(1)
                    .isSameMode(false)
                    .dataFormat("NHWC")
                    .build());
    INDArray a = same.eval();
    INDArray b = valid.eval();
    assertThat(a.shape()).containsExactly(2, 10, 10, 4);
    assertThat(b.shape()).containsExactly(2, 11, 11, 4);
    INDArray cropped =
        b.get(
            org.nd4j.linalg.indexing.NDArrayIndex.all(),
            org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 10),
            org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 10),
            org.nd4j.linalg.indexing.NDArrayIndex.all());
    assertThat(cropped.sub(a).amaxNumber().doubleValue()).isLessThan(1e-12);
  }

  @Test
  void textureCnnDoublesTheSidePerLevelAndStaysInTheUnitInterval() {
    SameDiff sd = SameDiff.create();
    SDVariable f = sd.placeHolder("f", DataType.FLOAT, -1, 6);
    SDVariable t = Decoders.textureCnn(sd, "tex", f, 6, 3, new int[] {5, 4, 3, 2}, 7);
    INDArray out = t.eval(Map.of("f", Nd4j.rand(DataType.FLOAT, 2, 6)));
    assertThat(out.shape()).containsExactly(2, 24, 24, 3);
    assertThat(out.minNumber().doubleValue()).isGreaterThan(0);
    assertThat(out.maxNumber().doubleValue()).isLessThan(1);
  }

  @Test
  void landmarkMlpStartsNearTheMeanShapeAndIsSeeded() {
    INDArray mean = Nd4j.rand(DataType.FLOAT, 68, 2).muli(100);
    INDArray[] outs = new INDArray[3];
    long[] seeds = {1, 1, 2};
    INDArray feats = Nd4j.rand(new Random(3).nextLong(), new long[] {4, 10}).castTo(DataType.FLOAT);
    for (int k = 0; k < 3; k++) {
      SameDiff sd = SameDiff.create();
      SDVariable f = sd.placeHolder("f", DataType.FLOAT, -1, 10);
      SDVariable l = Decoders.landmarkMlp(sd, "lm", f, 10, 16, mean, 1.0, seeds[k]);
      outs[k] = l.eval(Map.of("f", feats));
    }
    assertThat(outs[0].shape()).containsExactly(4, 68, 2);
    // offsets are 0.1 × scale × O(1): within a few pixels of the mean for scale 1
    INDArray off = outs[0].sub(mean.reshape(1, 68, 2).broadcast(4, 68, 2));
    assertThat(off.amaxNumber().doubleValue()).isLessThan(5).isGreaterThan(0);
    assertThat(outs[1]).isEqualTo(outs[0]);
    assertThat(outs[2]).isNotEqualTo(outs[0]);
  }

  @Test
  void fullyConnectedTextureHasTheRequestedSize() {
    SameDiff sd = SameDiff.create();
    SDVariable f = sd.placeHolder("f", DataType.FLOAT, -1, 4);
    SDVariable t = Decoders.fullyConnectedTexture(sd, "fc", f, 4, 8, 1);
    assertThat(t.eval(Map.of("f", Nd4j.rand(DataType.FLOAT, 3, 4))).shape())
        .containsExactly(3, 8, 8, 3);
  }
}
