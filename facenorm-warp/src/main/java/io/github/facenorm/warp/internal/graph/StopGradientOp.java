package io.github.facenorm.warp.internal.graph;

import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A copy that carries no gradient (ND4J 1.0.0-M2.1 has no {@code stop_gradient}): input {@code x},
 * output {@code x}, run by the native {@code identity} kernel. Its gradient is zero and does not
 * depend on the incoming one, so SameDiff never executes the backward of what consumes the copy on
 * its behalf.
 */
public final class StopGradientOp extends NativeKernelOp {

  /** The op's name in graphs and saved files. */
  public static final String OP_NAME = "facenorm_stop_gradient";

  /** For deserialization and registration. */
  public StopGradientOp() {}

  /**
   * Adds the op to a graph.
   *
   * @param sd the graph
   * @param x any floating-point array
   */
  public StopGradientOp(SameDiff sd, SDVariable x) {
    super(sd, new SDVariable[] {x});
  }

  @Override
  String nativeName() {
    return "identity";
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
    return List.of(sameDiff.zerosLike(arg(0)));
  }
}
