package io.github.facenorm.warp.dl4j;

import io.github.facenorm.warp.PointOrder;
import io.github.facenorm.warp.SplineWarp;
import io.github.facenorm.warp.internal.graph.WarpBackend;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDVertexParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A {@code ComputationGraph} vertex that warps an image so that landmarks move from {@code source}
 * to {@code dest} with {@link SplineWarp}. Three inputs, in this order: the image (a convolutional
 * input, {@code [B, C, H, W]} for {@link CNN2DFormat#NCHW}, DL4J's default, or {@code [B, H, W, C]}
 * for NHWC), the source points and the dest points (feed-forward inputs {@code [B, 2n]}: n points,
 * each two coordinates in the configured {@link PointOrder}). Output: the warped image in the
 * input's format. Gradients flow to all three inputs. No parameters.
 *
 * <pre>{@code
 * .addVertex("warped", new SplineWarpVertex(68, 1, 2), "features", "source", "dest")
 * }</pre>
 */
public class SplineWarpVertex extends SameDiffVertex {

  private static final long serialVersionUID = 1L;

  private int points;
  private int order = 1;
  private int boundaryPoints = 2;
  private double splineRegularization;
  private PointOrder pointOrder = PointOrder.XY;
  private CNN2DFormat format = CNN2DFormat.NCHW;

  /** For DL4J's JSON deserialization. */
  public SplineWarpVertex() {}

  /**
   * A vertex for n landmarks, NCHW images, XY points, λ = 0.
   *
   * @param points n, the number of landmarks per example
   * @param order the spline order (1 = the paper's)
   * @param boundaryPoints TFA's zero-flow points per image edge
   */
  public SplineWarpVertex(int points, int order, int boundaryPoints) {
    if (points < 1) {
      throw new IllegalArgumentException("points: expected ≥ 1 landmarks, got " + points);
    }
    this.points = points;
    this.order = order;
    this.boundaryPoints = boundaryPoints;
    warp(); // validates
  }

  /**
   * Sets the image layout.
   *
   * @param format NCHW (DL4J's default) or NHWC
   * @return this vertex, for chaining
   */
  public SplineWarpVertex withFormat(CNN2DFormat format) {
    this.format = Objects.requireNonNull(format, "format");
    return this;
  }

  /**
   * Sets the point order of the source and dest inputs.
   *
   * @param pointOrder XY (default) or YX
   * @return this vertex, for chaining
   */
  public SplineWarpVertex withPointOrder(PointOrder pointOrder) {
    this.pointOrder = Objects.requireNonNull(pointOrder, "pointOrder");
    return this;
  }

  /**
   * Sets the regularization λ.
   *
   * @param regularization λ ≥ 0
   * @return this vertex, for chaining
   */
  public SplineWarpVertex withSplineRegularization(double regularization) {
    this.splineRegularization = regularization;
    warp();
    return this;
  }

  private SplineWarp warp() {
    return SplineWarp.builder()
        .order(order)
        .regularization(splineRegularization)
        .boundaryPoints(boundaryPoints)
        .pointOrder(pointOrder)
        .build();
  }

  @Override
  public SDVariable defineVertex(
      SameDiff sd,
      Map<String, SDVariable> inputs,
      Map<String, SDVariable> params,
      Map<String, SDVariable> masks) {
    SDVariable image = inputs.get("image");
    SDVariable nhwc = format == CNN2DFormat.NCHW ? image.permute(0, 2, 3, 1) : image;
    SDVariable source = inputs.get("source").reshape(-1, points, 2);
    SDVariable dest = inputs.get("dest").reshape(-1, points, 2);
    SDVariable warped = warp().apply(sd, "spline_warp", nhwc, source, dest);
    SDVariable out = format == CNN2DFormat.NCHW ? warped.permute(0, 3, 1, 2) : warped;
    // DL4J M2.1 doubles every SameDiff vertex's gradient (ExternalErrorsFunction.doDiff both
    // sets and returns it), so the output carries half its gradient: an identity op that
    // scales the gradient on the fused path; 0.5 y + 0.5 stop_gradient(y) on the native path.
    // (Training through it also needs SplineWarpGraphVertex's fixes to DL4J's backward pass.)
    return WarpBackend.current().scaleGradient(sd, out, 0.5);
  }

  @Override
  public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(
      ComputationGraph graph,
      String name,
      int index,
      INDArray paramsView,
      boolean initializeParams,
      DataType networkDatatype) {
    super.instantiate(graph, name, index, paramsView, initializeParams, networkDatatype); // name
    return new SplineWarpGraphVertex(
        this, graph, name, index, paramsView, initializeParams, networkDatatype);
  }

  @Override
  public void defineParametersAndInputs(SDVertexParams params) {
    params.defineInputs("image", "source", "dest");
  }

  @Override
  public void initializeParameters(Map<String, INDArray> params) {
    // no parameters
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType... inputs) {
    if (inputs.length != 3) {
      throw new IllegalArgumentException(
          "SplineWarpVertex: expected 3 inputs (image, source, dest), got " + inputs.length);
    }
    return inputs[0];
  }

  @Override
  public SplineWarpVertex clone() {
    SplineWarpVertex v = new SplineWarpVertex();
    v.points = points;
    v.order = order;
    v.boundaryPoints = boundaryPoints;
    v.splineRegularization = splineRegularization;
    v.pointOrder = pointOrder;
    v.format = format;
    return v;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SplineWarpVertex v
        && v.points == points
        && v.order == order
        && v.boundaryPoints == boundaryPoints
        && v.splineRegularization == splineRegularization
        && v.pointOrder == pointOrder
        && v.format == format;
  }

  @Override
  public int hashCode() {
    return Objects.hash(points, order, boundaryPoints, splineRegularization, pointOrder, format);
  }

  /** n, the number of landmarks per example. */
  public int getPoints() {
    return points;
  }

  /** The spline order. */
  public int getOrder() {
    return order;
  }

  /** Boundary points per edge. */
  public int getBoundaryPoints() {
    return boundaryPoints;
  }

  /** The regularization λ. */
  public double getSplineRegularization() {
    return splineRegularization;
  }

  /** The point order of the source and dest inputs. */
  public PointOrder getPointOrder() {
    return pointOrder;
  }

  /** The image layout. */
  public CNN2DFormat getFormat() {
    return format;
  }
}
