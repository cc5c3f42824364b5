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
 * {@code sparse_image_warp} as a graph op: inputs image {@code [B, H, W, C]}, source and dest
 * {@code [B, n, 2]}; outputs the warped image and, if asked for, the dense flow {@code [B, H, W,
 * 2]}. Arguments: {@link WarpSpec#sparseWarpIntArgs} (the last says whether the flow is an output:
 * an unused output would otherwise count as a loss in graphs that infer their losses, such as
 * DL4J's SameDiff vertices) and {@link WarpSpec#floatArgs}. Its kernel is the eager one ({@link
 * EagerWarp}); its gradient is {@link SparseWarpGradOp}.
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
   * @param spec the warp
   * @param withFlow whether the dense flow is a second output
   */
  public SparseWarpOp(
      SameDiff sd,
      SDVariable image,
      SDVariable source,
      SDVariable dest,
      WarpSpec spec,
      boolean withFlow) {
    super(
        sd,
        new SDVariable[] {image, source, dest},
        spec.sparseWarpIntArgs(withFlow),
        spec.floatArgs());
  }

  boolean withFlow() {
    return intArg(3) == 1;
  }

  WarpSpec spec() {
    return WarpSpec.ofSparseWarpArgs(iArgs(), tArgs(), Parallel.defaultThreads());
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
    INDArray[] r = EagerWarp.sparseWarp(in[0], in[1], in[2], spec());
    write(out[0], r[0]);
    if (withFlow()) {
      write(out[1], r[1]);
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
