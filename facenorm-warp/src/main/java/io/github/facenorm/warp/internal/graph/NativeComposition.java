package io.github.facenorm.warp.internal.graph;

import io.github.facenorm.warp.PointOrder;
import io.github.facenorm.warp.PolyharmonicSpline;
import io.github.facenorm.warp.SplineWarp;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The slow path: the warp built from native ND4J ops, for when facenorm's executioner is not in
 * place (see {@code FacenormKernels}).
 */
public final class NativeComposition {

  private NativeComposition() {}

  /** TFA's sparse_image_warp from native ops: {warped, flow}. */
  public static SDVariable[] sparseWarp(
      SameDiff sd,
      String name,
      SDVariable image,
      SDVariable source,
      SDVariable dest,
      SplineWarp warp) {
    throw notAvailable();
  }

  /** TFA's dense_image_warp from native ops. */
  public static SDVariable denseWarp(
      SameDiff sd, String name, SDVariable image, SDVariable flow, PointOrder order) {
    throw notAvailable();
  }

  /** TFA's interpolate_spline from native ops. */
  public static SDVariable interpolate(
      SameDiff sd,
      String name,
      SDVariable centers,
      SDVariable values,
      SDVariable queries,
      PolyharmonicSpline spline) {
    throw notAvailable();
  }

  private static UnsupportedOperationException notAvailable() {
    return new UnsupportedOperationException(
        "the SameDiff spline warp needs facenorm's executioner: call FacenormKernels.install()"
            + " before ND4J's first use (the native-op fallback is not built yet)");
  }
}
