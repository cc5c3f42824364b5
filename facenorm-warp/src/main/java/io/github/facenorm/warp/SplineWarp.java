package io.github.facenorm.warp;

import io.github.facenorm.warp.internal.FittedSpline;
import io.github.facenorm.warp.internal.NdArrays;
import io.github.facenorm.warp.internal.Parallel;
import io.github.facenorm.warp.internal.WarpKernelF32;
import io.github.facenorm.warp.internal.WarpKernelF64;
import io.github.facenorm.warp.internal.WarpSpline;
import io.github.facenorm.warp.internal.graph.NativeComposition;
import io.github.facenorm.warp.internal.graph.SparseWarpOp;
import java.util.Arrays;
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
    ImageArgs img = new ImageArgs(image);
    long[] ss = NdArrays.requireRank(source, "source", "[B, n, 2]");
    long[] ds = NdArrays.requireRank(dest, "dest", "[B, n, 2]");
    NdArrays.requireDim(ss, 0, img.batch, "source", "batch size B (the image's)");
    NdArrays.requireDim(ss, 2, 2, "source", "2 coordinates per point");
    if (!Arrays.equals(ss, ds)) {
      throw new IllegalArgumentException(
          "source and dest: expected the same shape [B, n, 2], got source "
              + Arrays.toString(ss)
              + " and dest "
              + Arrays.toString(ds));
    }
    int n = NdArrays.toInt(ss[1], "source");
    int extra = 4 * boundaryPoints;
    if (n + extra < 3) {
      throw new IllegalArgumentException(
          "source and dest: a 2-D spline needs at least 3 control points (boundary points"
              + " included), got n = "
              + n
              + " and "
              + extra
              + " boundary points");
    }
    double[] src = NdArrays.toDoubles(source);
    double[] dst = NdArrays.toDoubles(dest);
    NdArrays.requireFinite(src, ss, "source");
    NdArrays.requireFinite(dst, ds, "dest");

    FittedSpline spline =
        WarpSpline.fit(
            src,
            dst,
            img.batch,
            n,
            img.height,
            img.width,
            order,
            regularization,
            boundaryPoints,
            pointOrder,
            threads,
            false);
    int batch = img.batch;
    long[] flowShape = {batch, img.height, img.width, 2};
    boolean yx = pointOrder == PointOrder.YX;
    if (img.isDouble || order >= 2) {
      // Orders ≥ 2 grow like r² log r and beyond: summed in float they lose up to ~0.1 px at
      // 224² (weights × basis values reach 1e5 and cancel), so FLOAT images take the double
      // kernel there; order 1, the paper's and the fast path, stays in float (~1e-4 px).
      double[] pixels = img.isDouble ? img.doubles : toDoubles(img.floats);
      double[] out = new double[pixels.length];
      double[] flow = new double[Math.toIntExact(img.pixels() * 2)];
      WarpKernelF64.sparseWarp(
          pixels, batch, img.height, img.width, img.channels, spline, yx, threads, out, flow);
      INDArray outImage = NdArrays.create(out, img.shape);
      INDArray outFlow = NdArrays.create(flow, flowShape);
      return img.isDouble
          ? new WarpResult(outImage, outFlow)
          : new WarpResult(outImage.castTo(image.dataType()), outFlow.castTo(image.dataType()));
    }
    float[] out = new float[img.floats.length];
    float[] flow = new float[Math.toIntExact(img.pixels() * 2)];
    WarpKernelF32.sparseWarp(
        img.floats, batch, img.height, img.width, img.channels, spline, yx, threads, out, flow);
    return new WarpResult(NdArrays.create(out, img.shape), NdArrays.create(flow, flowShape));
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
    SDVariable[] out;
    if (FacenormKernels.isActive()) {
      out = new SparseWarpOp(sd, image, source, dest, this, withFlow).outputVariables();
    } else {
      FacenormKernels.warnSlowPathOnce();
      out = NativeComposition.sparseWarp(sd, name, image, source, dest, this);
      if (!withFlow) {
        out = new SDVariable[] {out[0]};
      }
    }
    sd.updateVariableNameAndReference(out[0], name);
    if (withFlow) {
      sd.updateVariableNameAndReference(out[1], name + "/flow");
    }
    return out;
  }

  private static double[] toDoubles(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
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
     * The spline order k ≥ 1 (default 2, TFA's; the paper uses 1).
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
