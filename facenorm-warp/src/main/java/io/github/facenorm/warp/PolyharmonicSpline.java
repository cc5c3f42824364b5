package io.github.facenorm.warp;

import io.github.facenorm.warp.internal.EagerWarp;
import io.github.facenorm.warp.internal.FittedSpline;
import io.github.facenorm.warp.internal.Parallel;
import io.github.facenorm.warp.internal.SplineLimits;
import io.github.facenorm.warp.internal.WarpSpec;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Polyharmonic-spline interpolation of scattered data in any dimension (paper Alg. 1), with the
 * numerics of TensorFlow Addons' {@code interpolate_spline}.
 *
 * <p>For centers {@code c_j} and values {@code f_j}, the interpolant is {@code s(q) = Σ_j phi(|q −
 * c_j|²) w_j + [q, 1] v}, where {@code [w; v]} solves {@code [[A + λI, B], [Bᵀ, 0]] [w; v] = [f;
 * 0]}, {@code A_ij = phi(|c_i − c_j|²)}, {@code B = [c, 1]}. With {@code EPS = 1e-10}, phi is
 * {@code sqrt(max(r², EPS))} for order 1, {@code 0.5 r² log(max(r², EPS))} for order 2, {@code 0.5
 * r⁴ log(max(r², EPS))} for order 4, {@code 0.5 max(r², EPS)^(k/2) log(max(r², EPS))} for other
 * even orders k and {@code max(r², EPS)^(k/2)} for odd k. The system is built and solved in double
 * precision whatever the input type (pixel-scale systems have condition numbers of 1e8–1e11), with
 * pivoted LU; evaluation runs in double precision too.
 *
 * <p>Instances are immutable and thread-safe. Example:
 *
 * <pre>{@code
 * PolyharmonicSpline spline = PolyharmonicSpline.builder().order(2).build();
 * SplineFit fit = spline.fit(centers, values);   // [B, n, d], [B, n, k]
 * INDArray atQueries = fit.evaluate(queries);    // [B, m, d] -> [B, m, k]
 * }</pre>
 */
public final class PolyharmonicSpline {

  /**
   * The highest supported order (also {@link SplineWarp}'s). Above it the basis {@code r^order}
   * spans so many decades at pixel scale that double precision no longer solves the system:
   * measured on FACE-224 systems, see README.md, "Using the warp".
   */
  public static final int MAX_ORDER = SplineLimits.MAX_ORDER;

  private final int order;
  private final double regularization;
  private final int threads;

  private PolyharmonicSpline(Builder b) {
    this.order = b.order;
    this.regularization = b.regularization;
    this.threads = b.threads;
  }

  /**
   * A builder with TFA's defaults: order 2 (thin plate), regularization 0, all available cores.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Solves the spline system for every batch element.
   *
   * @param centers {@code [B, n, d]} FLOAT or DOUBLE, finite, n ≥ d + 1
   * @param values {@code [B, n, k]} FLOAT or DOUBLE, finite
   * @return the fitted splines, to evaluate at any number of queries
   * @throws IllegalArgumentException on a wrong shape or type, NaN/Inf, or a singular system
   *     (duplicate or too close centers with λ = 0, fewer than d + 1 affinely independent centers,
   *     or a solution that does not reproduce the values at the centers: the message names the
   *     closest centers or the order)
   */
  public SplineFit fit(INDArray centers, INDArray values) {
    FittedSpline fitted = EagerWarp.fit(centers, values, spec());
    return new SplineFit(this, fitted, values.dataType());
  }

  /**
   * Fits and evaluates in one call: TFA's {@code interpolate_spline(centers, values, queries,
   * order, regularization)}.
   *
   * @param centers {@code [B, n, d]}
   * @param values {@code [B, n, k]}
   * @param queries {@code [B, m, d]}
   * @return {@code [B, m, k]}, in the data type of {@code values}
   */
  public INDArray interpolate(INDArray centers, INDArray values, INDArray queries) {
    return fit(centers, values).evaluate(queries);
  }

  /**
   * Interpolation as a differentiable SameDiff op: gradients flow to the centers, the values and
   * the queries. Same numbers as {@link #interpolate(INDArray, INDArray, INDArray)}.
   *
   * @param sd the graph
   * @param name the output's name
   * @param centers {@code [B, n, d]}
   * @param values {@code [B, n, k]}
   * @param queries {@code [B, m, d]}
   * @return {@code [B, m, k]}
   */
  public SDVariable interpolate(
      SameDiff sd, String name, SDVariable centers, SDVariable values, SDVariable queries) {
    SDVariable out =
        FacenormKernels.backend().interpolate(sd, name, centers, values, queries, spec());
    sd.updateVariableNameAndReference(out, name);
    return out;
  }

  /** The internal form of this configuration. */
  WarpSpec spec() {
    return WarpSpec.interpolation(order, regularization, threads);
  }

  /** The spline order k (1 = linear in r, the paper's; 2 = thin plate). */
  public int order() {
    return order;
  }

  /** The regularization weight λ added to the diagonal of A (only when λ > 0). */
  public double regularization() {
    return regularization;
  }

  /** The maximum number of threads used for fitting and evaluation. */
  public int threads() {
    return threads;
  }

  @Override
  public String toString() {
    return "PolyharmonicSpline{order="
        + order
        + ", regularization="
        + regularization
        + ", threads="
        + threads
        + "}";
  }

  /** Builds {@link PolyharmonicSpline}s; every setter checks its argument. */
  public static final class Builder {
    private int order = 2;
    private double regularization = 0;
    private int threads = Parallel.defaultThreads();

    private Builder() {}

    /**
     * The spline order k, from 1 to {@link #MAX_ORDER} (default 2).
     *
     * @param order the order
     * @return this builder
     * @throws IllegalArgumentException outside that range
     */
    public Builder order(int order) {
      this.order = WarpChecks.order(order);
      return this;
    }

    /**
     * The regularization weight λ ≥ 0 (default 0: exact interpolation).
     *
     * @param regularization λ
     * @return this builder
     */
    public Builder regularization(double regularization) {
      this.regularization = WarpChecks.regularization(regularization);
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
     * Builds the immutable spline configuration.
     *
     * @return the configuration
     */
    public PolyharmonicSpline build() {
      return new PolyharmonicSpline(this);
    }
  }
}
