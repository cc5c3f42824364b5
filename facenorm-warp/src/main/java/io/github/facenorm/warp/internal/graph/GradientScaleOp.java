package io.github.facenorm.warp.internal.graph;

import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;

/**
 * Identity forward, gradient multiplied by a constant (floating argument 0) backward. Used to undo
 * DL4J M2.1's doubled SameDiff-vertex gradients without touching the value.
 */
public final class GradientScaleOp extends JavaOp {

  /** The op's name in graphs and saved files. */
  public static final String OP_NAME = "facenorm_gradient_scale";

  /** For deserialization and registration. */
  public GradientScaleOp() {}

  /**
   * Adds the op to a graph.
   *
   * @param sd the graph
   * @param x the input
   * @param factor what the gradient is multiplied by
   */
  public GradientScaleOp(SameDiff sd, SDVariable x, double factor) {
    super(sd, new SDVariable[] {x}, new long[0], new double[] {factor});
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
    out[0].assign(in[0]);
  }

  @Override
  public List<SDVariable> doDiff(List<SDVariable> grads) {
    return List.of(grads.get(0).mul(getTArgument(0)));
  }
}
