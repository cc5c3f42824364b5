package io.github.facenorm.warp.internal.graph;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;

/**
 * A SameDiff op whose kernel is Java code. It has no native kernel: {@code FacenormKernels}'
 * executioner recognises it and calls {@link #compute}; its configuration travels in the integer
 * and floating-point arguments, which {@code sd.save}/{@code SameDiff.load} keep.
 */
public abstract class JavaOp extends DynamicCustomOp {

  /** For deserialization and registration. */
  protected JavaOp() {}

  /**
   * Adds the op to a graph.
   *
   * @param sd the graph
   * @param args the inputs
   * @param iArgs integer configuration
   * @param tArgs floating-point configuration
   */
  protected JavaOp(SameDiff sd, SDVariable[] args, long[] iArgs, double[] tArgs) {
    super(sd, args);
    addIArgument(iArgs);
    addTArgument(tArgs);
  }

  /**
   * Computes the outputs from the inputs.
   *
   * @param inputs the input arrays, in argument order
   * @param outputs pre-allocated outputs of the shapes {@link #outputShapes} gave, to be filled
   */
  public abstract void compute(INDArray[] inputs, INDArray[] outputs);

  /**
   * The output shapes and data types for these inputs.
   *
   * @param inputs the input arrays
   * @return one descriptor per output
   */
  public abstract List<LongShapeDescriptor> outputShapes(INDArray[] inputs);

  @Override
  public abstract String opName();

  /**
   * A stable identifier derived from the op name. There is no native kernel behind it; the
   * serializer stores the name, and loading finds the class by that name.
   */
  @Override
  public long opHash() {
    long h = 1125899906842597L;
    for (char ch : opName().toCharArray()) {
      h = 31 * h + ch;
    }
    return h;
  }

  @Override
  public List<LongShapeDescriptor> calculateOutputShape() {
    return outputShapes(inputArguments().toArray(new INDArray[0]));
  }

  @Override
  public List<LongShapeDescriptor> calculateOutputShape(OpContext oc) {
    if (oc == null) {
      return calculateOutputShape();
    }
    return outputShapes(oc.getInputArrays().toArray(new INDArray[0]));
  }

  @Override
  public Map<String, Object> propertiesForFunction() {
    return Collections.emptyMap();
  }

  @Override
  public void setPropertiesForFunction(Map<String, Object> properties) {
    // all configuration is in the iArgs / tArgs
  }

  /** The integer argument {@code i} as an int. */
  protected int intArg(int i) {
    return getIArgument(i).intValue();
  }

  /** Shape descriptor helper. */
  protected static LongShapeDescriptor shape(INDArray like, long... shape) {
    return LongShapeDescriptor.fromShape(shape, like.dataType());
  }

  /** Copies {@code src} into {@code dst} (same shape), converting the data type if needed. */
  protected static void write(INDArray dst, INDArray src) {
    dst.assign(src.dataType() == dst.dataType() ? src : src.castTo(dst.dataType()));
  }
}
