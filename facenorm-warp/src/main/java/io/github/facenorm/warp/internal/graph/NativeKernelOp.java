package io.github.facenorm.warp.internal.graph;

import java.util.Collections;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ops.CustomOpDescriptor;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An op that runs an existing native kernel under a name of its own, so that it can carry its own
 * gradient.
 *
 * <p>SameDiff rebuilds every op from its saved name when it builds the gradient function and when
 * it loads a graph; a subclass that kept the native op's name would be replaced by the stock class
 * (and its gradient) there. With a unique {@link #opName()} (registered by {@link
 * NativeOpRegistry}) the class survives, while {@link #opHash()} and {@link #getDescriptor()} point
 * the executioner at the native kernel, so it runs natively on any backend.
 */
abstract class NativeKernelOp extends DynamicCustomOp {

  /** For deserialization and registration. */
  NativeKernelOp() {}

  /**
   * Adds the op to a graph.
   *
   * @param sd the graph
   * @param args the inputs, as the native kernel takes them
   */
  NativeKernelOp(SameDiff sd, SDVariable[] args) {
    super(sd, args);
  }

  /** The name of the native kernel this op runs. */
  abstract String nativeName();

  @Override
  public abstract String opName();

  @Override
  public long opHash() {
    return getDescriptor().getHash();
  }

  @Override
  public CustomOpDescriptor getDescriptor() {
    CustomOpDescriptor d = Nd4j.getExecutioner().getCustomOperations().get(nativeName());
    if (d == null) {
      throw new IllegalStateException(
          "ND4J's backend has no native op \"" + nativeName() + "\", which " + opName() + " runs");
    }
    return d;
  }

  @Override
  public Map<String, Object> propertiesForFunction() {
    // the configuration travels in the integer/boolean arguments, which serialization keeps
    return Collections.emptyMap();
  }

  @Override
  public void setPropertiesForFunction(Map<String, Object> properties) {
    // nothing beyond the arguments
  }
}
