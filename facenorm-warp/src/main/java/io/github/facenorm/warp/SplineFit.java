package io.github.facenorm.warp;

import io.github.facenorm.warp.internal.EagerWarp;
import io.github.facenorm.warp.internal.FittedSpline;
import io.github.facenorm.warp.internal.NdArrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A batch of solved polyharmonic splines: fit once with {@link PolyharmonicSpline#fit}, evaluate at
 * as many queries as needed without solving again. Immutable and thread-safe.
 */
public final class SplineFit {

  private final PolyharmonicSpline config;
  private final FittedSpline fitted;
  private final DataType valueType;

  SplineFit(PolyharmonicSpline config, FittedSpline fitted, DataType valueType) {
    this.config = config;
    this.fitted = fitted;
    this.valueType = valueType;
  }

  /**
   * Evaluates each batch element's spline at its queries.
   *
   * @param queries {@code [B, m, d]} FLOAT or DOUBLE, finite, same B and d as the centers
   * @return {@code [B, m, k]} in the data type of the fitted values
   */
  public INDArray evaluate(INDArray queries) {
    return EagerWarp.evaluate(fitted, queries, valueType, config.threads());
  }

  /** The RBF weights w, {@code [B, n, k]} DOUBLE. */
  public INDArray weights() {
    return NdArrays.create(
        fitted.weights().clone(), fitted.batch(), fitted.centerCount(), fitted.valueWidth());
  }

  /** The affine part v, {@code [B, d + 1, k]} DOUBLE: rows for the d coordinates, then 1. */
  public INDArray affine() {
    return NdArrays.create(
        fitted.affine().clone(), fitted.batch(), fitted.dimension() + 1, fitted.valueWidth());
  }

  /** The centers, {@code [B, n, d]} DOUBLE. */
  public INDArray centers() {
    return NdArrays.create(
        fitted.centers().clone(), fitted.batch(), fitted.centerCount(), fitted.dimension());
  }

  /** The configuration that produced this fit. */
  public PolyharmonicSpline spline() {
    return config;
  }

  @Override
  public String toString() {
    return "SplineFit{B="
        + fitted.batch()
        + ", n="
        + fitted.centerCount()
        + ", d="
        + fitted.dimension()
        + ", k="
        + fitted.valueWidth()
        + ", "
        + config
        + "}";
  }
}
