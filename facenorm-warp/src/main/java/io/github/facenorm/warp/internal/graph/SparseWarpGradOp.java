package io.github.facenorm.warp.internal.graph;

import io.github.facenorm.warp.PointOrder;
import io.github.facenorm.warp.internal.ArrayPool;
import io.github.facenorm.warp.internal.FittedSpline;
import io.github.facenorm.warp.internal.NdArrays;
import io.github.facenorm.warp.internal.Parallel;
import io.github.facenorm.warp.internal.SamplingAdjoint;
import io.github.facenorm.warp.internal.SplineAdjoint;
import io.github.facenorm.warp.internal.WarpKernels;
import io.github.facenorm.warp.internal.WarpSpline;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The gradient of {@link SparseWarpOp}: inputs image, source, dest, {@code dL/dimage_out} and, when
 * the flow is an output, {@code dL/dflow}; outputs {@code dL/dimage}, {@code dL/dsource}, {@code
 * dL/ddest}, in double precision internally (cast to the inputs' types). The dest gradient includes
 * the path through the spline's centers (the system matrix and the evaluation), not only through
 * {@code dest − source}.
 */
public final class SparseWarpGradOp extends JavaGradientOp {

  /** The op's name in graphs and saved files. */
  public static final String OP_NAME = "facenorm_sparse_image_warp_bp";

  /** For deserialization and registration. */
  public SparseWarpGradOp() {}

  SparseWarpGradOp(SameDiff sd, SDVariable[] inputs, SparseWarpOp forward) {
    super(sd, inputs, forward.iArgs(), forward.tArgs());
  }

  @Override
  public String opName() {
    return OP_NAME;
  }

  @Override
  int gradientCount() {
    return 3;
  }

  @Override
  String forwardName() {
    return "spline warp";
  }

  @Override
  public void compute(INDArray[] in, INDArray[] out) {
    int order = intArg(0);
    int boundary = intArg(1);
    PointOrder pointOrder = intArg(2) == 1 ? PointOrder.YX : PointOrder.XY;
    double lambda = getTArgument(0);
    long[] is = in[0].shape();
    int batch = (int) is[0];
    int h = (int) is[1];
    int w = (int) is[2];
    int c = (int) is[3];
    int n = (int) in[1].size(1);
    int threads = Parallel.defaultThreads();
    double[] image = NdArrays.toDoubles(in[0], true);
    double[] src = NdArrays.toDoubles(in[1]);
    double[] dst = NdArrays.toDoubles(in[2]);
    double[] gOut = NdArrays.toDoubles(in[3], true);
    double[] gFlow = in.length > 4 ? NdArrays.toDoubles(in[4]) : null;

    FittedSpline spline =
        WarpSpline.fit(
            src, dst, batch, n, h, w, order, lambda, boundary, pointOrder, threads, true);
    double[] flow = ArrayPool.doubles(batch * h * w * 2, false);
    WarpKernels.get().sparseWarp(image, batch, h, w, c, spline, false, threads, null, flow);
    double[] dImage = ArrayPool.doubles(image.length, true);
    double[] dFlow = ArrayPool.doubles(flow.length, true);
    SamplingAdjoint.backward(image, flow, gOut, batch, h, w, c, threads, dImage, dFlow);
    int xi = pointOrder.xIndex();
    if (gFlow != null) {
      for (int p = 0; p < batch * h * w; p++) {
        dFlow[2 * p] += gFlow[2 * p + xi];
        dFlow[2 * p + 1] += gFlow[2 * p + 1 - xi];
      }
    }
    SplineAdjoint.Gradients g =
        SplineAdjoint.backward(spline, SplineAdjoint.grid(h, w), dFlow, false, threads);
    ArrayPool.give(image, gOut, flow, dFlow);
    int total = spline.centerCount();
    double[] dSrc = new double[src.length];
    double[] dDst = new double[dst.length];
    for (int b = 0; b < batch; b++) {
      for (int j = 0; j < n; j++) {
        int xy = (b * total + j) * 2;
        int o = (b * n + j) * 2;
        // values = dest − source; centers = dest
        dDst[o + xi] = g.centers()[xy] + g.values()[xy];
        dDst[o + 1 - xi] = g.centers()[xy + 1] + g.values()[xy + 1];
        dSrc[o + xi] = -g.values()[xy];
        dSrc[o + 1 - xi] = -g.values()[xy + 1];
      }
    }
    write(out[0], NdArrays.create(dImage, is));
    ArrayPool.give(dImage);
    write(out[1], NdArrays.create(dSrc, in[1].shape()));
    write(out[2], NdArrays.create(dDst, in[2].shape()));
  }
}
