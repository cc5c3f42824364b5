package io.github.facenorm.warp.internal.graph;

import io.github.facenorm.warp.PointOrder;
import io.github.facenorm.warp.internal.WarpSpec;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the warp's graph forms are built: as facenorm's fused Java ops ({@link #fused()}, which run
 * the chosen {@code WarpKernels}) where facenorm's executioner runs, or as a composition of native
 * ND4J ops ({@link #nativeOps()}, same numbers, tens of times slower) everywhere else. {@link
 * #current()} picks one per JVM, in a lazy holder, when the first graph op is built (or {@code
 * FacenormKernels.isActive()} asks); the public builders call it and never branch. Outputs are left
 * for the caller to name; anything else is named under {@code name + "/"}.
 */
public interface WarpBackend {

  /**
   * A short description for logs.
   *
   * @return the description
   */
  String description();

  /**
   * TFA's {@code sparse_image_warp}.
   *
   * @param sd the graph
   * @param name the name scope
   * @param image {@code [B, H, W, C]}
   * @param source {@code [B, n, 2]} in the spec's point order
   * @param dest {@code [B, n, 2]}
   * @param spec the warp
   * @param withFlow whether the dense flow {@code [B, H, W, 2]} is a second output
   * @return {warped image} or {warped image, flow}
   */
  SDVariable[] sparseWarp(
      SameDiff sd,
      String name,
      SDVariable image,
      SDVariable source,
      SDVariable dest,
      WarpSpec spec,
      boolean withFlow);

  /**
   * TFA's {@code dense_image_warp}.
   *
   * @param sd the graph
   * @param name the name scope
   * @param image {@code [B, H, W, C]}
   * @param flow {@code [B, H, W, 2]} with components in {@code order}
   * @param order the flow's component order
   * @return the warped image
   */
  SDVariable denseWarp(
      SameDiff sd, String name, SDVariable image, SDVariable flow, PointOrder order);

  /**
   * TFA's {@code interpolate_spline}.
   *
   * @param sd the graph
   * @param name the name scope
   * @param centers {@code [B, n, d]}
   * @param values {@code [B, n, k]}
   * @param queries {@code [B, m, d]}
   * @param spec order and λ
   * @return {@code [B, m, k]} in the values' type
   */
  SDVariable interpolate(
      SameDiff sd,
      String name,
      SDVariable centers,
      SDVariable values,
      SDVariable queries,
      WarpSpec spec);

  /**
   * {@code x} forward, its gradient scaled by {@code factor} backward.
   *
   * @param sd the graph
   * @param x the variable
   * @param factor the gradient's scale
   * @return the scaled-gradient identity of x
   */
  SDVariable scaleGradient(SameDiff sd, SDVariable x, double factor);

  /**
   * The backend of this JVM: the fused ops if ND4J runs facenorm's executioner (which cannot change
   * once ND4J has started; this starts it), else the native ops, with one warning in the log.
   *
   * @return the backend
   */
  static WarpBackend current() {
    return Holder.CURRENT;
  }

  /**
   * The fused Java ops.
   *
   * @return the backend
   */
  static WarpBackend fused() {
    return FusedOps.INSTANCE;
  }

  /**
   * The composition of native ND4J ops.
   *
   * @return the backend
   */
  static WarpBackend nativeOps() {
    return NativeOps.INSTANCE;
  }

  /** The lazy holder of {@link #current()}. */
  final class Holder {
    private static final Logger LOG = LoggerFactory.getLogger(WarpBackend.class);
    static final WarpBackend CURRENT = choose();

    private Holder() {}

    private static WarpBackend choose() {
      if (Nd4j.getExecutioner() instanceof JavaOpExecutioner) {
        OpRegistry.ensureRegistered();
        LOG.info("facenorm-warp graph ops: {}", fused().description());
        return fused();
      }
      LOG.warn(
          "facenorm: ND4J runs {}, not facenorm's executioner, so the SameDiff spline warp is built"
              + " from native ops (same numbers, tens of times slower). Call"
              + " FacenormKernels.install() before ND4J's first use to run the fused kernels.",
          Nd4j.getExecutioner().getClass().getName());
      return nativeOps();
    }
  }
}
