package io.github.facenorm.core;

import java.util.List;

/** Finds faces in a photo. Implementations are thread-safe. */
public interface FaceDetector {

  /**
   * Finds the faces in a photo.
   *
   * @param image the photo, {@code [H, W, 3]}
   * @return one box per face found, best first by score where the detector scores; empty if none
   */
  List<FaceBox> detect(FaceImage image);
}
