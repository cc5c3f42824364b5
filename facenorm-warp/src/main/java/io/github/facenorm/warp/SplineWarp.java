package io.github.facenorm.warp;

import io.github.facenorm.warp.internal.EagerWarp;
import io.github.facenorm.warp.internal.Parallel;
import io.github.facenorm.warp.internal.WarpSpec;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Warps images so that control points move from {@code source} to {@code dest}, with a
 * polyharmonic-spline flow: TensorFlow Addons' {@code sparse_image_warp}.
 *
 * <p>The flow at the control points is {@code dest − source}; the spline's centers are the
 * <b>dest</b> points; the dense flow is evaluated at every pixel and {@code out(p) =
 * bilinear(image, p − flow(p))} (the sign and point-order conventions are those of {@link
 * PointOrder}). With {@link Builder#boundaryPoints(int) boundaryPoints(p)} &gt; 0, {@code 4p}
 * zero-flow points are appended along the image border exactly where TFA puts them (per edge {@code
 * linspace(0, size − 1, p + 1)}), which pins the border. The spline is solved in double precision;
 * the dense flow and the sampling run in the image's precision in a fused, multi-threaded kernel.
 *
 * <p>Defaults match TFA (order 2, λ = 0, no boundary points, here {@link PointOrder#XY}); the face
 * pipeline uses order 1 with boundary points, as the paper does. Immutable and thread-safe:
 *
 * <pre>{@code
 * SplineWarp warp = SplineWarp.builder().order(1).boundaryPoints(2).build();
 * WarpResult r = warp.apply(image, source, dest); // [B, H, W, C], [B, n, 2], [B, n, 2]
 * INDArray warped = r.image();                    // [B, H, W, C]
 * }</pre>
 */
public final class SplineWarp {

  private final int order;
  private final double regularization;
  private final int boundaryPoints;
  private final PointOrder pointOrder;
  private final int threads;

  private SplineWarp(Builder b) {
    this.order = b.order;
    this.regularization = b.regularization;
    this.boundaryPoints = b.boundaryPoints;
    this.pointOrder = b.pointOrder;
    this.threads = b.threads;
  }

  /**
   * A builder with TFA's defaults: order 2, λ = 0, no boundary points, {@link PointOrder#XY}, all
   * available cores.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Warps each image of the batch by the spline through its own control points (eager).
   *
   * @param image {@code [B, H, W, C]} FLOAT or DOUBLE, H, W ≥ 2
   * @param source {@code [B, n, 2]} where the control points are in the input, in {@link
   *     #pointOrder()}
   * @param dest {@code [B, n, 2]} where they move to in the output
   * @return the warped image {@code [B, H, W, C]} and the dense flow {@code [B, H, W, 2]}, in the
   *     image's data type
   * @throws IllegalArgumentException on a wrong shape, type or batch size, NaN/Inf, too few points,
   *     or a singular system (e.g. coinciding dest points with λ = 0)
   */
  public WarpResult apply(INDArray image, INDArray source, INDArray dest) {
    INDArray[] r = EagerWarp.sparseWarp(image, source, dest, spec());
    return new WarpResult(r[0], r[1]);
  }

  /**
   * The warp as a differentiable SameDiff op: {@code name} = the warped image {@code [B, H, W, C]}.
   * Gradients flow to the image, the source points and the dest points (through the spline's
   * centers too). Same numbers as {@link #apply(INDArray, INDArray, INDArray)}.
   *
   * @param sd the graph
   * @param name the output's name; anything else the op creates is named under it
   * @param image {@code [B, H, W, C]}
   * @param source {@code [B, n, 2]}
   * @param dest {@code [B, n, 2]}
   * @return the warped image
   */
  public SDVariable apply(
      SameDiff sd, String name, SDVariable image, SDVariable source, SDVariable dest) {
    return graph(sd, name, image, source, dest, false)[0];
  }

  /**
   * As {@link #apply(SameDiff, String, SDVariable, SDVariable, SDVariable)}, also returning the
   * dense flow {@code [B, H, W, 2]} (named {@code name + "/flow"}), through which gradients flow as
   * well.
   *
   * @param sd the graph
   * @param name the warped image's name
   * @param image {@code [B, H, W, C]}
   * @param source {@code [B, n, 2]}
   * @param dest {@code [B, n, 2]}
   * @return {warped image, flow}
   */
  public SDVariable[] applyWithFlow(
      SameDiff sd, String name, SDVariable image, SDVariable source, SDVariable dest) {
    return graph(sd, name, image, source, dest, true);
  }

  private SDVariable[] graph(
      SameDiff sd,
      String name,
      SDVariable image,
      SDVariable source,
      SDVariable dest,
      boolean withFlow) {
    SDVariable[] out =
        FacenormKernels.backend().sparseWarp(sd, name, image, source, dest, spec(), withFlow);
    sd.updateVariableNameAndReference(out[0], name);
    if (withFlow) {
      sd.updateVariableNameAndReference(out[1], name + "/flow");
    }
    return out;
  }

  /** The internal form of this configuration. */
  WarpSpec spec() {
    return new WarpSpec(order, regularization, boundaryPoints, pointOrder, threads);
  }

  /** The spline order (1 = the paper's, 2 = thin plate). */
  public int order() {
    return order;
  }

  /** The regularization weight λ. */
  public double regularization() {
    return regularization;
  }

  /** Boundary points per edge p; {@code 4p} zero-flow points are added. */
  public int boundaryPoints() {
    return boundaryPoints;
  }

  /** How control points and flow components are ordered. */
  public PointOrder pointOrder() {
    return pointOrder;
  }

  /** The maximum number of threads. */
  public int threads() {
    return threads;
  }

  @Override
  public String toString() {
    return "SplineWarp{order="
        + order
        + ", regularization="
        + regularization
        + ", boundaryPoints="
        + boundaryPoints
        + ", pointOrder="
        + pointOrder
        + ", threads="
        + threads
        + "}";
  }

  /** Builds {@link SplineWarp}s; every setter checks its argument. */
  public static final class Builder {
    private int order = 2;
    private double regularization = 0;
    private int boundaryPoints = 0;
    private PointOrder pointOrder = PointOrder.XY;
    private int threads = Parallel.defaultThreads();

    private Builder() {}

    /**
     * The spline order k, from 1 to {@link PolyharmonicSpline#MAX_ORDER} (default 2, TFA's; the
     * paper uses 1).
     *
     * @param order the order
     * @return this builder
     */
    public Builder order(int order) {
      this.order = WarpChecks.order(order);
      return this;
    }

    /**
     * The regularization weight λ ≥ 0 (default 0).
     *
     * @param regularization λ
     * @return this builder
     */
    public Builder regularization(double regularization) {
      this.regularization = WarpChecks.regularization(regularization);
      return this;
    }

    /**
     * Zero-flow points per image edge, p ≥ 0 (default 0): TFA's {@code num_boundary_points}; p = 1
     * pins the 4 corners, p = 2 the corners and edge midpoints.
     *
     * @param perEdge p
     * @return this builder
     */
    public Builder boundaryPoints(int perEdge) {
      this.boundaryPoints = WarpChecks.boundaryPoints(perEdge);
      return this;
    }

    /**
     * The order of point coordinates and flow components (default {@link PointOrder#XY}).
     *
     * @param pointOrder the order
     * @return this builder
     */
    public Builder pointOrder(PointOrder pointOrder) {
      if (pointOrder == null) {
        throw new IllegalArgumentException("pointOrder must not be null");
      }
      this.pointOrder = pointOrder;
      return this;
    }

    /**
     * The maximum number of threads (default: available processors).
     *
     * @param threads at least 1
     * @return this builder
     */
    public Builder threads(int threads) {
      this.threads = WarpChecks.threads(threads);
      return this;
    }

    /**
     * Builds the immutable warp configuration.
     *
     * @return the warp
     */
    public SplineWarp build() {
      return new SplineWarp(this);
    }
  }
}
