package io.github.facenorm.warp.internal;

/**
 * What the spline accepts, in one place: the supported orders and the numerical tests a fitted
 * system must pass, with the messages that name what was wrong.
 */
public final class SplineLimits {

  /**
   * The highest supported spline order. The basis grows like {@code r^order}, and with TFA's linear
   * polynomial part the system's sensitivity grows with it: measured on 9 FACE-224 systems (the
   * 68-point face template moved 3–8 px, 8 of them with the dest points jittered by up to 6 px,
   * plus 8 boundary points, 224 × 224; {@code SplineConditioningReport} in the tests), perturbing
   * the system by 1e-15 of its entries (double rounding) moves the dense flow by at most 8e-6 px at
   * order 4, 4e-4 px at order 5, 0.03 px at order 6, 2 px at order 7 and 1e4 px at order 12. Orders
   * 1–4 are reliable at image scale; at 5 and 6 double precision gets marginal, and a system it
   * cannot solve is refused by the check after the solve ({@code FittedSpline}: 2 of the 9 order-6
   * systems); from 7 on it breaks (README, "Using the warp").
   */
  public static final int MAX_ORDER = 6;

  private SplineLimits() {}

  /**
   * Checks a spline order.
   *
   * @param order the order
   * @param argument how the caller names the argument ({@code order}, {@code --order})
   * @return order
   * @throws IllegalArgumentException unless {@code 1 ≤ order ≤ MAX_ORDER}
   */
  public static int order(int order, String argument) {
    if (order < 1 || order > MAX_ORDER) {
      throw new IllegalArgumentException(
          argument
              + ": expected an integer from 1 to "
              + MAX_ORDER
              + ", got "
              + order
              + (order > MAX_ORDER
                  ? " (the basis grows like r^order: above order "
                      + MAX_ORDER
                      + " double precision no longer solves the spline system of an image-sized"
                      + " warp)"
                  : ""));
    }
    return order;
  }
}
