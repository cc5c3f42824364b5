package io.github.facenorm.warp.internal.graph;

import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A batched linear solve with a gradient: inputs {@code A [B, m, m]} and {@code b [B, m, k]},
 * output {@code x [B, m, k]} with {@code A x = b} ({@code Aᵀ x = b} when the boolean argument
 * {@code adjoint} is set). It runs the native {@code solve} kernel (LU with partial pivoting),
 * whose own op class has no gradient in ND4J 1.0.0-M2.1.
 *
 * <p>Gradient of {@code x = A⁻¹ b} for {@code g = dL/dx}: {@code db = A⁻ᵀ g} (a solve with the
 * adjoint flipped) and {@code dA = −db xᵀ}; for the adjoint form {@code dA = −x dbᵀ}.
 */
public final class GradSolveOp extends NativeKernelOp {

  /** The op's name in graphs and saved files. */
  public static final String OP_NAME = "facenorm_linear_solve";

  /** For deserialization and registration. */
  public GradSolveOp() {}

  /**
   * Adds the op to a graph.
   *
   * @param sd the graph
   * @param a {@code [B, m, m]}
   * @param b {@code [B, m, k]}, the same data type as {@code a}
   * @param adjoint whether to solve {@code Aᵀ x = b}
   */
  public GradSolveOp(SameDiff sd, SDVariable a, SDVariable b, boolean adjoint) {
    super(sd, new SDVariable[] {a, b});
    addBArgument(adjoint);
  }

  @Override
  String nativeName() {
    return "solve";
  }

  @Override
  public String opName() {
    return OP_NAME;
  }

  private boolean adjoint() {
    boolean[] b = bArgs();
    return b != null && b.length > 0 && b[0];
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
    SDVariable a = arg(0);
    SDVariable x = outputVariable();
    boolean adjoint = adjoint();
    SDVariable db = new GradSolveOp(sameDiff, a, grads.get(0), !adjoint).outputVariable();
    SDVariable dA =
        adjoint
            ? sameDiff.mmul(x, db, false, true, false).neg()
            : sameDiff.mmul(db, x, false, true, false).neg();
    return List.of(dA, db);
  }
}
