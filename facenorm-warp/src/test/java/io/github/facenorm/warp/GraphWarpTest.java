package io.github.facenorm.warp;

import static io.github.facenorm.warp.TestArrays.displaced;
import static io.github.facenorm.warp.TestArrays.maxAbsDiff;
import static io.github.facenorm.warp.TestArrays.nd;
import static io.github.facenorm.warp.TestArrays.randomImage;
import static io.github.facenorm.warp.TestArrays.randomPoints;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class GraphWarpTest {

  @BeforeAll
  static void kernels() {
    assertThat(FacenormKernels.install()).as("fused kernels active").isTrue();
  }

  @Test
  void forwardEqualsEager() {
    SplittableRandom r = new SplittableRandom(1);
    INDArray img = nd(randomImage(r, 2, 9, 12, 3)).castTo(DataType.FLOAT);
    double[][][] s = randomPoints(r, 2, 6, 9, 12, PointOrder.XY);
    INDArray src = nd(s).castTo(DataType.FLOAT);
    INDArray dst = nd(displaced(r, s, 2)).castTo(DataType.FLOAT);
    SplineWarp warp = SplineWarp.builder().order(1).boundaryPoints(2).build();
    SameDiff sd = SameDiff.create();
    SDVariable[] out =
        warp.applyWithFlow(
            sd, "warped", sd.constant("img", img), sd.var("src", src), sd.var("dst", dst));
    Map<String, INDArray> got = sd.output(Map.of(), "warped", "warped/flow");
    WarpResult want = warp.apply(img, src, dst);
    assertThat(out[0].name()).isEqualTo("warped");
    assertThat(maxAbsDiff(got.get("warped"), want.image())).isZero();
    assertThat(maxAbsDiff(got.get("warped/flow"), want.flow())).isZero();
  }
}
