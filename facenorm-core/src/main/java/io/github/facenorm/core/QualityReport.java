package io.github.facenorm.core;

import java.util.Locale;
import java.util.Objects;

/**
 * What {@link QualityFilters} measured on one face, filter by filter: each check keeps its measured
 * value(s), the threshold(s) it was compared with, and whether it passed.
 *
 * @param pose head pose (yaw and pitch limits)
 * @param blur sharpness (variance of the Laplacian)
 * @param monochrome colorfulness (mean chroma)
 * @param expression mouth opening, width and smile score
 */
public record QualityReport(Pose pose, Blur blur, Monochrome monochrome, Expression expression) {

  /**
   * Checks that no component is null.
   *
   * @param pose head pose check
   * @param blur sharpness check
   * @param monochrome colorfulness check
   * @param expression expression check
   */
  public QualityReport {
    Objects.requireNonNull(pose, "pose");
    Objects.requireNonNull(blur, "blur");
    Objects.requireNonNull(monochrome, "monochrome");
    Objects.requireNonNull(expression, "expression");
  }

  /** Whether every filter passed. */
  public boolean passed() {
    return pose.passed() && blur.passed() && monochrome.passed() && expression.passed();
  }

  /**
   * The pose check: {@code |yaw| ≤ maxYaw} and {@code |pitch| ≤ maxPitch} (the paper keeps faces
   * within 5° of frontal; see {@link QualityFilters#DEFAULT_MAX_PITCH}). Roll is reported but not
   * limited: alignment undoes it.
   *
   * @param headPose the estimate ({@link HeadPose#estimate})
   * @param maxYaw the yaw limit in degrees
   * @param maxPitch the pitch limit in degrees
   * @param passed whether both are within their limits
   */
  public record Pose(HeadPose headPose, double maxYaw, double maxPitch, boolean passed) {}

  /**
   * The blur check: {@code sharpness ≥ minSharpness}.
   *
   * @param sharpness variance of the Laplacian of the aligned face's luma (8-bit units) over the
   *     landmarks' bounding box
   * @param minSharpness the threshold
   * @param passed whether the face is sharp enough
   */
  public record Blur(double sharpness, double minSharpness, boolean passed) {}

  /**
   * The monochrome check: {@code colorfulness ≥ minColorfulness}.
   *
   * @param colorfulness mean chroma {@code max(R,G,B) − min(R,G,B)} (values in [0, 1]) over the
   *     landmarks' bounding box of the aligned face: 0 for grayscale photos
   * @param minColorfulness the threshold
   * @param passed whether the photo is in color
   */
  public record Monochrome(double colorfulness, double minColorfulness, boolean passed) {}

  /**
   * The strong-expression check: {@code mouthOpening ≤ maxMouthOpening}, {@code mouthWidth ≤
   * maxMouthWidth} and {@code smile ≤ maxSmile} (skipped when {@code smile} is NaN, i.e. not
   * measured).
   *
   * @param mouthOpening mean inner-lip gap (points 61–67, 62–66, 63–65) over the interocular
   *     distance: open mouths (talking, laughing, surprise)
   * @param mouthWidth mouth-corner distance (points 48–54) over the interocular distance
   * @param smile the smile score ({@link QualityFilters}): about 0 for a neutral mouth, 1 for a
   *     smile; NaN if not measured
   * @param maxMouthOpening the opening limit
   * @param maxMouthWidth the width limit
   * @param maxSmile the smile-score limit
   * @param passed whether all are within their limits
   */
  public record Expression(
      double mouthOpening,
      double mouthWidth,
      double smile,
      double maxMouthOpening,
      double maxMouthWidth,
      double maxSmile,
      boolean passed) {}

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "QualityReport[%s; yaw %.2f°, pitch %.2f° %s; sharpness %.1f %s; colorfulness %.4f %s;"
            + " mouth opening %.3f, width %.3f, smile %.2f %s]",
        passed() ? "passed" : "failed",
        pose.headPose().yaw(),
        pose.headPose().pitch(),
        pose.passed() ? "ok" : "FAIL",
        blur.sharpness(),
        blur.passed() ? "ok" : "FAIL",
        monochrome.colorfulness(),
        monochrome.passed() ? "ok" : "FAIL",
        expression.mouthOpening(),
        expression.mouthWidth(),
        expression.smile(),
        expression.passed() ? "ok" : "FAIL");
  }
}
