package io.github.facenorm.warp.internal.graph;

import io.github.facenorm.warp.PointOrder;
import io.github.facenorm.warp.internal.WarpSpec;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ops.custom.BitCast;

/** The composition of native ND4J ops ({@link NativeComposition}): runs on any executioner. */
final class NativeOps implements WarpBackend {

  static final NativeOps INSTANCE = new NativeOps();

  private NativeOps() {}

  @Override
  public String description() {
    return "native ND4J ops";
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
    SDVariable[] out = NativeComposition.sparseWarp(sd, name, image, source, dest, spec);
    return withFlow ? out : new SDVariable[] {out[0]};
  }

  @Override
  public SDVariable denseWarp(
      SameDiff sd, String name, SDVariable image, SDVariable flow, PointOrder order) {
    return NativeComposition.denseWarp(sd, name, image, flow, order);
  }

  @Override
  public SDVariable interpolate(
      SameDiff sd,
      String name,
      SDVariable centers,
      SDVariable values,
      SDVariable queries,
      WarpSpec spec) {
    return NativeComposition.interpolate(sd, name, centers, values, queries, spec);
  }

  /** {@code f x + (1 − f) stop_gradient(x)}. */
  @Override
  public SDVariable scaleGradient(SameDiff sd, SDVariable x, double factor) {
    return x.mul(factor).add(stopGradient(sd, x).mul(1 - factor));
  }

  /** Same bits, no gradient: a bit cast to the same-width integer type and back. */
  private static SDVariable stopGradient(SameDiff sd, SDVariable x) {
    DataType t = x.dataType();
    DataType asInt = t == DataType.DOUBLE ? DataType.INT64 : DataType.INT32;
    return bitCast(sd, bitCast(sd, x, asInt), t);
  }

  private static SDVariable bitCast(SameDiff sd, SDVariable x, DataType to) {
    BitCast op = new BitCast(sd, x, sd.constant(to.toInt()));
    op.addIArgument(to.toInt());
    return op.outputVariable();
  }

  @Override
  public String toString() {
    return "native ops";
  }
}
