package io.github.facenorm.warp;

import io.github.facenorm.warp.internal.SplineLimits;

/** Builder argument checks shared by the spline and the warp. */
final class WarpChecks {

  private WarpChecks() {}

  static int order(int order) {
    return SplineLimits.order(order, "order");
  }

  static double regularization(double lambda) {
    if (!(lambda >= 0) || Double.isInfinite(lambda)) {
      throw new IllegalArgumentException(
          "regularization: expected a finite value ≥ 0, got " + lambda);
    }
    return lambda;
  }

  static int threads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads: expected ≥ 1, got " + threads);
    }
    return threads;
  }

  static int boundaryPoints(int p) {
    if (p < 0) {
      throw new IllegalArgumentException("boundaryPoints: expected ≥ 0 per edge, got " + p);
    }
    return p;
  }
}
