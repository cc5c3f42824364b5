package io.github.facenorm.warp.internal.graph;

import io.github.facenorm.warp.PointOrder;
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
 * {@code dense_image_warp} as a graph op: inputs image {@code [B, H, W, C]} and flow {@code [B, H,
 * W, 2]}; output {@code [B, H, W, C]}. Integer argument: point order of the flow (0 = XY, 1 = YX).
 */
public final class DenseWarpOp extends JavaOp {

  /** The op's name in graphs and saved files. */
  public static final String OP_NAME = "facenorm_dense_image_warp";

  /** For deserialization and registration. */
  public DenseWarpOp() {}

  /**
   * Adds the op to a graph.
   *
   * @param sd the graph
   * @param image {@code [B, H, W, C]}
   * @param flow {@code [B, H, W, 2]}
   * @param order the flow's component order
   */
  public DenseWarpOp(SameDiff sd, SDVariable image, SDVariable flow, PointOrder order) {
    super(sd, new SDVariable[] {image, flow}, WarpSpec.denseWarpIntArgs(order), new double[0]);
  }

  PointOrder order() {
    return WarpSpec.denseWarpOrder(iArgs());
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
    return List.of(inputTypes.get(0));
  }

  @Override
  public List<LongShapeDescriptor> outputShapes(INDArray[] in) {
    return List.of(shape(in[0], in[0].shape()));
  }

  @Override
  public void compute(INDArray[] in, INDArray[] out) {
    write(out[0], EagerWarp.denseWarp(in[0], in[1], order(), Parallel.defaultThreads()));
  }

  @Override
  public List<SDVariable> doDiff(List<SDVariable> grads) {
    SDVariable[] args = args();
    return Arrays.asList(
        new DenseWarpGradOp(sameDiff, args[0], args[1], grads.get(0), this).outputVariables());
  }
}
