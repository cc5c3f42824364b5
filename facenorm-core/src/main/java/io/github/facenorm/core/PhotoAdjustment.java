package io.github.facenorm.core;

import io.github.facenorm.core.internal.ImageStats;
import io.github.facenorm.core.internal.Resample;
import java.util.Locale;
import java.util.Objects;

/**
 * Automatic exposure and white balance from a normalized face (paper Sec. 7.4). The central box of
 * the aligned photo {@code P} and of the normalized face {@code N} (100 × 100 of 224 × 224 in the
 * paper) give per-channel mean face colors {@code m_P} and {@code m_N}; each channel {@code c} of
 * the photo is then mapped by the piecewise-linear function through {@code (0, 0)}, {@code (m_P[c],
 * m_N[c])} and {@code (1, 1)}:
 *
 * <pre>{@code
 * f_c(v) = v · m_N / m_P                              for v ≤ m_P
 * f_c(v) = m_N + (v − m_P) · (1 − m_N) / (1 − m_P)    for v > m_P
 * }</pre>
 *
 * <p>so the face's mean color becomes the normalized face's while black stays black and white stays
 * white. The map can be applied to the whole aligned crop or to the original photo. Immutable.
 *
 * @param photoMean {@code m_P}, the photo's central-box mean per channel {@code {R, G, B}}
 * @param targetMean {@code m_N}, the normalized face's central-box mean per channel
 */
public record PhotoAdjustment(double[] photoMean, double[] targetMean) {

  /** The paper's central box side for a 224 × 224 face. */
  public static final int PAPER_BOX = 100;

  /**
   * Validates and copies the means.
   *
   * @param photoMean {@code m_P}, three values in {@code [0, 1]}
   * @param targetMean {@code m_N}, three values in {@code [0, 1]}
   */
  public PhotoAdjustment {
    photoMean = check(photoMean, "photoMean");
    targetMean = check(targetMean, "targetMean");
  }

  /**
   * Fits the adjustment with the paper's box: the central {@code 100 × 100} pixels of a {@code 224
   * × 224} face, scaled with the face size ({@code round(100 · min(W, H) / 224)} pixels).
   *
   * @param alignedPhoto {@code P}, the aligned photo, {@code [H, W, 3]}
   * @param normalized {@code N}, the normalized face, the same size
   * @return the adjustment
   * @throws IllegalArgumentException if the sizes differ
   */
  public static PhotoAdjustment fit(FaceImage alignedPhoto, FaceImage normalized) {
    Objects.requireNonNull(alignedPhoto, "alignedPhoto");
    int side =
        (int)
            Math.max(
                1,
                Math.round(
                    PAPER_BOX * Math.min(alignedPhoto.width(), alignedPhoto.height()) / 224.0));
    return fit(alignedPhoto, normalized, side);
  }

  /**
   * Fits the adjustment with a central box of a given side.
   *
   * @param alignedPhoto {@code P}, {@code [H, W, 3]}
   * @param normalized {@code N}, {@code [H, W, 3]}, the same size
   * @param boxSize side of the central box, {@code 1 ≤ boxSize ≤ min(W, H)}
   * @return the adjustment
   */
  public static PhotoAdjustment fit(FaceImage alignedPhoto, FaceImage normalized, int boxSize) {
    Objects.requireNonNull(alignedPhoto, "alignedPhoto");
    Objects.requireNonNull(normalized, "normalized");
    int w = alignedPhoto.width();
    int h = alignedPhoto.height();
    if (normalized.width() != w || normalized.height() != h) {
      throw new IllegalArgumentException(
          "normalized: expected the aligned photo's size [H, W, 3] = ["
              + h
              + ", "
              + w
              + ", 3], got ["
              + normalized.height()
              + ", "
              + normalized.width()
              + ", 3]");
    }
    if (boxSize < 1 || boxSize > Math.min(w, h)) {
      throw new IllegalArgumentException(
          "boxSize: expected 1.." + Math.min(w, h) + " (the image's shorter side), got " + boxSize);
    }
    int x0 = (w - boxSize) / 2;
    int y0 = (h - boxSize) / 2;
    double[] mp =
        ImageStats.channelMeans(alignedPhoto.toArray(), w, h, x0, y0, x0 + boxSize, y0 + boxSize);
    double[] mn =
        ImageStats.channelMeans(normalized.toArray(), w, h, x0, y0, x0 + boxSize, y0 + boxSize);
    return new PhotoAdjustment(mp, mn);
  }

  /**
   * The color map of one channel.
   *
   * @param channel 0 red, 1 green, 2 blue
   * @param v a value in {@code [0, 1]}
   * @return {@code f_c(v)} in {@code [0, 1]}
   */
  public double map(int channel, double v) {
    Objects.checkIndex(channel, 3);
    return mapUnchecked(photoMean[channel], targetMean[channel], v);
  }

  /**
   * Applies the map to every pixel of an image (the aligned crop or the whole original photo).
   *
   * @param photo the image, {@code [H, W, 3]}
   * @return the adjusted image, same size
   */
  public FaceImage apply(FaceImage photo) {
    Objects.requireNonNull(photo, "photo");
    float[] v = photo.toArray();
    for (int i = 0; i < v.length; i++) {
      int c = i % 3;
      v[i] = Resample.clamp01((float) mapUnchecked(photoMean[c], targetMean[c], v[i]));
    }
    return FaceImage.of(photo.width(), photo.height(), v);
  }

  private static double mapUnchecked(double mp, double mn, double v) {
    if (v <= mp) {
      // mp > 0 here unless v == mp == 0, where f(0) = 0.
      return mp > 0 ? v * (mn / mp) : 0;
    }
    // v > mp, so mp < 1.
    return mn + (v - mp) * ((1 - mn) / (1 - mp));
  }

  private static double[] check(double[] m, String name) {
    Objects.requireNonNull(m, name);
    if (m.length != 3) {
      throw new IllegalArgumentException(
          name + ": expected 3 channel means {R, G, B}, got " + m.length + " values");
    }
    for (int c = 0; c < 3; c++) {
      if (!(m[c] >= 0 && m[c] <= 1)) {
        throw new IllegalArgumentException(
            name + ": expected means in [0, 1], got " + m[c] + " for channel " + c);
      }
    }
    return m.clone();
  }

  /** The photo's central-box means {@code m_P}, a copy. */
  @Override
  public double[] photoMean() {
    return photoMean.clone();
  }

  /** The normalized face's central-box means {@code m_N}, a copy. */
  @Override
  public double[] targetMean() {
    return targetMean.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PhotoAdjustment p
        && java.util.Arrays.equals(photoMean, p.photoMean)
        && java.util.Arrays.equals(targetMean, p.targetMean);
  }

  @Override
  public int hashCode() {
    return 31 * java.util.Arrays.hashCode(photoMean) + java.util.Arrays.hashCode(targetMean);
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "PhotoAdjustment[m_P=(%.4f, %.4f, %.4f) -> m_N=(%.4f, %.4f, %.4f)]",
        photoMean[0],
        photoMean[1],
        photoMean[2],
        targetMean[0],
        targetMean[1],
        targetMean[2]);
  }
}
