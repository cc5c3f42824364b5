package io.github.facenorm.warp.internal.graph;

import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Row gather with a gradient that accumulates duplicates: inputs {@code table [R, C]} and integer
 * {@code indices [P]}, output {@code table[indices] [P, C]}. It runs the native {@code gather}
 * kernel (axis 0); its backward is {@code scatterAdd} into zeros, which sums the rows that several
 * indices share (the stock gather's backward fails on duplicate indices in ND4J 1.0.0-M2.1).
 */
public final class RowGatherOp extends NativeKernelOp {

  /** The op's name in graphs and saved files. */
  public static final String OP_NAME = "facenorm_row_gather";

  /** For deserialization and registration. */
  public RowGatherOp() {}

  /**
   * Adds the op to a graph.
   *
   * @param sd the graph
   * @param table {@code [R, C]}
   * @param indices {@code [P]}, INT32 or INT64, each in {@code [0, R)}
   */
  public RowGatherOp(SameDiff sd, SDVariable table, SDVariable indices) {
    super(sd, new SDVariable[] {table, indices});
    addIArgument(0);
  }

  @Override
  String nativeName() {
    return "gather";
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
  public List<SDVariable> doDiff(List<SDVariable> grads) {
    SDVariable table = arg(0);
    SDVariable indices = arg(1);
    SDVariable dTable = sameDiff.scatterAdd(sameDiff.zerosLike(table), indices, grads.get(0));
    return List.of(dTable, sameDiff.zerosLike(indices));
  }
}
