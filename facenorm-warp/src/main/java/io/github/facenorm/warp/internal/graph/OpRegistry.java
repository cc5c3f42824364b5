package io.github.facenorm.warp.internal.graph;

import org.nd4j.imports.converters.ImportClassMapping;

/**
 * Registers the Java ops with ND4J's op-name table, which is how {@code SameDiff.load} and the
 * gradient builder (which clones ops through FlatBuffers) find their classes again.
 */
public final class OpRegistry {

  private OpRegistry() {}

  static {
    for (JavaOp op :
        new JavaOp[] {
          new SparseWarpOp(),
          new SparseWarpGradOp(),
          new DenseWarpOp(),
          new DenseWarpGradOp(),
          new InterpolateOp(),
          new InterpolateGradOp(),
          new GradientScaleOp()
        }) {
      ImportClassMapping.getOpNameMapping().putIfAbsent(op.opName(), op);
    }
    // the slow path's ops too, so graphs saved on either path load
    NativeOpRegistry.ensureRegistered();
  }

  /** Registers the ops once per JVM (class initialization does the work). */
  public static void ensureRegistered() {
    // the static initializer has run by the time this returns
  }
}
