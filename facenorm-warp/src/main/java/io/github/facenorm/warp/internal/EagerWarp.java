package io.github.facenorm.warp.internal;

import io.github.facenorm.warp.PointOrder;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The eager warp and interpolation on {@link INDArray}s: argument checks, conversions, the fit and
 * the chosen {@link WarpKernels}. The public classes and the fused graph ops both call these, so
 * the graph ops need nothing from the public API.
 */
public final class EagerWarp {

  private EagerWarp() {}

  /**
   * TFA's {@code sparse_image_warp}.
   *
   * @param image {@code [B, H, W, C]} FLOAT or DOUBLE, H, W ≥ 2
   * @param source {@code [B, n, 2]} in {@code spec.pointOrder()}
   * @param dest {@code [B, n, 2]}
   * @param spec the warp
   * @return {warped image {@code [B, H, W, C]}, flow {@code [B, H, W, 2]}}, in the image's type
   */
  public static INDArray[] sparseWarp(
      INDArray image, INDArray source, INDArray dest, WarpSpec spec) {
    return sparseWarp(image, source, dest, spec, WarpKernels.get());
  }

  /**
   * TFA's {@code sparse_image_warp} on the given kernels (tests run every implementation).
   *
   * @param image {@code [B, H, W, C]} FLOAT or DOUBLE, H, W ≥ 2
   * @param source {@code [B, n, 2]} in {@code spec.pointOrder()}
   * @param dest {@code [B, n, 2]}
   * @param spec the warp
   * @param kernels the kernels to run
   * @return {warped image {@code [B, H, W, C]}, flow {@code [B, H, W, 2]}}, in the image's type
   */
  public static INDArray[] sparseWarp(
      INDArray image, INDArray source, INDArray dest, WarpSpec spec, WarpKernels kernels) {
    ImageArgs img = new ImageArgs(image);
    try {
      FittedSpline spline = fitSparseWarp(img, source, dest, spec);
      int threads = spec.threads();
      long[] flowShape = {img.batch, img.height, img.width, 2};
      int flowLength = Math.toIntExact(img.pixels() * 2);
      if (img.isDouble) {
        double[] out = ArrayPool.doubles(img.doubles.length, false);
        double[] flow = ArrayPool.doubles(flowLength, false);
        kernels.sparseWarp(
            img.doubles,
            img.batch,
            img.height,
            img.width,
            img.channels,
            spline,
            spec.yx(),
            threads,
            out,
            flow);
        INDArray[] result = {NdArrays.create(out, img.shape), NdArrays.create(flow, flowShape)};
        ArrayPool.give(out, flow);
        return result;
      }
      float[] out = ArrayPool.floats(img.floats.length, false);
      float[] flow = ArrayPool.floats(flowLength, false);
      kernels.sparseWarp(
          img.floats,
          img.batch,
          img.height,
          img.width,
          img.channels,
          spline,
          spec.yx(),
          threads,
          out,
          flow);
      INDArray[] result = {NdArrays.create(out, img.shape), NdArrays.create(flow, flowShape)};
      ArrayPool.give(out, flow);
      return result;
    } finally {
      img.release();
    }
  }

  /**
   * Every check of {@link #sparseWarp}, without the warp: the graph ops' slow path runs it before
   * its native ops (see {@code InputCheckOp}), so both paths refuse the same inputs with the same
   * messages.
   *
   * @param image {@code [B, H, W, C]} FLOAT or DOUBLE, H, W ≥ 2, finite
   * @param source {@code [B, n, 2]} in {@code spec.pointOrder()}, finite
   * @param dest {@code [B, n, 2]}, finite, giving a usable spline system
   * @param spec the warp
   * @throws IllegalArgumentException naming the argument and the problem
   */
  public static void checkSparseWarp(
      INDArray image, INDArray source, INDArray dest, WarpSpec spec) {
    ImageArgs img = new ImageArgs(image);
    try {
      fitSparseWarp(img, source, dest, spec);
    } finally {
      img.release();
    }
  }

  /** Checks the points against the image and fits the warp's spline (which checks the system). */
  private static FittedSpline fitSparseWarp(
      ImageArgs img, INDArray source, INDArray dest, WarpSpec spec) {
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
    int extra = 4 * spec.boundaryPoints();
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

    return WarpSpline.fit(
        src,
        dst,
        img.batch,
        n,
        img.height,
        img.width,
        spec.order(),
        spec.regularization(),
        spec.boundaryPoints(),
        spec.pointOrder(),
        spec.threads(),
        false);
  }

  /**
   * TFA's {@code dense_image_warp}.
   *
   * @param image {@code [B, H, W, C]} FLOAT or DOUBLE, H, W ≥ 2
   * @param flow {@code [B, H, W, 2]} finite, components in {@code order}
   * @param order the flow's component order
   * @param threads maximum threads
   * @return {@code [B, H, W, C]} in the image's type
   */
  public static INDArray denseWarp(INDArray image, INDArray flow, PointOrder order, int threads) {
    return denseWarp(image, flow, order, threads, WarpKernels.get());
  }

  /**
   * TFA's {@code dense_image_warp} on the given kernels.
   *
   * @param image {@code [B, H, W, C]} FLOAT or DOUBLE, H, W ≥ 2
   * @param flow {@code [B, H, W, 2]} finite, components in {@code order}
   * @param order the flow's component order
   * @param threads maximum threads
   * @param kernels the kernels to run
   * @return {@code [B, H, W, C]} in the image's type
   */
  public static INDArray denseWarp(
      INDArray image, INDArray flow, PointOrder order, int threads, WarpKernels kernels) {
    ImageArgs img = new ImageArgs(image);
    try {
      long[] fs = flowShape(img, flow);
      boolean yx = order == PointOrder.YX;
      if (img.isDouble) {
        double[] f = NdArrays.toDoubles(flow, true);
        double[] out = ArrayPool.doubles(img.doubles.length, false);
        try {
          NdArrays.requireFinite(f, fs, "flow");
          kernels.denseWarp(
              img.doubles, f, yx, img.batch, img.height, img.width, img.channels, threads, out);
          return NdArrays.create(out, img.shape);
        } finally {
          ArrayPool.give(f, out);
        }
      }
      float[] f = NdArrays.toFloats(flow, true);
      float[] out = ArrayPool.floats(img.floats.length, false);
      try {
        NdArrays.requireFinite(f, fs, "flow");
        kernels.denseWarp(
            img.floats, f, yx, img.batch, img.height, img.width, img.channels, threads, out);
        return NdArrays.create(out, img.shape);
      } finally {
        ArrayPool.give(f, out);
      }
    } finally {
      img.release();
    }
  }

  /**
   * Every check of {@link #denseWarp}, without the warp (for the graph ops' slow path).
   *
   * @param image {@code [B, H, W, C]} FLOAT or DOUBLE, H, W ≥ 2, finite
   * @param flow {@code [B, H, W, 2]}, finite
   * @param order the flow's component order (checked values do not depend on it)
   * @throws IllegalArgumentException naming the argument and the problem
   */
  public static void checkDenseWarp(INDArray image, INDArray flow, PointOrder order) {
    ImageArgs img = new ImageArgs(image);
    try {
      long[] fs = flowShape(img, flow);
      NdArrays.requireFinite(NdArrays.toDoubles(flow), fs, "flow");
    } finally {
      img.release();
    }
  }

  private static long[] flowShape(ImageArgs img, INDArray flow) {
    long[] fs = NdArrays.requireRank(flow, "flow", "[B, H, W, 2]");
    NdArrays.requireDim(fs, 0, img.batch, "flow", "batch size B (the image's)");
    NdArrays.requireDim(fs, 1, img.height, "flow", "height H (the image's)");
    NdArrays.requireDim(fs, 2, img.width, "flow", "width W (the image's)");
    NdArrays.requireDim(fs, 3, 2, "flow", "2 components");
    return fs;
  }

  /**
   * Checks the arguments of an interpolation fit and solves the systems.
   *
   * @param centers {@code [B, n, d]} FLOAT or DOUBLE, finite, n ≥ d + 1
   * @param values {@code [B, n, k]} FLOAT or DOUBLE, finite
   * @param spec order, λ and threads
   * @return the fitted splines
   */
  public static FittedSpline fit(INDArray centers, INDArray values, WarpSpec spec) {
    long[] cs = NdArrays.requireRank(centers, "centers", "[B, n, d]");
    long[] vs = NdArrays.requireRank(values, "values", "[B, n, k]");
    NdArrays.requireDim(vs, 0, cs[0], "values", "batch size B (the centers')");
    NdArrays.requireDim(vs, 1, cs[1], "values", "number of points n (the centers')");
    int batch = NdArrays.toInt(cs[0], "centers");
    int n = NdArrays.toInt(cs[1], "centers");
    int d = NdArrays.toInt(cs[2], "centers");
    int k = NdArrays.toInt(vs[2], "values");
    if (batch < 1 || d < 1 || k < 1) {
      throw new IllegalArgumentException(
          "centers and values: expected B, d, k ≥ 1, got centers "
              + Arrays.toString(cs)
              + " and values "
              + Arrays.toString(vs));
    }
    if (n < d + 1) {
      throw new IllegalArgumentException(
          "centers: a spline in "
              + d
              + "-D needs at least d + 1 = "
              + (d + 1)
              + " points, got n = "
              + n
              + " in shape "
              + Arrays.toString(cs));
    }
    double[] c = NdArrays.toDoubles(centers);
    double[] f = NdArrays.toDoubles(values);
    NdArrays.requireFinite(c, cs, "centers");
    NdArrays.requireFinite(f, vs, "values");
    return FittedSpline.fit(
        c,
        f,
        batch,
        n,
        d,
        k,
        spec.order(),
        spec.regularization(),
        spec.threads(),
        j -> "centers " + j);
  }

  /**
   * Evaluates fitted splines at queries.
   *
   * @param fitted the splines
   * @param queries {@code [B, m, d]} finite
   * @param valueType the type of the result
   * @param threads maximum threads
   * @return {@code [B, m, k]}
   */
  public static INDArray evaluate(
      FittedSpline fitted, INDArray queries, DataType valueType, int threads) {
    long[] qs = queryShape(fitted, queries);
    int m = NdArrays.toInt(qs[1], "queries");
    double[] q = NdArrays.toDoubles(queries);
    NdArrays.requireFinite(q, qs, "queries");
    double[] out = fitted.evaluate(q, m, threads);
    INDArray result = NdArrays.create(out, fitted.batch(), m, fitted.valueWidth());
    return valueType == DataType.DOUBLE ? result : result.castTo(valueType);
  }

  /**
   * TFA's {@code interpolate_spline}: fit and evaluate.
   *
   * @param centers {@code [B, n, d]}
   * @param values {@code [B, n, k]}
   * @param queries {@code [B, m, d]}
   * @param spec order, λ and threads
   * @return {@code [B, m, k]} in the values' type
   */
  public static INDArray interpolate(
      INDArray centers, INDArray values, INDArray queries, WarpSpec spec) {
    return evaluate(fit(centers, values, spec), queries, values.dataType(), spec.threads());
  }

  /**
   * Every check of {@link #interpolate}, without the evaluation (for the graph ops' slow path): the
   * fit, which checks the spline system, and the queries.
   *
   * @param centers {@code [B, n, d]}
   * @param values {@code [B, n, k]}
   * @param queries {@code [B, m, d]}
   * @param spec order, λ and threads
   * @throws IllegalArgumentException naming the argument and the problem
   */
  public static void checkInterpolate(
      INDArray centers, INDArray values, INDArray queries, WarpSpec spec) {
    FittedSpline fitted = fit(centers, values, spec);
    long[] qs = queryShape(fitted, queries);
    NdArrays.requireFinite(NdArrays.toDoubles(queries), qs, "queries");
  }

  private static long[] queryShape(FittedSpline fitted, INDArray queries) {
    long[] qs = NdArrays.requireRank(queries, "queries", "[B, m, d]");
    NdArrays.requireDim(qs, 0, fitted.batch(), "queries", "batch size B (the centers')");
    NdArrays.requireDim(qs, 2, fitted.dimension(), "queries", "dimension d (the centers')");
    return qs;
  }
}
