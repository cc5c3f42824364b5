package io.github.facenorm.warp.internal.cpu;

import io.github.facenorm.warp.internal.graph.JavaOp;
import io.github.facenorm.warp.internal.graph.JavaOpExecutioner;
import io.github.facenorm.warp.internal.graph.OpRegistry;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.CustomOpDescriptor;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;
import org.nd4j.linalg.cpu.nativecpu.ops.NativeOpExecutioner;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ND4J's CPU executioner, plus: ops that are {@link JavaOp}s run their Java kernels. Everything
 * else goes to the native kernels exactly as before. ND4J creates it from the {@code opexec}
 * property when it initializes ({@code FacenormKernels.install()} sets that property).
 */
public class FacenormCpuExecutioner extends NativeOpExecutioner implements JavaOpExecutioner {

  private static volatile boolean registered;

  /** Created by ND4J by reflection. */
  public FacenormCpuExecutioner() {
    super();
  }

  /**
   * Registers facenorm's ops with ND4J's op table the first time it is safe: not while ND4J is
   * still initializing (the op table's own initialization needs a finished ND4J), but before {@code
   * SameDiff.load} resolves op classes — the op-class holder asks this method for the native ops
   * when it is built, so loading a saved graph needs no call from the user.
   */
  private static void registerWhenReady() {
    if (!registered && Nd4j.factory() != null) {
      registered = true;
      OpRegistry.ensureRegistered();
    }
  }

  @Override
  public synchronized Map<String, CustomOpDescriptor> getCustomOperations() {
    Map<String, CustomOpDescriptor> ops = super.getCustomOperations();
    registerWhenReady();
    return ops;
  }

  @Override
  public INDArray[] exec(CustomOp op, OpContext context) {
    if (op instanceof JavaOp j) {
      registerWhenReady();
      INDArray[] in = context.getInputArrays().toArray(new INDArray[0]);
      INDArray[] out = context.getOutputArrays().toArray(new INDArray[0]);
      computeOutsideWorkspaces(j, in, out);
      return out;
    }
    return super.exec(op, context);
  }

  @Override
  public INDArray[] exec(CustomOp op) {
    if (op instanceof JavaOp j) {
      INDArray[] in = op.inputArguments().toArray(new INDArray[0]);
      INDArray[] out = op.outputArguments().toArray(new INDArray[0]);
      if (out.length == 0) {
        List<LongShapeDescriptor> shapes = j.calculateOutputShape();
        out = new INDArray[shapes.size()];
        for (int i = 0; i < out.length; i++) {
          out[i] = Nd4j.create(shapes.get(i));
          op.addOutputArgument(out[i]);
        }
      }
      computeOutsideWorkspaces(j, in, out);
      return out;
    }
    return super.exec(op);
  }

  /**
   * The Java kernels allocate their temporaries with ND4J; inside a caller's workspace (DL4J opens
   * them around every layer) those would live in memory the caller recycles, so they are made
   * outside any workspace. The outputs are the caller's arrays and are only written into.
   */
  private static void computeOutsideWorkspaces(JavaOp op, INDArray[] in, INDArray[] out) {
    MemoryWorkspace scope = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces();
    try {
      op.compute(in, out);
    } finally {
      scope.close();
    }
  }

  @Override
  public List<LongShapeDescriptor> calculateOutputShape(CustomOp op) {
    if (op instanceof JavaOp j) {
      return j.outputShapes(op.inputArguments().toArray(new INDArray[0]));
    }
    return super.calculateOutputShape(op);
  }

  @Override
  public List<LongShapeDescriptor> calculateOutputShape(CustomOp op, OpContext context) {
    if (op instanceof JavaOp j) {
      return j.outputShapes(context.getInputArrays().toArray(new INDArray[0]));
    }
    return super.calculateOutputShape(op, context);
  }
}
