package io.github.facenorm.core;

import io.github.facenorm.core.internal.HeadModelFit;
import java.util.Locale;
import java.util.Objects;

/**
 * Head rotation estimated from the 68 landmarks alone, in degrees.
 *
 * <p><b>Estimator.</b> The landmarks are first rotated so the eye line is horizontal (that angle is
 * the {@link #roll()}). Then a 3-D head model is fitted to all 68 points under a scaled
 * orthographic camera: a rigid rotation and scale of a mean head plus 5 in-plane identity modes
 * with a Gaussian prior, by alternating Gauss–Newton steps on the rotation and scale with a ridge
 * solve for the identity. Yaw and pitch are read from the fitted rotation. The model's depths are
 * those of the MediaPipe canonical face mesh (Apache-2.0) at the iBUG-68 points (the VTX68 map of
 * {@code @vladmandic/human}, MIT); its x, y and identity modes are the mean and principal modes of
 * dlib's landmarks on the even-numbered people's neutral photos of FRL London (CC BY 4.0); {@code
 * scripts/dev/gen-face-models.py} builds it.
 *
 * <p>Letting the identity modes absorb part of the person-to-person variation of proportions is
 * what the 2-D ratios could not do: on the odd-numbered (held-out) FRL neutral photos, which all
 * face the camera, the standard deviation is 1.7° for yaw and 4.3° for pitch (8.7° with the former
 * nose-position estimator). Pitch stays the weaker of the two, because a long nose and a lowered
 * head look alike in one frontal view.
 *
 * @param yaw left-right turn in degrees (positive: toward the subject's left, the image's right)
 * @param pitch up-down nod in degrees (positive: looking up)
 * @param roll in-plane tilt of the eye line in degrees (positive: the image's clockwise, i.e. the
 *     eye on the image's right is lower)
 */
public record HeadPose(double yaw, double pitch, double roll) {

  /**
   * Estimates the pose of a face.
   *
   * @param landmarks the 68 points in any image coordinates (photo or aligned crop)
   * @return yaw, pitch and roll in degrees
   * @throws IllegalArgumentException if the eye centers coincide
   */
  public static HeadPose estimate(Landmarks landmarks) {
    Objects.requireNonNull(landmarks, "landmarks");
    Landmarks.Point r = landmarks.rightEyeCenter();
    Landmarks.Point l = landmarks.leftEyeCenter();
    double ex = l.x() - r.x();
    double ey = l.y() - r.y();
    double d = Math.hypot(ex, ey);
    if (!(d > 0)) {
      throw new IllegalArgumentException(
          "landmarks: the two eye centers coincide at " + r + "; cannot estimate the pose");
    }
    double roll = Math.atan2(ey, ex);
    double c = ex / d;
    double s = ey / d;
    double[] xy = new double[2 * Landmarks.COUNT];
    for (int i = 0; i < Landmarks.COUNT; i++) {
      xy[2 * i] = c * landmarks.x(i) + s * landmarks.y(i);
      xy[2 * i + 1] = -s * landmarks.x(i) + c * landmarks.y(i);
    }
    double[] yp = HeadModelFit.yawPitch(xy);
    return new HeadPose(yp[0], yp[1], Math.toDegrees(roll));
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT, "HeadPose[yaw=%.2f°, pitch=%.2f°, roll=%.2f°]", yaw, pitch, roll);
  }
}
