package io.github.facenorm.warp.internal.graph;

import io.github.facenorm.warp.internal.NdArrays;
import io.github.facenorm.warp.internal.Parallel;
import io.github.facenorm.warp.internal.SamplingAdjoint;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The gradient of {@link DenseWarpOp}: inputs image, flow, {@code dL/dout}; outputs {@code
 * dL/dimage} and {@code dL/dflow} (double precision inside).
 */
public final class DenseWarpGradOp extends JavaGradientOp {

  /** The op's name in graphs and saved files. */
  public static final String OP_NAME = "facenorm_dense_image_warp_bp";

  /** For deserialization and registration. */
  public DenseWarpGradOp() {}

  DenseWarpGradOp(
      SameDiff sd, SDVariable image, SDVariable flow, SDVariable grad, DenseWarpOp forward) {
    super(sd, new SDVariable[] {image, flow, grad}, forward.iArgs(), new double[0]);
  }

  @Override
  public String opName() {
    return OP_NAME;
  }

  @Override
  int gradientCount() {
    return 2;
  }

  @Override
  String forwardName() {
    return "dense image warp";
  }

  @Override
  public void compute(INDArray[] in, INDArray[] out) {
    long[] is = in[0].shape();
    int batch = (int) is[0];
    int h = (int) is[1];
    int w = (int) is[2];
    int c = (int) is[3];
    boolean yx = intArg(0) == 1;
    double[] image = NdArrays.toDoubles(in[0]);
    double[] flow = NdArrays.toDoubles(in[1]);
    if (yx) {
      swapPairs(flow);
    }
    double[] dImage = new double[image.length];
    double[] dFlow = new double[flow.length];
    SamplingAdjoint.backward(
        image,
        flow,
        NdArrays.toDoubles(in[2]),
        batch,
        h,
        w,
        c,
        Parallel.defaultThreads(),
        dImage,
        dFlow);
    if (yx) {
      swapPairs(dFlow);
    }
    write(out[0], NdArrays.create(dImage, is));
    write(out[1], NdArrays.create(dFlow, in[1].shape()));
  }

  private static void swapPairs(double[] v) {
    for (int i = 0; i < v.length; i += 2) {
      double t = v[i];
      v[i] = v[i + 1];
      v[i + 1] = t;
    }
  }
}
