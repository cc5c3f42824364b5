package io.github.facenorm.models.normalize;

import io.github.facenorm.core.Aligner;
import java.util.Arrays;
import java.util.Objects;

/**
 * The sizes of a normalizer model: its output frame (an {@link Aligner} geometry), the feature
 * width {@code f} after the trainable encoder layer, the landmark MLP and the texture CNN. The
 * texture CNN starts from an {@code grid × grid × channels[0]} tensor made by a fully connected
 * layer and doubles the side with each further entry of {@code channels} (one 5×5 stride-2
 * transposed convolution + ReLU each), so {@code frameSize = grid · 2^(channels.length − 1)}.
 *
 * @param name the preset's name, e.g. {@code small}
 * @param frameSize output side S in pixels (square)
 * @param interocular eye-center distance in the frame, px
 * @param eyeHeight eye row as a fraction of S
 * @param featureDim {@code f}, width of the trainable encoder layer
 * @param landmarkHidden width of the landmark MLP's hidden layer
 * @param grid side of the texture CNN's first tensor
 * @param channels channels at each resolution, from {@code grid} up to {@code frameSize}
 */
public record ModelConfig(
    String name,
    int frameSize,
    double interocular,
    double eyeHeight,
    int featureDim,
    int landmarkHidden,
    int grid,
    int[] channels) {

  /** Features that enter the model: the recognition net's pooled layer. */
  public static final int INPUT_FEATURES = 256;

  /**
   * The preset that trains on 2 CPU cores: 128 px frames, interocular 40 px, eyes at 0.36 S, f =
   * 256, an 8×8×256 grid and four upsamplings (256 → 16 channels).
   */
  public static final ModelConfig SMALL =
      new ModelConfig("small", 128, 40, 0.36, 256, 256, 8, new int[] {256, 128, 64, 32, 16});

  /**
   * The paper's sizes (Sec. 3): 224 px frames (interocular 55 px, eyes at 0.4 S), FC → 56×56×256 →
   * 112×112×128 → 224×224×32 → RGB. Builds and trains a step, but is not trained on CPU here.
   */
  public static final ModelConfig PAPER =
      new ModelConfig("paper", 224, 55, 0.4, 128, 1024, 56, new int[] {256, 128, 32});

  /** Checks the sizes. */
  public ModelConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(channels, "channels");
    channels = channels.clone();
    if (channels.length < 1) {
      throw new IllegalArgumentException("channels: expected at least one entry");
    }
    for (int c : channels) {
      if (c < 1) {
        throw new IllegalArgumentException("channels: expected positive counts, got " + c);
      }
    }
    if (grid < 1 || grid << (channels.length - 1) != frameSize) {
      throw new IllegalArgumentException(
          "grid, channels: expected grid · 2^(channels − 1) = frameSize "
              + frameSize
              + ", got grid "
              + grid
              + " and "
              + channels.length
              + " levels");
    }
    if (!(interocular > 1 && interocular < frameSize)) {
      throw new IllegalArgumentException(
          "interocular: expected in (1, " + frameSize + "), got " + interocular);
    }
    if (!(eyeHeight > 0 && eyeHeight < 1)) {
      throw new IllegalArgumentException("eyeHeight: expected in (0, 1), got " + eyeHeight);
    }
    if (featureDim < 1 || landmarkHidden < 1) {
      throw new IllegalArgumentException(
          "featureDim, landmarkHidden: expected positive, got "
              + featureDim
              + ", "
              + landmarkHidden);
    }
  }

  /** The preset of this name. */
  public static ModelConfig preset(String name) {
    return switch (Objects.requireNonNull(name, "name")) {
      case "small" -> SMALL;
      case "paper" -> PAPER;
      default ->
          throw new IllegalArgumentException("preset: expected small or paper, got '" + name + "'");
    };
  }

  /** The aligner that cuts this model's frame from a photo. */
  public Aligner aligner() {
    return Aligner.builder()
        .outputSize(frameSize)
        .interocular(interocular)
        .eyeHeight(eyeHeight)
        .build();
  }

  @Override
  public int[] channels() {
    return channels.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ModelConfig m
        && name.equals(m.name)
        && frameSize == m.frameSize
        && interocular == m.interocular
        && eyeHeight == m.eyeHeight
        && featureDim == m.featureDim
        && landmarkHidden == m.landmarkHidden
        && grid == m.grid
        && Arrays.equals(channels, m.channels);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, frameSize, interocular, eyeHeight, featureDim, landmarkHidden, grid)
            * 31
        + Arrays.hashCode(channels);
  }

  @Override
  public String toString() {
    return String.format(
        java.util.Locale.ROOT,
        "%s: %d px frame (interocular %.1f, eyes at %.2f), f = %d, landmark MLP %d, texture %d² × %s",
        name,
        frameSize,
        interocular,
        eyeHeight,
        featureDim,
        landmarkHidden,
        grid,
        Arrays.toString(channels));
  }
}
