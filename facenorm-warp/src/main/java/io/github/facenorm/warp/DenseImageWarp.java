package io.github.facenorm.warp;

import io.github.facenorm.warp.internal.EagerWarp;
import io.github.facenorm.warp.internal.Parallel;
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
    return EagerWarp.denseWarp(image, flow, order, Parallel.defaultThreads());
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
    SDVariable out = FacenormKernels.backend().denseWarp(sd, name, image, flow, order);
    sd.updateVariableNameAndReference(out, name);
    return out;
  }
}
