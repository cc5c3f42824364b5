package io.github.facenorm.warp.internal.graph;

import io.github.facenorm.warp.internal.EagerWarp;
import io.github.facenorm.warp.internal.Parallel;
import io.github.facenorm.warp.internal.WarpSpec;
import java.util.Arrays;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;

/**
 * {@code interpolate_spline} as a graph op: inputs centers {@code [B, n, d]}, values {@code [B, n,
 * k]}, queries {@code [B, m, d]}; output {@code [B, m, k]}. Integer argument: order; floating
 * argument: regularization.
 */
public final class InterpolateOp extends JavaOp {

  /** The op's name in graphs and saved files. */
  public static final String OP_NAME = "facenorm_interpolate_spline";

  /** For deserialization and registration. */
  public InterpolateOp() {}

  /**
   * Adds the op to a graph.
   *
   * @param sd the graph
   * @param centers {@code [B, n, d]}
   * @param values {@code [B, n, k]}
   * @param queries {@code [B, m, d]}
   * @param spec order and regularization
   */
  public InterpolateOp(
      SameDiff sd, SDVariable centers, SDVariable values, SDVariable queries, WarpSpec spec) {
    super(
        sd,
        new SDVariable[] {centers, values, queries},
        spec.interpolateIntArgs(),
        spec.floatArgs());
  }

  WarpSpec spec() {
    return WarpSpec.ofInterpolateArgs(iArgs(), tArgs(), Parallel.defaultThreads());
  }

  @Override
  public String opName() {
    return OP_NAME;
  }

  @Override
  public int getNumOutputs() {
    return 1;
  }

  @Override
  public List<DataType> calculateOutputDataTypes(List<DataType> inputTypes) {
    return List.of(inputTypes.get(1));
  }

  @Override
  public List<LongShapeDescriptor> outputShapes(INDArray[] in) {
    return List.of(shape(in[1], in[2].size(0), in[2].size(1), in[1].size(2)));
  }

  @Override
  public void compute(INDArray[] in, INDArray[] out) {
    write(out[0], EagerWarp.interpolate(in[0], in[1], in[2], spec()));
  }

  @Override
  public List<SDVariable> doDiff(List<SDVariable> grads) {
    SDVariable[] args = args();
    return Arrays.asList(
        new InterpolateGradOp(sameDiff, args[0], args[1], args[2], grads.get(0), this)
            .outputVariables());
  }
}
