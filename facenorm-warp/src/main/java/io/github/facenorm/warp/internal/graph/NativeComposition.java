package io.github.facenorm.warp.internal.graph;

import io.github.facenorm.warp.PointOrder;
import io.github.facenorm.warp.internal.Phi;
import io.github.facenorm.warp.internal.WarpSpec;
import org.nd4j.autodiff.samediff.NameScope;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The slow path: the warp built from native ND4J ops, for when facenorm's executioner is not in
 * place (see {@code FacenormKernels}). Every op has a working gradient in ND4J 1.0.0-M2.1 (the
 * solve, the row gather and the order-1 grid basis are {@link GradSolveOp}, {@link RowGatherOp} and
 * {@link GridPhiOp}: native kernels under names of their own, with gradients of their own), so
 * graphs run, differentiate, train and save on any executioner and backend.
 *
 * <p>The numbers follow the eager path: the spline system is built with direct differences and
 * solved in double precision whatever the input type, and so is the dense flow (the pixel grid is
 * separable, so the squared distances from every pixel to every center are one broadcast sum {@code
 * (y − c_y)² + (x − c_x)²} of a {@code [B, H, 1, N]} and a {@code [B, 1, W, N]} tensor: exact
 * differences for one pass over {@code [B, H, W, N]}); the sampling runs in the precision of the
 * eager kernel (the image's, double for orders ≥ 3). For FLOAT images of orders 1 and 2 the eager
 * kernel sums the flow in float, so the two differ by its rounding: ~2e-4 px for order 1 at 224²,
 * but ~0.1 px for order 2 (the double flow here is the accurate one). Gradients follow TensorFlow
 * Addons' masks: the bilinear fraction {@code min(max(0, q − floor), 1)} passes its gradient where
 * {@code 0 < q − floor ≤ 1}; the floor has none; phi's {@code max(r², EPS)} passes it where {@code
 * r² > EPS} (TensorFlow's ≥ differs only at {@code r² = EPS} exactly).
 *
 * <p>Shapes may be unknown when the graph is built (placeholders with {@code -1}, outputs of other
 * ops): sizes are read at run time. Inputs are checked at run time by an {@link InputCheckOp} in
 * front of the composition, with the eager path's checks and messages (NaN/Inf, too few, too close
 * or collinear points, a numerically singular system, an unusable order), before the native solve
 * could fail with a message that names nothing or give non-finite values.
 */
public final class NativeComposition {

  private NativeComposition() {}

  /**
   * TFA's {@code sparse_image_warp} from native ops, with the conventions of {@code SplineWarp}.
   * Variables are named under {@code name + "/"}; the outputs are left for the caller to name.
   *
   * @param sd the graph
   * @param name the name scope
   * @param image {@code [B, H, W, C]} FLOAT or DOUBLE
   * @param source {@code [B, n, 2]} in the warp's point order
   * @param dest {@code [B, n, 2]}
   * @param warp the warp
   * @return {warped image {@code [B, H, W, C]}, flow {@code [B, H, W, 2]}}, in the image's type
   */
  public static SDVariable[] sparseWarp(
      SameDiff sd,
      String name,
      SDVariable image,
      SDVariable source,
      SDVariable dest,
      WarpSpec warp) {
    NativeOpRegistry.ensureRegistered();
    DataType type = image.dataType();
    int order = warp.order();
    // sampled in the eager kernel's precision: orders ≥ 3 take FLOAT images to double there
    DataType work = type == DataType.DOUBLE || order >= 3 ? DataType.DOUBLE : DataType.FLOAT;
    PointOrder po = warp.pointOrder();
    int p = warp.boundaryPoints();
    NameScope scope = sd.withNameScope(name);
    try {
      SDVariable height = sd.sizeAt("height", image, 1);
      SDVariable width = sd.sizeAt("width", image, 2);
      SDVariable src = as(source, DataType.DOUBLE);
      // everything below depends on the checked dest, so the check runs first
      SDVariable dst = as(InputCheckOp.sparseWarp(sd, image, source, dest, warp), DataType.DOUBLE);
      // XY columns [B, n]; centers = dest (+ boundary), values = dest − source (0 at the boundary)
      SDVariable cx = column(dst, po.xIndex());
      SDVariable cy = column(dst, po.yIndex());
      SDVariable vx = cx.sub(column(src, po.xIndex()));
      SDVariable vy = cy.sub(column(src, po.yIndex()));
      if (p > 0) {
        SDVariable[] border = boundaryXy(sd, height, width, p);
        SDVariable zeros = sd.zerosLike(cx.get(SDIndex.all(), SDIndex.interval(0, 1))); // [B, 1]
        SDVariable bx = zeros.add(border[0]);
        SDVariable by = zeros.add(border[1]);
        SDVariable noFlow = sd.zerosLike(bx);
        cx = sd.concat(1, cx, bx);
        cy = sd.concat(1, cy, by);
        vx = sd.concat(1, vx, noFlow);
        vy = sd.concat(1, vy, noFlow);
      }
      SDVariable centers = sd.stack("centers", 2, cx, cy);
      SDVariable values = sd.stack("values", 2, vx, vy);
      SDVariable solution = solveSystem(sd, centers, values, order, warp.regularization());
      SDVariable weights = rows(sd, solution, 0, -3); // [B, N, 2]
      SDVariable[] affine = {
        rows(sd, solution, -3, -2), rows(sd, solution, -2, -1), rows(sd, solution, -1, 0)
      };

      // dense flow on the pixel grid, in double: r2[b, y, x, j] = (y − cy_j)² + (x − cx_j)²
      SDVariable gx = grid(sd, width); // [W] DOUBLE
      SDVariable gy = grid(sd, height);
      SDVariable dx2 = sd.math().square(gx.reshape(1, -1, 1).sub(sd.expandDims(cx, 1))); // B,W,N
      SDVariable dy2 = sd.math().square(gy.reshape(1, -1, 1).sub(sd.expandDims(cy, 1))); // B,H,N
      SDVariable basis = gridPhi(sd, sd.expandDims(dy2, 2), sd.expandDims(dx2, 1), order);
      // one [W, N] x [N, 2] product per image row, so no reshape (copy) of [B, H, W, N]
      SDVariable rowWeights = sd.expandDims(weights, 1).add(sd.zerosLike(gy.reshape(1, -1, 1, 1)));
      SDVariable radial = sd.mmul("radial", basis, rowWeights); // [B, H, W, 2]
      // affine part in the eager kernel's order: v0·x + (v1·y + v2)
      SDVariable a0 = affine[0].reshape(-1, 1, 1, 2);
      SDVariable a1 = affine[1].reshape(-1, 1, 1, 2);
      SDVariable a2 = affine[2].reshape(-1, 1, 1, 2);
      SDVariable linear =
          gx.reshape(1, 1, -1, 1).mul(a0).add(gy.reshape(1, -1, 1, 1).mul(a1).add(a2));
      SDVariable flowXy = sd.updateVariableNameAndReference(radial.add(linear), "flow_xy");
      SDVariable fx = component(flowXy, 0);
      SDVariable fy = component(flowXy, 1);
      SDVariable flow = po == PointOrder.XY ? flowXy : sd.stack(3, fy, fx);
      SDVariable warped = sample(sd, as(image, work), as(fx, work), as(fy, work), height, width);
      return new SDVariable[] {as(warped, type), as(flow, type)};
    } finally {
      scope.close();
    }
  }

  /**
   * TFA's {@code dense_image_warp} from native ops, with the conventions of {@code DenseImageWarp}:
   * the flow is taken in the image's type, and the sampling runs in it.
   *
   * @param sd the graph
   * @param name the name scope
   * @param image {@code [B, H, W, C]}
   * @param flow {@code [B, H, W, 2]} with components in {@code order}
   * @param order the flow's component order
   * @return the warped image {@code [B, H, W, C]}
   */
  public static SDVariable denseWarp(
      SameDiff sd, String name, SDVariable image, SDVariable flow, PointOrder order) {
    NativeOpRegistry.ensureRegistered();
    NameScope scope = sd.withNameScope(name);
    try {
      SDVariable f = as(InputCheckOp.denseWarp(sd, image, flow, order), image.dataType());
      SDVariable height = sd.sizeAt("height", image, 1);
      SDVariable width = sd.sizeAt("width", image, 2);
      return sample(
          sd, image, component(f, order.xIndex()), component(f, order.yIndex()), height, width);
    } finally {
      scope.close();
    }
  }

  /**
   * TFA's {@code interpolate_spline} from native ops, with the conventions of {@code
   * PolyharmonicSpline}: system and evaluation in double precision, the result in the values' type.
   *
   * @param sd the graph
   * @param name the name scope
   * @param centers {@code [B, n, d]}
   * @param values {@code [B, n, k]}
   * @param queries {@code [B, m, d]}
   * @param spline order and regularization
   * @return {@code [B, m, k]}
   */
  public static SDVariable interpolate(
      SameDiff sd,
      String name,
      SDVariable centers,
      SDVariable values,
      SDVariable queries,
      WarpSpec spline) {
    NativeOpRegistry.ensureRegistered();
    NameScope scope = sd.withNameScope(name);
    try {
      SDVariable c =
          as(InputCheckOp.interpolate(sd, centers, values, queries, spline), DataType.DOUBLE);
      SDVariable q = as(queries, DataType.DOUBLE);
      SDVariable solution =
          solveSystem(sd, c, as(values, DataType.DOUBLE), spline.order(), spline.regularization());
      SDVariable basis = phi(sd, squaredDistances(sd, q, c), spline.order()); // [B, m, n]
      SDVariable ones = sd.onesLike(q.get(SDIndex.all(), SDIndex.all(), SDIndex.interval(0, 1)));
      SDVariable design = sd.concat(2, basis, q, ones); // [B, m, n + d + 1]
      return as(sd.mmul("evaluated", design, solution), values.dataType());
    } finally {
      scope.close();
    }
  }

  /**
   * Solves {@code [[A + λI, P], [Pᵀ, 0]] [w; v] = [f; 0]} with {@code A = phi(|c_i − c_j|²)} and
   * {@code P = [c, 1]}, in double precision (λI only when λ > 0).
   *
   * @return {@code [w; v]}, {@code [B, n + d + 1, k]}, named {@code solve} in the current scope
   */
  private static SDVariable solveSystem(
      SameDiff sd, SDVariable c, SDVariable f, int order, double regularization) {
    SDVariable a = phi(sd, squaredDistances(sd, c, c), order); // [B, n, n]
    if (regularization > 0) {
      SDVariable idx = sd.range(lit(sd, 0), sd.sizeAt(c, 1), lit(sd, 1), DataType.INT64);
      SDVariable eye = idx.reshape(-1, 1).eq(idx.reshape(1, -1)).castTo(DataType.DOUBLE);
      a = a.add(eye.mul(regularization));
    }
    SDVariable ones = sd.onesLike(c.get(SDIndex.all(), SDIndex.all(), SDIndex.interval(0, 1)));
    SDVariable poly = sd.concat(2, c, ones); // [B, n, d + 1]
    SDVariable polyT = sd.permute(poly, 0, 2, 1);
    SDVariable corner = sd.zerosLike(sd.mmul(polyT, poly)); // [B, d + 1, d + 1]
    SDVariable system = sd.concat("system", 1, sd.concat(2, a, poly), sd.concat(2, polyT, corner));
    SDVariable rhs = sd.concat("rhs", 1, f, sd.zerosLike(sd.mmul(polyT, f)));
    SDVariable x = new GradSolveOp(sd, system, rhs, false).outputVariable();
    return sd.updateVariableNameAndReference(x, "solve");
  }

  /**
   * {@code |a_i − b_j|²} by direct differences: {@code [B, m, d]}, {@code [B, n, d]} → [B, m, n].
   */
  private static SDVariable squaredDistances(SameDiff sd, SDVariable a, SDVariable b) {
    SDVariable diff = sd.expandDims(a, 2).sub(sd.expandDims(b, 1)); // [B, m, n, d]
    return sd.sum(sd.math().square(diff), 3);
  }

  /**
   * phi of {@code r² = dy² + dx²} on the pixel grid, {@code [B, H, 1, N]} + {@code [B, 1, W, N]} →
   * {@code [B, H, W, N]}; order 1 (the face pipeline's) through {@link GridPhiOp}, whose gradient
   * costs a few passes over the big tensor instead of a dozen.
   */
  private static SDVariable gridPhi(SameDiff sd, SDVariable dy2, SDVariable dx2, int order) {
    if (order != 1) {
      return phi(sd, dy2.add(dx2), order);
    }
    SDVariable r2 =
        new StopGradientOp(sd, dy2)
            .outputVariable()
            .add(new StopGradientOp(sd, dx2).outputVariable());
    return new GridPhiOp(sd, phi(sd, r2, 1), dy2, dx2).outputVariable();
  }

  /** TFA's phi on squared distances, in the same operation order as {@code Phi}. */
  private static SDVariable phi(SameDiff sd, SDVariable r2, int order) {
    SDVariable r = sd.scalarMax(r2, Phi.EPS);
    switch (order) {
      case 1:
        return sd.math().sqrt(r);
      case 2:
        return r2.mul(0.5).mul(sd.math().log(r));
      case 3:
        return r.mul(sd.math().sqrt(r));
      case 4:
        return r2.mul(0.5).mul(r2).mul(sd.math().log(r));
      default:
        SDVariable pow = sd.math().pow(r, 0.5 * order);
        return (order & 1) == 0 ? pow.mul(0.5).mul(sd.math().log(r)) : pow;
    }
  }

  /**
   * TFA's bilinear sampling {@code out(p) = bilinear(image, p − (fx, fy)(p))}: the floor clamped to
   * {@code [0, size − 2]}, the fraction to {@code [0, 1]} with TFA's gradient mask.
   *
   * @param image {@code [B, H, W, C]}
   * @param fx {@code [B, H, W]}, the image's type
   * @param fy {@code [B, H, W]}
   * @return {@code [B, H, W, C]}
   */
  private static SDVariable sample(
      SameDiff sd,
      SDVariable image,
      SDVariable fx,
      SDVariable fy,
      SDVariable height,
      SDVariable width) {
    DataType type = image.dataType();
    SDVariable qx = grid(sd, width).castTo(type).reshape(1, 1, -1).sub(fx);
    SDVariable qy = grid(sd, height).castTo(type).reshape(1, -1, 1).sub(fy);
    SDVariable[] x = floorAndFraction(sd, qx, width);
    SDVariable[] y = floorAndFraction(sd, qy, height);
    SDVariable batch = sd.sizeAt(image, 0);
    SDVariable plane = height.mul(width);
    SDVariable offsets =
        sd.range(lit(sd, 0), batch, lit(sd, 1), DataType.INT64).mul(plane).reshape(-1, 1, 1);
    SDVariable topLeft = offsets.add(y[0].mul(width)).add(x[0]).reshape(-1); // [B·H·W]
    // One row gather of the four neighbours [tl, tr, bl, br] of every pixel: the backward is then
    // one scatter (ND4J's scatter costs per row, whatever its width) instead of four.
    SDVariable pixels = sd.reshape(image, dims(sd, lit(sd, -1), sd.sizeAt(image, 3))); // [R, C]
    SDVariable tableRows = sd.sizeAt(pixels, 0).sub(width).sub(1); // last top-left: R − W − 2
    SDVariable[] shifted = new SDVariable[4];
    SDVariable[] starts = {lit(sd, 0), lit(sd, 1), width, width.add(1)};
    for (int i = 0; i < 4; i++) {
      shifted[i] =
          sd.slice(pixels, dims(sd, starts[i], lit(sd, 0)), dims(sd, tableRows, lit(sd, -1)));
    }
    SDVariable neighbours = sd.stack("neighbours", 1, shifted); // [R − W − 1, 4, C]
    SDVariable gathered = new RowGatherOp(sd, neighbours, topLeft).outputVariable(); // [P, 4, C]
    SDVariable shape = sd.shape(image);
    SDVariable[] corners = sd.unstack(gathered, 1, 4); // [P, C] each
    SDVariable tl = sd.reshape(corners[0], shape);
    SDVariable tr = sd.reshape(corners[1], shape);
    SDVariable bl = sd.reshape(corners[2], shape);
    SDVariable br = sd.reshape(corners[3], shape);
    SDVariable ax = sd.expandDims(x[1], 3);
    SDVariable ay = sd.expandDims(y[1], 3);
    // TFA's order of operations (so is the eager kernel's)
    SDVariable top = ax.mul(tr.sub(tl)).add(tl);
    SDVariable bottom = ax.mul(br.sub(bl)).add(bl);
    return ay.mul(bottom.sub(top)).add(top);
  }

  /**
   * The clamped floor (INT64, no gradient) and the clamped fraction of sample coordinates. The
   * fraction is {@code raw · [0 < raw ≤ 1] + [raw > 1]} with {@code raw = q − floor}: the value of
   * {@code min(max(0, raw), 1)} and TensorFlow's gradient of it (the masks are integer-derived
   * leaves, so no gradient flows through them).
   */
  private static SDVariable[] floorAndFraction(SameDiff sd, SDVariable q, SDVariable size) {
    DataType type = q.dataType();
    SDVariable upper = size.sub(2).castTo(type);
    SDVariable clamped = sd.math().min(sd.scalarMax(sd.math().floor(q), 0), upper);
    SDVariable index = clamped.castTo(DataType.INT64);
    SDVariable raw = q.sub(index.castTo(type));
    SDVariable live = raw.gt(0.0).castTo(type).mul(raw.lte(1.0).castTo(type));
    SDVariable over = raw.gt(1.0).castTo(type);
    return new SDVariable[] {index, raw.mul(live).add(over)};
  }

  /**
   * TFA's boundary points ({@code _get_boundary_locations(H, W, p − 1)}) as x and y vectors {@code
   * [4p]}, computed from the run-time size exactly as the eager {@code WarpSpline} does: {@code
   * linspace(0, size − 1, p + 1)} is {@code i · ((size − 1) / p)}, the last exactly {@code size −
   * 1}.
   */
  private static SDVariable[] boundaryXy(SameDiff sd, SDVariable height, SDVariable width, int p) {
    double[] xi = new double[4 * p];
    double[] xLast = new double[4 * p];
    double[] yi = new double[4 * p];
    double[] yLast = new double[4 * p];
    int k = 0;
    for (int i = 0; i <= p; i++) {
      for (int j = 0; j <= p; j++) {
        if (i == 0 || i == p || j == 0 || j == p) {
          xi[k] = j;
          xLast[k] = j == p ? 1 : 0;
          yi[k] = i;
          yLast[k] = i == p ? 1 : 0;
          k++;
        }
      }
    }
    return new SDVariable[] {
      linspacePoints(sd, width, p, xi, xLast, "boundary_x"),
      linspacePoints(sd, height, p, yi, yLast, "boundary_y")
    };
  }

  private static SDVariable linspacePoints(
      SameDiff sd, SDVariable size, int p, double[] index, double[] last, String name) {
    SDVariable stop = size.castTo(DataType.DOUBLE).sub(1.0);
    SDVariable step = stop.div(p);
    SDVariable notLast = sd.constant(name + "_index", Nd4j.createFromArray(index));
    SDVariable isLast = sd.constant(name + "_last", Nd4j.createFromArray(last));
    SDVariable keep = sd.constant(name + "_keep", Nd4j.createFromArray(complement(last)));
    return notLast.mul(step).mul(keep).add(stop.mul(isLast)).reshape(1, -1);
  }

  private static double[] complement(double[] v) {
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = 1 - v[i];
    }
    return out;
  }

  /** {@code 0, 1, …, size − 1} in double precision. */
  private static SDVariable grid(SameDiff sd, SDVariable size) {
    return sd.range(lit(sd, 0), size, lit(sd, 1), DataType.INT64).castTo(DataType.DOUBLE);
  }

  /** {@code x[:, :, i]}: {@code [B, n, 2]} → {@code [B, n]}. */
  private static SDVariable column(SDVariable x, int i) {
    return x.get(SDIndex.all(), SDIndex.all(), SDIndex.point(i));
  }

  /** {@code x[..., i]}: {@code [B, H, W, 2]} → {@code [B, H, W]}. */
  private static SDVariable component(SDVariable x, int i) {
    return x.get(SDIndex.all(), SDIndex.all(), SDIndex.all(), SDIndex.point(i));
  }

  /**
   * Rows {@code [from, to)} of {@code [B, m, k]}, indices counted from the end when negative;
   * {@code to = 0} means up to the end.
   */
  private static SDVariable rows(SameDiff sd, SDVariable x, long from, long to) {
    int endMask = to == 0 ? 0b111 : 0b101;
    return sd.stridedSlice(
        x,
        new long[] {0, from, 0},
        new long[] {0, to, 0},
        new long[] {1, 1, 1},
        0b101,
        endMask,
        0,
        0,
        0);
  }

  /** A shape vector from LONG scalars. */
  private static SDVariable dims(SameDiff sd, SDVariable... sizes) {
    return sd.stack(0, sizes);
  }

  private static SDVariable lit(SameDiff sd, long v) {
    return sd.constant(Nd4j.scalar(v));
  }

  private static SDVariable as(SDVariable x, DataType type) {
    return x.dataType() == type ? x : x.castTo(type);
  }
}
