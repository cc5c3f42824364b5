package io.github.facenorm.warp.internal.graph;

import org.nd4j.imports.converters.ImportClassMapping;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Registers the native-kernel ops of the slow path ({@link GradSolveOp}, {@link RowGatherOp},
 * {@link StopGradientOp}, {@link GridPhiOp}, {@link InputCheckOp}) with ND4J's op-name table, where
 * the gradient builder and {@code SameDiff.load} look their classes up. It must run after ND4J has
 * initialized (the table's own initialization needs a finished ND4J) and before a graph holding
 * these ops is differentiated or loaded.
 */
public final class NativeOpRegistry {

  static {
    Nd4j.getExecutioner(); // ND4J first: the op table must not initialize during ND4J's startup
    for (NativeKernelOp op :
        new NativeKernelOp[] {
          new GradSolveOp(),
          new RowGatherOp(),
          new StopGradientOp(),
          new GridPhiOp(),
          new InputCheckOp()
        }) {
      ImportClassMapping.getOpNameMapping().putIfAbsent(op.opName(), op);
    }
  }

  private NativeOpRegistry() {}

  /** Registers the ops once per JVM (class initialization does the work). */
  public static void ensureRegistered() {
    // the static initializer has run by the time this returns
  }
}
