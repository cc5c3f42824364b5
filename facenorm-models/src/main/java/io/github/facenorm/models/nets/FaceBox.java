package io.github.facenorm.models.nets;

/**
 * An axis-aligned face box in image pixels (see the package conventions), with the detector's
 * score. Boxes are not clipped to the image: they may start at negative coordinates or extend past
 * the right/bottom edge, as face-api reports them.
 *
 * @param x left edge
 * @param y top edge
 * @param width width
 * @param height height
 * @param score detector confidence in (0, 1), or {@code NaN} for boxes that are not detections
 */
public record FaceBox(double x, double y, double width, double height, double score) {

  /**
   * The right edge.
   *
   * @return {@code x + width}
   */
  public double right() {
    return x + width;
  }

  /**
   * The bottom edge.
   *
   * @return {@code y + height}
   */
  public double bottom() {
    return y + height;
  }

  /**
   * Intersection over union with another box (0 when either is empty).
   *
   * @param o the other box
   * @return IoU in [0, 1]
   */
  public double iou(FaceBox o) {
    double w = Math.max(0, Math.min(right(), o.right()) - Math.max(x, o.x));
    double h = Math.max(0, Math.min(bottom(), o.bottom()) - Math.max(y, o.y));
    double inter = w * h;
    double union = width * height + o.width * o.height - inter;
    return union <= 0 ? 0 : inter / union;
  }
}
