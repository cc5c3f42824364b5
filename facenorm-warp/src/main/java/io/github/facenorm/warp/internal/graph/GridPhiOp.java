package io.github.facenorm.warp.internal.graph;

import io.github.facenorm.warp.internal.Phi;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.indexing.conditions.Conditions;

/**
 * The order-1 basis on a separable grid with a lean gradient: inputs {@code phi [B, H, W, N]} =
 * {@code sqrt(max(r², EPS))} of {@code r² = dy² + dx²} (computed from gradient-free copies of
 * {@code dy²}, {@code dx²}), {@code dy² [B, H, 1, N]} and {@code dx² [B, 1, W, N]}; output {@code
 * phi} (the native {@code identity} kernel passes input 0 through).
 *
 * <p>The gradient goes to {@code dy²} and {@code dx²}: with {@code d = g · 0.5 / phi}, zero where
 * {@code r² ≤ EPS} (there {@code phi = sqrt(EPS)} exactly), {@code d dy² = Σ_x d} and {@code d dx²
 * = Σ_y d}. Built from stock ops this takes a {@code pow} and six more passes over {@code [B, H, W,
 * N]}; here it takes three and two reductions.
 */
public final class GridPhiOp extends NativeKernelOp {

  /** The op's name in graphs and saved files. */
  public static final String OP_NAME = "facenorm_grid_phi1";

  /** {@code 0.5 / phi} where {@code max(r², EPS)} clamps: the derivative is cut from here on. */
  private static final double CUT = 0.5 / Math.sqrt(Phi.EPS);

  /** For deserialization and registration. */
  public GridPhiOp() {}

  /**
   * Adds the op to a graph.
   *
   * @param sd the graph
   * @param phi {@code sqrt(max(dy² + dx², EPS))}, {@code [B, H, W, N]}, from gradient-free inputs
   * @param dy2 {@code [B, H, 1, N]}
   * @param dx2 {@code [B, 1, W, N]}
   */
  public GridPhiOp(SameDiff sd, SDVariable phi, SDVariable dy2, SDVariable dx2) {
    super(sd, new SDVariable[] {phi, dy2, dx2});
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
    SDVariable half = outputVariable().rdiv(0.5);
    SDVariable live = sameDiff.replaceWhere(half, 0.0, Conditions.greaterThanOrEqual(CUT));
    SDVariable d = grads.get(0).mul(live);
    return List.of(sameDiff.zerosLike(arg(0)), sameDiff.sum(d, true, 2), sameDiff.sum(d, true, 1));
  }
}
