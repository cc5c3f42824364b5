package io.github.facenorm.core.dlib.internal;

/**
 * The linear part of dlib's {@code find_similarity_transform} (Umeyama 1991, eqs. 34–43) between
 * two shapes, in double precision, in closed form.
 *
 * <p>In 2-D, write the cross-covariance {@code C = mean (to - mean_to)(from - mean_from)ᵀ} as
 * {@code e = (C00 + C11) / 2}, {@code f = (C10 - C01) / 2}. The rotation {@code U S Vᵀ} that
 * Umeyama's SVD yields (with the smaller singular value's sign flipped when {@code det C < 0}) is
 * the rotation by {@code atan2(f, e)}, and {@code trace(D S) = 2 hypot(e, f)} in every case, so
 * {@code c R = (2 / sigma_from) [[e, -f], [f, e]]}. A test checks this against an SVD.
 */
public final class Similarity {

  private Similarity() {}

  /**
   * Computes {@code c R} of the similarity transform taking {@code from} to {@code to}.
   *
   * @param from interleaved points {@code x0, y0, …}
   * @param to interleaved points, same length
   * @param out receives {@code {a00, a01, a10, a11}} (row-major 2 × 2)
   */
  public static void linearPart(float[] from, float[] to, double[] out) {
    int n = from.length / 2;
    double mfx = 0;
    double mfy = 0;
    double mtx = 0;
    double mty = 0;
    for (int i = 0; i < n; i++) {
      mfx += from[2 * i];
      mfy += from[2 * i + 1];
      mtx += to[2 * i];
      mty += to[2 * i + 1];
    }
    mfx /= n;
    mfy /= n;
    mtx /= n;
    mty /= n;
    double sigma = 0;
    double c00 = 0;
    double c01 = 0;
    double c10 = 0;
    double c11 = 0;
    for (int i = 0; i < n; i++) {
      double fx = from[2 * i] - mfx;
      double fy = from[2 * i + 1] - mfy;
      double tx = to[2 * i] - mtx;
      double ty = to[2 * i + 1] - mty;
      sigma += fx * fx + fy * fy;
      c00 += tx * fx;
      c01 += tx * fy;
      c10 += ty * fx;
      c11 += ty * fy;
    }
    sigma /= n;
    c00 /= n;
    c01 /= n;
    c10 /= n;
    c11 /= n;
    double e = (c00 + c11) / 2;
    double f = (c10 - c01) / 2;
    double norm = Math.hypot(e, f);
    if (sigma == 0 || norm == 0) {
      // dlib: c = 1 when sigma_from == 0; R = I when the covariance vanishes (then c = 0).
      double c = sigma == 0 ? 1 : 0;
      out[0] = c;
      out[1] = 0;
      out[2] = 0;
      out[3] = c;
      return;
    }
    double scale = 1.0 / sigma * (2 * norm);
    double cos = e / norm;
    double sin = f / norm;
    out[0] = scale * cos;
    out[1] = -scale * sin;
    out[2] = scale * sin;
    out[3] = scale * cos;
  }
}
