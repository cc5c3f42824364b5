package io.github.facenorm.warp.internal.graph;

import io.github.facenorm.warp.internal.EagerWarp;
import io.github.facenorm.warp.internal.Parallel;
import io.github.facenorm.warp.internal.WarpSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;

/**
 * The slow path's argument check: the native {@code identity} of its first input that, each time
 * the graph runs it, first checks all its inputs with the eager path's own checks ({@link
 * EagerWarp#checkSparseWarp}, {@link EagerWarp#checkDenseWarp}, {@link
 * EagerWarp#checkInterpolate}), so a bad input is the same clear {@link IllegalArgumentException}
 * with or without facenorm's executioner: NaN/Inf images, points or flows, coinciding, too close or
 * collinear points, a numerically singular spline system, an unusable order.
 *
 * <p>The check runs in {@link #calculateOutputShape(OpContext)}: SameDiff's {@code
 * InferenceSession} asks every custom op for its output shapes with that run's input arrays before
 * it executes the op, on every executioner. The pass-through input is one that everything
 * downstream depends on (the dest points of a warp, the flow of a dense warp, the centers of an
 * interpolation), so the check runs before the native solve and sampling. Its cost is the eager
 * path's checks: a pass over the inputs and, for splines, the O(N³) double-precision fit of an N ×
 * N system (N = n + 3, the same solve the composition runs natively), small next to the slow path's
 * passes over {@code [B, H, W, N]} tensors (not measured separately). Gradient: the pass-through
 * gets the incoming gradient unchanged, the other inputs none.
 *
 * <p>Integer arguments: the kind (0 sparse warp, 1 dense warp, 2 interpolation), then the op's spec
 * arguments ({@link WarpSpec}); floating arguments: the spec's.
 */
public final class InputCheckOp extends NativeKernelOp {

  /** The op's name in graphs and saved files. */
  public static final String OP_NAME = "facenorm_warp_input_check";

  static final int SPARSE_WARP = 0;
  static final int DENSE_WARP = 1;
  static final int INTERPOLATE = 2;

  /** For deserialization and registration. */
  public InputCheckOp() {}

  private InputCheckOp(SameDiff sd, SDVariable[] args, int kind, long[] specInts, double[] floats) {
    super(sd, args);
    long[] ints = new long[specInts.length + 1];
    ints[0] = kind;
    System.arraycopy(specInts, 0, ints, 1, specInts.length);
    addIArgument(ints);
    addTArgument(floats);
  }

  /**
   * Checks a sparse warp's inputs; returns {@code dest}, unchanged.
   *
   * @param sd the graph
   * @param image {@code [B, H, W, C]}
   * @param source {@code [B, n, 2]}
   * @param dest {@code [B, n, 2]}
   * @param spec the warp
   * @return dest {@code [B, n, 2]}, checked
   */
  static SDVariable sparseWarp(
      SameDiff sd, SDVariable image, SDVariable source, SDVariable dest, WarpSpec spec) {
    return new InputCheckOp(
            sd,
            new SDVariable[] {dest, image, source},
            SPARSE_WARP,
            spec.sparseWarpIntArgs(false),
            spec.floatArgs())
        .outputVariable();
  }

  /**
   * Checks a dense warp's inputs; returns {@code flow}, unchanged.
   *
   * @param sd the graph
   * @param image {@code [B, H, W, C]}
   * @param flow {@code [B, H, W, 2]}
   * @param order the flow's component order
   * @return flow, checked
   */
  static SDVariable denseWarp(
      SameDiff sd, SDVariable image, SDVariable flow, io.github.facenorm.warp.PointOrder order) {
    return new InputCheckOp(
            sd,
            new SDVariable[] {flow, image},
            DENSE_WARP,
            WarpSpec.denseWarpIntArgs(order),
            new double[0])
        .outputVariable();
  }

  /**
   * Checks an interpolation's inputs; returns {@code centers}, unchanged.
   *
   * @param sd the graph
   * @param centers {@code [B, n, d]}
   * @param values {@code [B, n, k]}
   * @param queries {@code [B, m, d]}
   * @param spec order and λ
   * @return centers, checked
   */
  static SDVariable interpolate(
      SameDiff sd, SDVariable centers, SDVariable values, SDVariable queries, WarpSpec spec) {
    return new InputCheckOp(
            sd,
            new SDVariable[] {centers, values, queries},
            INTERPOLATE,
            spec.interpolateIntArgs(),
            spec.floatArgs())
        .outputVariable();
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
  public List<LongShapeDescriptor> calculateOutputShape(OpContext oc) {
    if (oc != null) {
      List<INDArray> in = oc.getInputArrays();
      if (in != null && in.size() == args().length && !in.contains(null)) {
        check(in.toArray(new INDArray[0]));
      }
    }
    return super.calculateOutputShape(oc);
  }

  private void check(INDArray[] in) {
    long[] ints = iArgs();
    long[] spec = Arrays.copyOfRange(ints, 1, ints.length);
    int threads = Parallel.defaultThreads();
    switch ((int) ints[0]) {
      case SPARSE_WARP ->
          EagerWarp.checkSparseWarp(
              in[1], in[2], in[0], WarpSpec.ofSparseWarpArgs(spec, tArgs(), threads));
      case DENSE_WARP -> EagerWarp.checkDenseWarp(in[1], in[0], WarpSpec.denseWarpOrder(spec));
      case INTERPOLATE ->
          EagerWarp.checkInterpolate(
              in[0], in[1], in[2], WarpSpec.ofInterpolateArgs(spec, tArgs(), threads));
      default -> throw new IllegalStateException(OP_NAME + ": unknown kind " + ints[0]);
    }
  }

  @Override
  public List<SDVariable> doDiff(List<SDVariable> grads) {
    SDVariable[] args = args();
    List<SDVariable> out = new ArrayList<>();
    out.add(grads.get(0));
    for (int i = 1; i < args.length; i++) {
      out.add(sameDiff.zerosLike(args[i]));
    }
    return out;
  }
}
