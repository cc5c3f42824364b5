package io.github.facenorm.core.internal;

/**
 * The 14 measurements {@link SmileModel} weighs (the same as {@code features} in {@code
 * scripts/dev/gen-smile-model.py}): the 68 landmarks in the eye frame (origin at the left eye's
 * centre, x along the line to the right eye's centre, y perpendicular, pointing down the face; unit
 * = the distance between the eye centres), then mouth, lip, eye and jaw distances in that frame.
 */
final class SmileFeatures {

  private SmileFeatures() {}

  /**
   * The measurements of one face.
   *
   * @param xy x, y per point, 136 values, image coordinates
   * @return 14 values, in {@link SmileModel#WEIGHTS}'s order
   * @throws IllegalArgumentException if there are not 136 values or the eye centres coincide
   */
  static double[] of(double[] xy) {
    if (xy.length != 136) {
      throw new IllegalArgumentException("landmarks: expected 136 values, got " + xy.length);
    }
    double lx = 0;
    double ly = 0;
    double rx = 0;
    double ry = 0;
    for (int i = 0; i < 6; i++) {
      lx += xy[2 * (36 + i)];
      ly += xy[2 * (36 + i) + 1];
      rx += xy[2 * (42 + i)];
      ry += xy[2 * (42 + i) + 1];
    }
    lx /= 6;
    ly /= 6;
    rx /= 6;
    ry /= 6;
    double iod = Math.hypot(rx - lx, ry - ly);
    if (!(iod > 0) || !Double.isFinite(iod)) {
      throw new IllegalArgumentException("landmarks: the eye centres coincide; no smile score");
    }
    double ex = (rx - lx) / iod;
    double ey = (ry - ly) / iod;
    double[] qx = new double[68];
    double[] qy = new double[68];
    for (int i = 0; i < 68; i++) {
      double dx = xy[2 * i] - lx;
      double dy = xy[2 * i + 1] - ly;
      qx[i] = (dx * ex + dy * ey) / iod;
      qy[i] = (-dx * ey + dy * ex) / iod;
    }
    double cy = (qy[48] + qy[54]) / 2;
    return new double[] {
      qx[54] - qx[48],
      (qy[51] + qy[57]) / 2 - cy,
      qy[66] - qy[62],
      qy[62] - qy[51],
      qy[57] - qy[66],
      (qy[41] - qy[37]) + (qy[40] - qy[38]) + (qy[47] - qy[43]) + (qy[46] - qy[44]),
      qy[51] - qy[33],
      qy[57] - qy[8],
      (qy[61] + qy[63]) / 2 - qy[62],
      (qy[67] + qy[65]) / 2 - qy[66],
      qx[64] - qx[60],
      cy - qy[33],
      qy[8],
      qx[14] - qx[2]
    };
  }
}
