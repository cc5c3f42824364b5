package io.github.facenorm.warp.internal;

import io.github.facenorm.warp.PointOrder;

/**
 * What a spline warp or interpolation computes, as the internal code and the graph ops carry it:
 * the public {@code SplineWarp} and {@code PolyharmonicSpline} hand one of these down, so nothing
 * under {@code internal} depends on them. The one place where a spec becomes a graph op's integer
 * and floating arguments and back.
 *
 * @param order spline order, at least 1
 * @param regularization λ ≥ 0
 * @param boundaryPoints zero-flow points per image edge (0 for interpolation)
 * @param pointOrder the order of point coordinates and flow components
 * @param threads maximum threads of the eager kernels
 */
public record WarpSpec(
    int order, double regularization, int boundaryPoints, PointOrder pointOrder, int threads) {

  /**
   * The spec of a plain interpolation (no boundary points, XY).
   *
   * @param order spline order
   * @param regularization λ
   * @param threads maximum threads
   * @return the spec
   */
  public static WarpSpec interpolation(int order, double regularization, int threads) {
    return new WarpSpec(order, regularization, 0, PointOrder.XY, threads);
  }

  /** Whether points and flows are {@code (y, x)}. */
  public boolean yx() {
    return pointOrder == PointOrder.YX;
  }

  /**
   * The integer arguments of a sparse-warp op: order, boundary points, point order (0 = XY, 1 =
   * YX), whether the flow is an output (0/1).
   *
   * @param withFlow whether the op outputs the flow
   * @return the op's integer arguments
   */
  public long[] sparseWarpIntArgs(boolean withFlow) {
    return new long[] {order, boundaryPoints, yx() ? 1 : 0, withFlow ? 1 : 0};
  }

  /**
   * The floating arguments of an op: the regularization.
   *
   * @return {@code {λ}}
   */
  public double[] floatArgs() {
    return new double[] {regularization};
  }

  /**
   * A spec from a sparse-warp op's arguments ({@link #sparseWarpIntArgs}, {@link #floatArgs}).
   *
   * @param intArgs the op's integer arguments
   * @param floatArgs the op's floating arguments
   * @param threads maximum threads
   * @return the spec
   */
  public static WarpSpec ofSparseWarpArgs(long[] intArgs, double[] floatArgs, int threads) {
    return new WarpSpec(
        (int) intArgs[0],
        floatArgs[0],
        (int) intArgs[1],
        intArgs[2] == 1 ? PointOrder.YX : PointOrder.XY,
        threads);
  }

  /**
   * The integer argument of a dense-warp op: the flow's point order (0 = XY, 1 = YX).
   *
   * @param order the flow's component order
   * @return the op's integer arguments
   */
  public static long[] denseWarpIntArgs(PointOrder order) {
    return new long[] {order == PointOrder.YX ? 1 : 0};
  }

  /**
   * The flow's point order from a dense-warp op's integer arguments.
   *
   * @param intArgs the op's integer arguments
   * @return the point order
   */
  public static PointOrder denseWarpOrder(long[] intArgs) {
    return intArgs[0] == 1 ? PointOrder.YX : PointOrder.XY;
  }

  /**
   * The integer arguments of an interpolation op: the order.
   *
   * @return {@code {order}}
   */
  public long[] interpolateIntArgs() {
    return new long[] {order};
  }

  /**
   * A spec from an interpolation op's arguments ({@link #interpolateIntArgs}, {@link #floatArgs}).
   *
   * @param intArgs the op's integer arguments
   * @param floatArgs the op's floating arguments
   * @param threads maximum threads
   * @return the spec
   */
  public static WarpSpec ofInterpolateArgs(long[] intArgs, double[] floatArgs, int threads) {
    return interpolation((int) intArgs[0], floatArgs[0], threads);
  }
}
