package io.github.facenorm.models.face3d;

import java.util.Objects;

/**
 * An affine camera from the model frame (cm; {@code x} viewer's right, {@code y} up, {@code z}
 * towards the viewer) to image pixels ({@code x} right, {@code y} down): {@code u = P₀·X + t₀},
 * {@code v = P₁·X + t₁}. A weak-perspective camera is the special case {@code P = s [r₁; -r₂]} with
 * orthonormal {@code r₁, r₂}; the frontal one has {@code r₁ = (1, 0, 0), r₂ = (0, 1, 0)}.
 *
 * @param p {@code [2, 3]} row-major
 * @param t {@code [2]}
 */
public record Camera(double[] p, double[] t) {

  /** Checks shapes and copies. */
  public Camera {
    Objects.requireNonNull(p, "p");
    Objects.requireNonNull(t, "t");
    if (p.length != 6 || t.length != 2) {
      throw new IllegalArgumentException(
          "camera: expected p [2, 3] and t [2], got " + p.length + " and " + t.length);
    }
    p = p.clone();
    t = t.clone();
  }

  /**
   * The frontal weak-perspective camera.
   *
   * @param scale pixels per cm
   * @param tx image position of the origin, x
   * @param ty image position of the origin, y
   * @return the camera
   */
  public static Camera frontal(double scale, double tx, double ty) {
    return new Camera(new double[] {scale, 0, 0, 0, -scale, 0}, new double[] {tx, ty});
  }

  /**
   * The least-squares affine camera mapping 3-D points to image points (8 unknowns).
   *
   * @param points {@code [n, 3]}, {@code n ≥ 4}, not coplanar
   * @param image {@code [n, 2]}
   * @return the camera
   */
  public static Camera fitAffine(double[] points, double[] image) {
    int n = points.length / 3;
    if (n < 4 || image.length != 2 * n) {
      throw new IllegalArgumentException(
          "points/image: need n >= 4 matching points, got " + points.length + " / " + image.length);
    }
    double[] ata = new double[16];
    double[] atbU = new double[4];
    double[] atbV = new double[4];
    for (int i = 0; i < n; i++) {
      double[] row = {points[3 * i], points[3 * i + 1], points[3 * i + 2], 1};
      for (int a = 0; a < 4; a++) {
        for (int b = 0; b < 4; b++) {
          ata[a * 4 + b] += row[a] * row[b];
        }
        atbU[a] += row[a] * image[2 * i];
        atbV[a] += row[a] * image[2 * i + 1];
      }
    }
    double[] u = io.github.facenorm.models.face3d.internal.SymmetricEigen.solveSpd(ata, atbU, 4);
    double[] v = io.github.facenorm.models.face3d.internal.SymmetricEigen.solveSpd(ata, atbV, 4);
    return new Camera(new double[] {u[0], u[1], u[2], v[0], v[1], v[2]}, new double[] {u[3], v[3]});
  }

  /**
   * The least-squares frontal camera (scale and translation only).
   *
   * @param points {@code [n, 3]}
   * @param image {@code [n, 2]}
   * @return the camera
   */
  public static Camera fitFrontal(double[] points, double[] image) {
    int n = points.length / 3;
    // u = s X + tx, v = -s Y + ty: normal equations in (s, tx, ty).
    double sxx = 0;
    double sx = 0;
    double sy = 0;
    double su = 0;
    double sv = 0;
    double sxu = 0;
    for (int i = 0; i < n; i++) {
      double x = points[3 * i];
      double y = -points[3 * i + 1];
      double u = image[2 * i];
      double v = image[2 * i + 1];
      sxx += x * x + y * y;
      sx += x;
      sy += y;
      su += u;
      sv += v;
      sxu += x * u + y * v;
    }
    // [sxx sx sy; sx n 0; sy 0 n] [s tx ty] = [sxu su sv]
    double s = (sxu - (sx * su + sy * sv) / n) / (sxx - (sx * sx + sy * sy) / n);
    return frontal(s, (su - s * sx) / n, (sv - s * sy) / n);
  }

  /**
   * Projects points.
   *
   * @param points {@code [n, 3]}
   * @return {@code [n, 2]}
   */
  public double[] project(double[] points) {
    int n = points.length / 3;
    double[] out = new double[2 * n];
    for (int i = 0; i < n; i++) {
      double x = points[3 * i];
      double y = points[3 * i + 1];
      double z = points[3 * i + 2];
      out[2 * i] = p[0] * x + p[1] * y + p[2] * z + t[0];
      out[2 * i + 1] = p[3] * x + p[4] * y + p[5] * z + t[1];
    }
    return out;
  }

  /**
   * The unit direction towards the camera, in the model frame: {@code -(P₀ × P₁)} normalized (for
   * the frontal camera {@code (0, 0, 1)}).
   *
   * @return {@code [3]}
   */
  public double[] towardsCamera() {
    double cx = p[1] * p[5] - p[2] * p[4];
    double cy = p[2] * p[3] - p[0] * p[5];
    double cz = p[0] * p[4] - p[1] * p[3];
    double norm = Math.sqrt(cx * cx + cy * cy + cz * cz);
    return new double[] {-cx / norm, -cy / norm, -cz / norm};
  }

  /**
   * The mean scale, pixels per cm: {@code sqrt(|P₀| |P₁|)}.
   *
   * @return the scale
   */
  public double scale() {
    double a = Math.sqrt(p[0] * p[0] + p[1] * p[1] + p[2] * p[2]);
    double b = Math.sqrt(p[3] * p[3] + p[4] * p[4] + p[5] * p[5]);
    return Math.sqrt(a * b);
  }

  /**
   * Returns {@code p} (a copy).
   *
   * @return {@code [2, 3]}
   */
  @Override
  public double[] p() {
    return p.clone();
  }

  /**
   * Returns {@code t} (a copy).
   *
   * @return {@code [2]}
   */
  @Override
  public double[] t() {
    return t.clone();
  }
}
