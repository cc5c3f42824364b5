package io.github.facenorm.warp.internal.graph;

import io.github.facenorm.warp.internal.FittedSpline;
import io.github.facenorm.warp.internal.NdArrays;
import io.github.facenorm.warp.internal.Parallel;
import io.github.facenorm.warp.internal.SplineAdjoint;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The gradient of {@link InterpolateOp}: inputs centers, values, queries, {@code dL/dout}; outputs
 * {@code dL/dcenters}, {@code dL/dvalues}, {@code dL/dqueries} (double precision inside).
 */
public final class InterpolateGradOp extends JavaGradientOp {

  /** The op's name in graphs and saved files. */
  public static final String OP_NAME = "facenorm_interpolate_spline_bp";

  /** For deserialization and registration. */
  public InterpolateGradOp() {}

  InterpolateGradOp(
      SameDiff sd,
      SDVariable centers,
      SDVariable values,
      SDVariable queries,
      SDVariable grad,
      InterpolateOp forward) {
    super(sd, new SDVariable[] {centers, values, queries, grad}, forward.iArgs(), forward.tArgs());
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
    return "spline interpolation";
  }

  @Override
  public void compute(INDArray[] in, INDArray[] out) {
    long[] cs = in[0].shape();
    int batch = (int) cs[0];
    int n = (int) cs[1];
    int d = (int) cs[2];
    int k = (int) in[1].size(2);
    int m = (int) in[2].size(1);
    int threads = Parallel.defaultThreads();
    FittedSpline spline =
        FittedSpline.fit(
            NdArrays.toDoubles(in[0]),
            NdArrays.toDoubles(in[1]),
            batch,
            n,
            d,
            k,
            intArg(0),
            getTArgument(0),
            threads,
            j -> "centers " + j,
            true);
    SplineAdjoint.Gradients g =
        SplineAdjoint.backward(
            spline,
            SplineAdjoint.points(NdArrays.toDoubles(in[2]), m, d),
            NdArrays.toDoubles(in[3]),
            true,
            threads);
    write(out[0], NdArrays.create(g.centers(), cs));
    write(out[1], NdArrays.create(g.values(), in[1].shape()));
    write(out[2], NdArrays.create(g.queries(), in[2].shape()));
  }
}
