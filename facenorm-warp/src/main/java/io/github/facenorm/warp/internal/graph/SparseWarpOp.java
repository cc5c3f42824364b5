package io.github.facenorm.warp.internal.graph;

import io.github.facenorm.warp.PointOrder;
import io.github.facenorm.warp.SplineWarp;
import io.github.facenorm.warp.WarpResult;
import java.util.Arrays;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;

/**
 * {@code sparse_image_warp} as a graph op: inputs image {@code [B, H, W, C]}, source and dest
 * {@code [B, n, 2]}; outputs the warped image and, if asked for, the dense flow {@code [B, H, W,
 * 2]}. Integer arguments: spline order, boundary points per edge, point order (0 = XY, 1 = YX),
 * whether the flow is an output (0/1: an unused output would otherwise count as a loss in graphs
 * that infer their losses, such as DL4J's SameDiff vertices); floating argument: regularization.
 * Its kernel is the eager {@link SplineWarp}; its gradient is {@link SparseWarpGradOp}.
 */
public final class SparseWarpOp extends JavaOp {

  /** The op's name in graphs and saved files. */
  public static final String OP_NAME = "facenorm_sparse_image_warp";

  /** For deserialization and registration. */
  public SparseWarpOp() {}

  /**
   * Adds the op to a graph.
   *
   * @param sd the graph
   * @param image {@code [B, H, W, C]}
   * @param source {@code [B, n, 2]}
   * @param dest {@code [B, n, 2]}
   * @param warp the configuration
   * @param withFlow whether the dense flow is a second output
   */
  public SparseWarpOp(
      SameDiff sd,
      SDVariable image,
      SDVariable source,
      SDVariable dest,
      SplineWarp warp,
      boolean withFlow) {
    super(
        sd,
        new SDVariable[] {image, source, dest},
        new long[] {
          warp.order(),
          warp.boundaryPoints(),
          warp.pointOrder() == PointOrder.YX ? 1 : 0,
          withFlow ? 1 : 0
        },
        new double[] {warp.regularization()});
  }

  boolean withFlow() {
    return intArg(3) == 1;
  }

  SplineWarp config() {
    return SplineWarp.builder()
        .order(intArg(0))
        .boundaryPoints(intArg(1))
        .pointOrder(intArg(2) == 1 ? PointOrder.YX : PointOrder.XY)
        .regularization(getTArgument(0))
        .build();
  }

  @Override
  public String opName() {
    return OP_NAME;
  }

  @Override
  public int getNumOutputs() {
    return withFlow() ? 2 : 1;
  }

  @Override
  public List<DataType> calculateOutputDataTypes(List<DataType> inputTypes) {
    return withFlow()
        ? Arrays.asList(inputTypes.get(0), inputTypes.get(0))
        : List.of(inputTypes.get(0));
  }

  @Override
  public List<LongShapeDescriptor> outputShapes(INDArray[] in) {
    long[] s = in[0].shape();
    return withFlow()
        ? Arrays.asList(shape(in[0], s), shape(in[0], s[0], s[1], s[2], 2))
        : List.of(shape(in[0], s));
  }

  @Override
  public void compute(INDArray[] in, INDArray[] out) {
    WarpResult r = config().apply(in[0], in[1], in[2]);
    write(out[0], r.image());
    if (withFlow()) {
      write(out[1], r.flow());
    }
  }

  @Override
  public List<SDVariable> doDiff(List<SDVariable> grads) {
    SDVariable[] args = args();
    SDVariable[] in =
        withFlow()
            ? new SDVariable[] {args[0], args[1], args[2], grads.get(0), grads.get(1)}
            : new SDVariable[] {args[0], args[1], args[2], grads.get(0)};
    return Arrays.asList(new SparseWarpGradOp(sameDiff, in, this).outputVariables());
  }
}
