package io.github.facenorm.warp.internal.graph;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;

/**
 * A Java op that is the backward of another: its outputs are the gradients of the forward op's
 * first {@link #gradientCount()} inputs, so each has that input's shape and data type. Second
 * derivatives are not provided.
 */
abstract class JavaGradientOp extends JavaOp {

  /** For deserialization and registration. */
  JavaGradientOp() {}

  JavaGradientOp(SameDiff sd, SDVariable[] args, long[] iArgs, double[] tArgs) {
    super(sd, args, iArgs, tArgs);
  }

  /** How many of the inputs, from the first, get a gradient output. */
  abstract int gradientCount();

  /** What the forward op computes, for the error message on second derivatives. */
  abstract String forwardName();

  @Override
  public int getNumOutputs() {
    return gradientCount();
  }

  @Override
  public List<DataType> calculateOutputDataTypes(List<DataType> inputTypes) {
    return new ArrayList<>(inputTypes.subList(0, gradientCount()));
  }

  @Override
  public List<LongShapeDescriptor> outputShapes(INDArray[] in) {
    List<LongShapeDescriptor> shapes = new ArrayList<>(gradientCount());
    for (int i = 0; i < gradientCount(); i++) {
      shapes.add(shape(in[i], in[i].shape()));
    }
    return shapes;
  }

  @Override
  public List<SDVariable> doDiff(List<SDVariable> grads) {
    throw new UnsupportedOperationException(
        "second derivatives of the " + forwardName() + " are not implemented");
  }
}
