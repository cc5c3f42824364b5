package io.github.facenorm.models.normalize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.github.facenorm.core.AlignedFace;
import io.github.facenorm.core.FaceImage;
import io.github.facenorm.core.Landmarks;
import io.github.facenorm.models.nets.FaceApiModels;
import io.github.facenorm.models.nets.FaceRecognitionNet;
import io.github.facenorm.models.train.Losses;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class FaceChipTest {

  /** A smooth random photo with eyes placed somewhere, aligned into the small preset's frame. */
  private static AlignedFace frame(long seed) {
    Random r = new Random(seed);
    int w = 200;
    int h = 180;
    float[] px = new float[w * h * 3];
    double[] f = {r.nextDouble(), r.nextDouble(), r.nextDouble()};
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        for (int c = 0; c < 3; c++) {
          px[(y * w + x) * 3 + c] =
              (float) (0.5 + 0.45 * Math.sin(0.07 * x * (c + 1) * f[c] + 0.05 * y * (2 - c)));
        }
      }
    }
    double[] xy = new double[136];
    for (int i = 0; i < 68; i++) {
      xy[2 * i] = 60 + 80 * r.nextDouble();
      xy[2 * i + 1] = 50 + 80 * r.nextDouble();
    }
    // eyes (36-41 right, 42-47 left) around (80, 80) and (125, 84)
    for (int i = 36; i < 48; i++) {
      xy[2 * i] = (i < 42 ? 80 : 125) + 3 * Math.cos(i);
      xy[2 * i + 1] = (i < 42 ? 80 : 84) + 2 * Math.sin(i);
    }
    return ModelConfig.SMALL.aligner().align(FaceImage.of(w, h, px), Landmarks.of(xy));
  }

  @Test
  void graphResampleEqualsCuttingTheChipOfTheFrame() {
    AlignedFace a = frame(1);
    FaceImage expected = FaceChip.cut(a.image(), a.landmarks());
    SameDiff sd = SameDiff.create();
    SDVariable frames = sd.placeHolder("f", DataType.DOUBLE, -1, 128, 128, 3);
    SDVariable chips = FaceChip.resample(sd, frames, ModelConfig.SMALL);
    INDArray in = a.image().toINDArray().castTo(DataType.DOUBLE);
    INDArray out = chips.eval(Map.of("f", Nd4j.concat(0, in, in.mul(0.5))));
    assertThat(out.shape()).containsExactly(2, 150, 150, 3);
    INDArray ref = expected.toINDArray().castTo(DataType.DOUBLE);
    INDArray first = out.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0));
    // interior (the aligner and the matrices clamp edges the same way, but stay off them)
    INDArray diff =
        first
            .sub(ref.reshape(150, 150, 3))
            .get(
                org.nd4j.linalg.indexing.NDArrayIndex.interval(5, 145),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(5, 145),
                org.nd4j.linalg.indexing.NDArrayIndex.all());
    assertThat(Math.abs(diff.amaxNumber().doubleValue())).isLessThan(2e-3);
    // and it is linear in the frames, batch by batch
    INDArray second = out.get(org.nd4j.linalg.indexing.NDArrayIndex.point(1));
    assertThat(second.sub(first.mul(0.5)).amaxNumber().doubleValue()).isLessThan(1e-9);
  }

  @Test
  void identityLossReachesTheFramesAndLeavesTheRecognitionNetFrozen() {
    assumeThat(FaceApiModels.isAvailable(FaceApiModels.FACE_RECOGNITION))
        .as("face-api weights not cached; run scripts/fetch-models.sh")
        .isTrue();
    SameDiff sd = SameDiff.create();
    INDArray start = frame(2).image().toINDArray().castTo(DataType.FLOAT);
    SDVariable frames = sd.var("frames", start.dup());
    SDVariable target = sd.placeHolder("target", DataType.FLOAT, -1, 128);
    SDVariable loss =
        Losses.identityCosine(sd, FaceRecognitionNet.load(), frames, ModelConfig.SMALL, target, 10);
    sd.setLossVariables(loss);
    INDArray t = Nd4j.rand(DataType.FLOAT, 1, 128).subi(0.5);
    Map<String, INDArray> g = sd.calculateGradients(Map.of("target", t), "frames");
    assertThat(g.get("frames").norm2Number().doubleValue()).isGreaterThan(0);
    // the net is made of constants: the only trainable variable is the one we made
    assertThat(
            sd.variables().stream()
                .filter(
                    v -> v.getVariableType() == org.nd4j.autodiff.samediff.VariableType.VARIABLE)
                .map(SDVariable::name))
        .containsExactly("frames");
    double value = loss.eval(Map.of("target", t)).getDouble(0);
    assertThat(value).isBetween(-10.0, 10.0);
  }
}
