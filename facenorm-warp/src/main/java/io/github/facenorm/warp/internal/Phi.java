package io.github.facenorm.warp.internal;

/**
 * The polyharmonic radial basis function of TensorFlow Addons, applied to a squared distance.
 *
 * <p>With {@code EPS = 1e-10}: order 1 {@code sqrt(max(r2, EPS))}; order 2 {@code 0.5 r2
 * log(max(r2, EPS))}; order 4 {@code 0.5 r2² log(max(r2, EPS))}; other even orders {@code 0.5
 * max(r2, EPS)^(k/2) log(max(r2, EPS))}; odd orders {@code max(r2, EPS)^(k/2)}.
 */
public final class Phi {

  /** The floor TFA applies to squared distances before roots and logarithms. */
  public static final double EPS = 1e-10;

  /** {@link #EPS} in single precision, as TFA uses it for float32 inputs. */
  public static final float EPS_F = 1e-10f;

  private Phi() {}

  /**
   * phi of one squared distance, in double precision.
   *
   * @param order the spline order, at least 1
   * @param r2 squared distance
   * @return phi(r2)
   */
  public static double apply(int order, double r2) {
    switch (order) {
      case 1:
        return Math.sqrt(Math.max(r2, EPS));
      case 2:
        return 0.5 * r2 * Math.log(Math.max(r2, EPS));
      case 3:
        {
          double r = Math.max(r2, EPS);
          return r * Math.sqrt(r);
        }
      case 4:
        return 0.5 * r2 * r2 * Math.log(Math.max(r2, EPS));
      default:
        {
          double r = Math.max(r2, EPS);
          return (order & 1) == 0
              ? 0.5 * Math.pow(r, 0.5 * order) * Math.log(r)
              : Math.pow(r, 0.5 * order);
        }
    }
  }

  /**
   * d phi / d r2, with TensorFlow's gradient of {@code max(r2, EPS)}: the gradient flows to r2
   * where {@code r2 ≥ EPS} and is cut below.
   *
   * @param order the spline order, at least 1
   * @param r2 squared distance
   * @return the derivative with respect to r2
   */
  public static double derivative(int order, double r2) {
    boolean live = r2 >= EPS;
    switch (order) {
      case 1:
        return live ? 0.5 / Math.sqrt(r2) : 0;
      case 2:
        return 0.5 * Math.log(Math.max(r2, EPS)) + (live ? 0.5 : 0);
      case 4:
        return r2 * Math.log(Math.max(r2, EPS)) + (live ? 0.5 * r2 : 0);
      default:
        if (!live) {
          return 0;
        }
        double half = 0.5 * order;
        double pm1 = Math.pow(r2, half - 1);
        return (order & 1) == 0 ? 0.5 * (half * pm1 * Math.log(r2) + pm1) : half * pm1;
    }
  }

  /**
   * Replaces squared distances by phi of them, in single precision.
   *
   * @param order the spline order, at least 1
   * @param r2 squared distances, overwritten with phi
   * @param len number of leading entries to transform
   */
  public static void applyInPlace(int order, float[] r2, int len) {
    switch (order) {
      case 1:
        for (int i = 0; i < len; i++) {
          r2[i] = (float) Math.sqrt(Math.max(r2[i], EPS_F));
        }
        break;
      case 2:
        for (int i = 0; i < len; i++) {
          float r = r2[i];
          r2[i] = 0.5f * r * (float) Math.log(Math.max(r, EPS_F));
        }
        break;
      case 3:
        for (int i = 0; i < len; i++) {
          float r = Math.max(r2[i], EPS_F);
          r2[i] = r * (float) Math.sqrt(r);
        }
        break;
      case 4:
        for (int i = 0; i < len; i++) {
          float r = r2[i];
          r2[i] = 0.5f * r * r * (float) Math.log(Math.max(r, EPS_F));
        }
        break;
      default:
        for (int i = 0; i < len; i++) {
          float r = Math.max(r2[i], EPS_F);
          double p = Math.pow(r, 0.5 * order);
          r2[i] = (float) ((order & 1) == 0 ? 0.5 * p * Math.log(r) : p);
        }
    }
  }

  /**
   * Replaces squared distances by phi of them, in double precision.
   *
   * @param order the spline order, at least 1
   * @param r2 squared distances, overwritten with phi
   * @param len number of leading entries to transform
   */
  public static void applyInPlace(int order, double[] r2, int len) {
    if (order == 1) {
      for (int i = 0; i < len; i++) {
        r2[i] = Math.sqrt(Math.max(r2[i], EPS));
      }
    } else {
      for (int i = 0; i < len; i++) {
        r2[i] = apply(order, r2[i]);
      }
    }
  }
}
