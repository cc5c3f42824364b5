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
 * <p>{@link #decoder} picks the texture decoder: the paper's model ({@link Decoder#CNN}) or one of
 * the two baselines of its Fig. 9–10, trained by the same trainer for the ablations.
 *
 * @param name the preset's name, e.g. {@code small}
 * @param frameSize output side S in pixels (square)
 * @param interocular eye-center distance in the frame, px
 * @param eyeHeight eye row as a fraction of S
 * @param featureDim {@code f}, width of the trainable encoder layer
 * @param landmarkHidden width of the landmark MLP's hidden layer
 * @param grid side of the texture CNN's first tensor
 * @param channels channels at each resolution, from {@code grid} up to {@code frameSize}
 * @param decoder which texture decoder ({@link Decoder#CNN}: the paper's)
 */
public record ModelConfig(
    String name,
    int frameSize,
    double interocular,
    double eyeHeight,
    int featureDim,
    int landmarkHidden,
    int grid,
    int[] channels,
    Decoder decoder) {

  /**
   * The texture decoder of a model: the paper's (Sec. 3) and the two baselines it is compared with
   * (Sec. 7.2). All three keep the landmark MLP.
   */
  public enum Decoder {
    /**
     * The paper's model: the texture CNN decodes a texture in the mean-landmark geometry, which the
     * spline warp moves to the predicted landmarks.
     */
    CNN("cnn"),
    /**
     * Fig. 9's baseline: one fully connected layer {@code f → S·S·3} + sigmoid decodes the texture
     * (a separate weight per pixel, no shared filters), warped as {@link #CNN}'s.
     */
    FULLY_CONNECTED("fc"),
    /**
     * Fig. 10's "plain CNN": the same CNN decodes the finished image directly, trained on the
     * target image (the target texture warped to the target landmarks); nothing is warped, so
     * texture and geometry are not decoupled. The landmark MLP still predicts landmarks.
     */
    PLAIN_CNN("plain");

    private final String id;

    Decoder(String id) {
      this.id = id;
    }

    /** The short name used on the command line and in {@code model.properties}. */
    public String id() {
      return id;
    }

    /**
     * Whether the decoder's output is a texture that the warp moves to the predicted landmarks
     * (else it is the finished image).
     */
    public boolean warps() {
      return this != PLAIN_CNN;
    }

    /**
     * The decoder of a short name.
     *
     * @param id {@code cnn}, {@code fc} or {@code plain}
     * @return the decoder
     * @throws IllegalArgumentException for another name
     */
    public static Decoder of(String id) {
      for (Decoder d : values()) {
        if (d.id.equals(id)) {
          return d;
        }
      }
      throw new IllegalArgumentException("decoder: expected cnn, fc or plain, got '" + id + "'");
    }
  }

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

  /**
   * The paper's decoder ({@link Decoder#CNN}) at these sizes.
   *
   * @param name the preset's name
   * @param frameSize output side S
   * @param interocular eye-center distance, px
   * @param eyeHeight eye row as a fraction of S
   * @param featureDim {@code f}
   * @param landmarkHidden the landmark MLP's hidden width
   * @param grid side of the texture CNN's first tensor
   * @param channels channels per resolution
   */
  public ModelConfig(
      String name,
      int frameSize,
      double interocular,
      double eyeHeight,
      int featureDim,
      int landmarkHidden,
      int grid,
      int[] channels) {
    this(
        name,
        frameSize,
        interocular,
        eyeHeight,
        featureDim,
        landmarkHidden,
        grid,
        channels,
        Decoder.CNN);
  }

  /** Checks the sizes. */
  public ModelConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(channels, "channels");
    Objects.requireNonNull(decoder, "decoder");
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

  /**
   * These sizes with another texture decoder.
   *
   * @param decoder the decoder
   * @return the config
   */
  public ModelConfig withDecoder(Decoder decoder) {
    return new ModelConfig(
        name,
        frameSize,
        interocular,
        eyeHeight,
        featureDim,
        landmarkHidden,
        grid,
        channels,
        decoder);
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
        && Arrays.equals(channels, m.channels)
        && decoder == m.decoder;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
                name, frameSize, interocular, eyeHeight, featureDim, landmarkHidden, grid, decoder)
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
            Arrays.toString(channels))
        // The paper's decoder is not named, so that checkpoints of earlier runs still resume.
        + (decoder == Decoder.CNN ? "" : ", decoder " + decoder.id());
  }
}
