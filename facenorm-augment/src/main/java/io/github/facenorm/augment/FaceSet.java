package io.github.facenorm.augment;

import io.github.facenorm.core.FaceImage;
import io.github.facenorm.core.MeanShape;
import java.util.List;
import java.util.Objects;

/**
 * What the augmentation draws from: the faces to morph (e.g. the identity averages), the background
 * textures to composite them onto, and the mean shape {@code L̄} all textures are in. Every texture
 * has the same size. Implementations may load lazily, but must return the same content for an index
 * every time and be safe to call from several threads.
 */
public interface FaceSet {

  /** The number of faces, at least 2. */
  int size();

  /**
   * One face.
   *
   * @param index in {@code [0, size())}
   * @return the face
   */
  MorphFace face(int index);

  /** The number of background textures, at least 1. */
  int backgroundCount();

  /**
   * One background texture, {@code [H, W, 3]}, in the mean shape's geometry (a real photo's
   * texture, paper Sec. 5.2).
   *
   * @param index in {@code [0, backgroundCount())}
   * @return the texture
   */
  FaceImage background(int index);

  /** The mean shape {@code L̄} the textures are warped to. */
  MeanShape meanShape();

  /**
   * A face set held in memory.
   *
   * @param faces at least 2 faces with textures of one size
   * @param backgrounds at least 1 texture of the same size
   * @param meanShape {@code L̄}
   * @return the set
   * @throws IllegalArgumentException if there are too few faces or backgrounds or the sizes differ
   */
  static FaceSet of(List<MorphFace> faces, List<FaceImage> backgrounds, MeanShape meanShape) {
    Objects.requireNonNull(faces, "faces");
    Objects.requireNonNull(backgrounds, "backgrounds");
    Objects.requireNonNull(meanShape, "meanShape");
    List<MorphFace> f = List.copyOf(faces);
    List<FaceImage> b = List.copyOf(backgrounds);
    if (f.size() < 2) {
      throw new IllegalArgumentException("faces: expected at least 2, got " + f.size());
    }
    if (b.isEmpty()) {
      throw new IllegalArgumentException("backgrounds: expected at least 1, got 0");
    }
    int w = f.get(0).texture().width();
    int h = f.get(0).texture().height();
    for (int i = 0; i < f.size(); i++) {
      FaceImage t = f.get(i).texture();
      if (t.width() != w || t.height() != h) {
        throw new IllegalArgumentException(
            "faces: texture "
                + i
                + " ("
                + f.get(i).id()
                + ") is "
                + t.width()
                + " × "
                + t.height()
                + ", expected "
                + w
                + " × "
                + h);
      }
    }
    for (int i = 0; i < b.size(); i++) {
      if (b.get(i).width() != w || b.get(i).height() != h) {
        throw new IllegalArgumentException(
            "backgrounds: texture "
                + i
                + " is "
                + b.get(i).width()
                + " × "
                + b.get(i).height()
                + ", expected "
                + w
                + " × "
                + h);
      }
    }
    return new FaceSet() {
      @Override
      public int size() {
        return f.size();
      }

      @Override
      public MorphFace face(int index) {
        return f.get(index);
      }

      @Override
      public int backgroundCount() {
        return b.size();
      }

      @Override
      public FaceImage background(int index) {
        return b.get(index);
      }

      @Override
      public MeanShape meanShape() {
        return meanShape;
      }
    };
  }
}
