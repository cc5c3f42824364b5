package io.github.facenorm.warp;

import io.github.facenorm.warp.internal.NdArrays;
import io.github.facenorm.warp.internal.Parallel;
import io.github.facenorm.warp.internal.WarpKernelF32;
import io.github.facenorm.warp.internal.WarpKernelF64;
import io.github.facenorm.warp.internal.graph.DenseWarpOp;
import io.github.facenorm.warp.internal.graph.NativeComposition;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Warps images by a per-pixel flow with bilinear sampling: TensorFlow Addons' {@code
 * dense_image_warp}. Output pixel {@code p} is read from the input at {@code p − flow(p)}; the
 * floor of each coordinate is clamped to {@code [0, size − 2]} and the fraction to {@code [0, 1]},
 * so samples outside the image take the nearest edge value.
 */
public final class DenseImageWarp {

  private DenseImageWarp() {}

  /**
   * Warps with an XY flow {@code (dx, dy)}.
   *
   * @param image {@code [B, H, W, C]} FLOAT or DOUBLE, H, W ≥ 2
   * @param flow {@code [B, H, W, 2]} finite, components {@code (dx, dy)}
   * @return {@code [B, H, W, C]} in the image's data type
   */
  public static INDArray apply(INDArray image, INDArray flow) {
    return apply(image, flow, PointOrder.XY);
  }

  /**
   * Warps with a flow whose components follow {@code order}: {@code (dx, dy)} for {@link
   * PointOrder#XY}, {@code (dy, dx)} for {@link PointOrder#YX} (TFA's tensors as they are).
   *
   * @param image {@code [B, H, W, C]} FLOAT or DOUBLE, H, W ≥ 2
   * @param flow {@code [B, H, W, 2]} finite
   * @param order the order of the flow's components
   * @return {@code [B, H, W, C]} in the image's data type
   */
  public static INDArray apply(INDArray image, INDArray flow, PointOrder order) {
    if (order == null) {
      throw new IllegalArgumentException("order must not be null");
    }
    ImageArgs img = new ImageArgs(image);
    long[] fs = NdArrays.requireRank(flow, "flow", "[B, H, W, 2]");
    NdArrays.requireDim(fs, 0, img.batch, "flow", "batch size B (the image's)");
    NdArrays.requireDim(fs, 1, img.height, "flow", "height H (the image's)");
    NdArrays.requireDim(fs, 2, img.width, "flow", "width W (the image's)");
    NdArrays.requireDim(fs, 3, 2, "flow", "2 components");
    boolean yx = order == PointOrder.YX;
    int threads = Parallel.defaultThreads();
    if (img.isDouble) {
      double[] f = NdArrays.toDoubles(flow);
      NdArrays.requireFinite(f, fs, "flow");
      double[] out = new double[img.doubles.length];
      WarpKernelF64.denseWarp(
          img.doubles, f, yx, img.batch, img.height, img.width, img.channels, threads, out);
      return NdArrays.create(out, img.shape);
    }
    float[] f = NdArrays.toFloats(flow);
    NdArrays.requireFinite(f, fs, "flow");
    float[] out = new float[img.floats.length];
    WarpKernelF32.denseWarp(
        img.floats, f, yx, img.batch, img.height, img.width, img.channels, threads, out);
    return NdArrays.create(out, img.shape);
  }

  /**
   * The dense warp as a differentiable SameDiff op (gradients to the image and the flow); same
   * numbers as {@link #apply(INDArray, INDArray, PointOrder)}.
   *
   * @param sd the graph
   * @param name the output's name
   * @param image {@code [B, H, W, C]}
   * @param flow {@code [B, H, W, 2]}
   * @param order the flow's component order
   * @return the warped image {@code [B, H, W, C]}
   */
  public static SDVariable apply(
      SameDiff sd, String name, SDVariable image, SDVariable flow, PointOrder order) {
    if (order == null) {
      throw new IllegalArgumentException("order must not be null");
    }
    SDVariable out;
    if (FacenormKernels.isActive()) {
      out = new DenseWarpOp(sd, image, flow, order).outputVariable();
    } else {
      FacenormKernels.warnSlowPathOnce();
      out = NativeComposition.denseWarp(sd, name, image, flow, order);
    }
    sd.updateVariableNameAndReference(out, name);
    return out;
  }
}
