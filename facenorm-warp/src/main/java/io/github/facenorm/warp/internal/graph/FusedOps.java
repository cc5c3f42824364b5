package io.github.facenorm.warp.internal.graph;

import io.github.facenorm.warp.PointOrder;
import io.github.facenorm.warp.internal.WarpKernels;
import io.github.facenorm.warp.internal.WarpSpec;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/** The fused Java ops: forward and hand-written adjoints run facenorm's kernels. */
final class FusedOps implements WarpBackend {

  static final FusedOps INSTANCE = new FusedOps();

  private FusedOps() {}

  @Override
  public String description() {
    return "fused Java ops (" + WarpKernels.get().description() + ")";
  }

  @Override
  public SDVariable[] sparseWarp(
      SameDiff sd,
      String name,
      SDVariable image,
      SDVariable source,
      SDVariable dest,
      WarpSpec spec,
      boolean withFlow) {
    OpRegistry.ensureRegistered();
    return new SparseWarpOp(sd, image, source, dest, spec, withFlow).outputVariables();
  }

  @Override
  public SDVariable denseWarp(
      SameDiff sd, String name, SDVariable image, SDVariable flow, PointOrder order) {
    OpRegistry.ensureRegistered();
    return new DenseWarpOp(sd, image, flow, order).outputVariable();
  }

  @Override
  public SDVariable interpolate(
      SameDiff sd,
      String name,
      SDVariable centers,
      SDVariable values,
      SDVariable queries,
      WarpSpec spec) {
    OpRegistry.ensureRegistered();
    return new InterpolateOp(sd, centers, values, queries, spec).outputVariable();
  }

  @Override
  public SDVariable scaleGradient(SameDiff sd, SDVariable x, double factor) {
    OpRegistry.ensureRegistered();
    return new GradientScaleOp(sd, x, factor).outputVariable();
  }

  @Override
  public String toString() {
    return "fused ops";
  }
}
