package io.github.facenorm.core;

import java.util.Locale;
import java.util.Objects;

/**
 * Head rotation estimated from the 68 landmarks alone, in degrees.
 *
 * <p><b>Estimator.</b> The landmarks are first rotated so the eye line is horizontal (that angle is
 * the {@link #roll()}). Then a rigid, scaled-orthographic model is assumed in which the eye centers
 * and the mouth center (the mean of the outer-lip midpoints 51 and 57) lie in one frontal plane and
 * the nose tip (point 30) stands {@link #NOSE_DEPTH} interocular distances in front of it (a
 * generic head: the 3-D face model commonly used for PnP head-pose estimation, with the nose tip
 * about 26 mm in front of the eyes and mouth and 63 mm between the pupils). With {@code k} = {@code
 * NOSE_DEPTH}, {@code r} = {@code NOSE_HEIGHT}, {@code d} the measured interocular distance, {@code
 * m} the midpoint of the eye midpoint and the mouth center, {@code e} the eye midpoint and {@code
 * o} the mouth center:
 *
 * <ul>
 *   <li><b>yaw</b>: a turn by θ shifts the nose tip sideways from the face midline by {@code k D
 *       sin θ} while the interocular distance shrinks to {@code D cos θ}, so {@code yaw =
 *       atan((x_nose − x_m) / (k d))}. Positive when the nose moves to the image's right, i.e. the
 *       subject turns toward their own left.
 *   <li><b>pitch</b>: in a frontal face the nose tip sits a fraction {@link #NOSE_HEIGHT} of the
 *       way from the eyes down to the mouth; a nod by φ moves it off that point by {@code k D sin
 *       φ} with {@code D = d / cos(yaw)}, so {@code pitch = asin(((y_e − y_nose) + r (y_o − y_e)) /
 *       (k D))} (clamped to ±90°). Positive when the subject looks up (the nose tip rises toward
 *       the eyes).
 * </ul>
 *
 * <p>The lip midpoints are used rather than the mouth corners because smiling lifts the corners: on
 * the FRL London set (each person neutral and smiling) the corners shift the pitch of smiling
 * photos by 11°, the lip midpoints by 5°. {@code NOSE_HEIGHT} is calibrated so that the FRL London
 * neutral photos (studio, frontal, camera at eye level) have a median pitch of 0 (dlib's mean
 * 68-point shape, with its many smiling training faces, would give 0.53 with the corners).
 *
 * <p>The constants are generic, not fitted to this person, so the angles rank faces by pose but are
 * not calibrated measurements. Individual proportions blur them: over the 102 FRL neutral photos
 * the standard deviation is 3.2° for yaw (much of it real: it agrees with the left-right symmetry
 * of the jaw contour, correlation above 0.9) and 8.7° for pitch (nose length varies from person to
 * person), so a 5° pitch limit keeps only about 40 % of those frontal faces.
 *
 * @param yaw left-right turn in degrees (positive: toward the subject's left, the image's right)
 * @param pitch up-down nod in degrees (positive: looking up)
 * @param roll in-plane tilt of the eye line in degrees (positive: the image's clockwise, i.e. the
 *     eye on the image's right is lower)
 */
public record HeadPose(double yaw, double pitch, double roll) {

  /** Nose-tip depth in front of the eye/mouth plane, in interocular distances. */
  public static final double NOSE_DEPTH = 0.42;

  /** Height of the frontal nose tip between the eye line (0) and the mouth center (1). */
  public static final double NOSE_HEIGHT = 0.435;

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
    // Coordinates in the eye-line frame: u along the eye line, v perpendicular (down).
    double eu = 0.5 * (r.x() + l.x());
    double ev = 0.5 * (r.y() + l.y());
    double ox = 0.5 * (landmarks.x(51) + landmarks.x(57));
    double oy = 0.5 * (landmarks.y(51) + landmarks.y(57));
    double nx = landmarks.x(30);
    double ny = landmarks.y(30);
    double euR = c * eu + s * ev;
    double evR = -s * eu + c * ev;
    double ouR = c * ox + s * oy;
    double ovR = -s * ox + c * oy;
    double nuR = c * nx + s * ny;
    double nvR = -s * nx + c * ny;
    double mid = 0.5 * (euR + ouR);
    double yaw = Math.atan((nuR - mid) / (NOSE_DEPTH * d));
    double depth = NOSE_DEPTH * d / Math.cos(yaw);
    double off = (evR - nvR) + NOSE_HEIGHT * (ovR - evR);
    double pitch = Math.asin(Math.max(-1, Math.min(1, off / depth)));
    return new HeadPose(Math.toDegrees(yaw), Math.toDegrees(pitch), Math.toDegrees(roll));
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT, "HeadPose[yaw=%.2f°, pitch=%.2f°, roll=%.2f°]", yaw, pitch, roll);
  }
}
