package io.github.facenorm.core;

/**
 * Places the 68 iBUG landmarks on a face. Implementations are thread-safe.
 *
 * @see io.github.facenorm.core.dlib.DlibShapePredictor
 */
public interface LandmarkDetector {

  /**
   * Finds the landmarks of the face in a box.
   *
   * @param image the photo, {@code [H, W, 3]}
   * @param face where the face is, usually from a {@link FaceDetector}
   * @return the 68 points in pixel coordinates of {@code image}
   */
  Landmarks detect(FaceImage image, FaceBox face);
}
