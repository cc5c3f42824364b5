package io.github.facenorm.augment;

import io.github.facenorm.core.AlignedFace;
import io.github.facenorm.core.FaceDecomposition;
import io.github.facenorm.core.FaceImage;
import io.github.facenorm.core.Landmarks;
import io.github.facenorm.core.MeanShape;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Per-identity averaging (paper Sec. 6.2): several aligned photos of one person become one evenly
 * lit image. The person's mean landmarks {@code L̄ᵢ} are computed, every photo is warped (the
 * paper's order-1 spline with boundary points, {@link FaceDecomposition#PAPER_WARP}) so that its
 * landmarks sit on {@code L̄ᵢ}, and the warped photos are averaged pixel by pixel. Lighting,
 * expression and background differences average out; the face's geometry stays sharp because every
 * photo was warped to the same landmarks first.
 *
 * <p>All photos must be aligned with the same {@link io.github.facenorm.core.Aligner} (same crop
 * size and eye positions). Stateless and thread-safe.
 */
public final class IdentityAverager {

  /** The paper's minimum: fewer photos do not average lighting out. */
  public static final int DEFAULT_MIN_PHOTOS = 3;

  private final int minPhotos;

  private IdentityAverager(int minPhotos) {
    this.minPhotos = minPhotos;
  }

  /**
   * An averager that needs at least {@code minPhotos} photos per identity.
   *
   * @param minPhotos at least 1 ({@link #DEFAULT_MIN_PHOTOS} in the paper)
   * @return the averager
   */
  public static IdentityAverager withMinPhotos(int minPhotos) {
    if (minPhotos < 1) {
      throw new IllegalArgumentException("minPhotos: expected at least 1, got " + minPhotos);
    }
    return new IdentityAverager(minPhotos);
  }

  /** The averager of the paper: {@link #DEFAULT_MIN_PHOTOS} photos at least. */
  public static IdentityAverager paper() {
    return new IdentityAverager(DEFAULT_MIN_PHOTOS);
  }

  /** The fewest photos {@link #average} accepts. */
  public int minPhotos() {
    return minPhotos;
  }

  /**
   * Averages one person's aligned photos.
   *
   * @param faces the person's aligned faces (same crop size), at least {@link #minPhotos()}
   * @return the average image {@code [H, W, 3]} and its landmarks {@code L̄ᵢ}
   * @throws IllegalArgumentException if there are too few faces or their crop sizes differ
   */
  public AlignedAverage average(List<AlignedFace> faces) {
    Objects.requireNonNull(faces, "faces");
    if (faces.size() < minPhotos) {
      throw new IllegalArgumentException(
          "faces: expected at least " + minPhotos + " photos of the identity, got " + faces.size());
    }
    int w = faces.get(0).image().width();
    int h = faces.get(0).image().height();
    List<Landmarks> shapes = new ArrayList<>(faces.size());
    for (int i = 0; i < faces.size(); i++) {
      FaceImage img = Objects.requireNonNull(faces.get(i), "faces[" + i + "]").image();
      if (img.width() != w || img.height() != h) {
        throw new IllegalArgumentException(
            "faces["
                + i
                + "]: expected a "
                + w
                + " × "
                + h
                + " crop like faces[0], got "
                + img.width()
                + " × "
                + img.height());
      }
      shapes.add(faces.get(i).landmarks());
    }
    MeanShape mean = MeanShape.of(shapes);
    double[] sum = new double[w * h * 3];
    for (AlignedFace f : faces) {
      float[] px = FaceDecomposition.decompose(f, mean).texture().toArray();
      for (int k = 0; k < sum.length; k++) {
        sum[k] += px[k];
      }
    }
    float[] avg = new float[sum.length];
    for (int k = 0; k < sum.length; k++) {
      avg[k] = (float) (sum[k] / faces.size());
    }
    return new AlignedAverage(FaceImage.of(w, h, avg), mean.landmarks(), faces.size());
  }

  /**
   * One identity's average.
   *
   * @param image the averaged image, {@code [H, W, 3]}, values in [0, 1]
   * @param landmarks its landmarks: the mean of the photos' landmarks
   * @param photos how many photos were averaged
   */
  public record AlignedAverage(FaceImage image, Landmarks landmarks, int photos) {
    /** Checks the components. */
    public AlignedAverage {
      Objects.requireNonNull(image, "image");
      Objects.requireNonNull(landmarks, "landmarks");
      if (photos < 1) {
        throw new IllegalArgumentException("photos: expected at least 1, got " + photos);
      }
    }
  }
}
