package io.github.facenorm.spark;

import io.github.facenorm.core.internal.Limits;
import io.github.facenorm.core.models.ModelStore;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How {@link FacenormSpark#normalize} runs: which normalizer model, where the driver finds the
 * pretrained models it ships to the executors, whether to measure identity distance. Immutable.
 *
 * <pre>{@code
 * NormalizeOptions o = NormalizeOptions.builder().model(Path.of("out/train/model")).build();
 * }</pre>
 */
public final class NormalizeOptions {

  private final Path model;
  private final Path modelCache;
  private final boolean identityDistance;
  private final long maxPixels;

  private NormalizeOptions(Builder b) {
    this.model = b.model;
    this.modelCache = b.modelCache;
    this.identityDistance = b.identityDistance;
    this.maxPixels = b.maxPixels;
  }

  /**
   * The defaults: the shipped model, the default model cache, identity distance on.
   *
   * @return the options
   */
  public static NormalizeOptions defaults() {
    return builder().build();
  }

  /**
   * A builder with the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A trained model folder ({@code facenorm train}), or null for the shipped model. */
  public Path model() {
    return model;
  }

  /** The driver's model cache, read for the pretrained models it broadcasts. */
  public Path modelCache() {
    return modelCache;
  }

  /** Whether the {@value FacenormSpark#IDENTITY_DISTANCE} column is computed. */
  public boolean identityDistance() {
    return identityDistance;
  }

  /** The pixel limit of a photo; a larger one is an error row. */
  public long maxPixels() {
    return maxPixels;
  }

  @Override
  public String toString() {
    return "NormalizeOptions[model="
        + (model == null ? "shipped" : model)
        + ", modelCache="
        + modelCache
        + ", identityDistance="
        + identityDistance
        + ", maxPixels="
        + maxPixels
        + "]";
  }

  /** Builds {@link NormalizeOptions}. */
  public static final class Builder {
    private Path model;
    private Path modelCache = ModelStore.defaultRoot();
    private boolean identityDistance = true;
    private long maxPixels = Limits.maxPixels();

    private Builder() {}

    /**
     * A trained model folder instead of the shipped model (it is checked and broadcast).
     *
     * @param dir the folder, or null for the shipped model
     * @return this builder
     */
    public Builder model(Path dir) {
      this.model = dir;
      return this;
    }

    /**
     * The driver's model cache (default: {@link ModelStore#defaultRoot()}).
     *
     * @param dir the cache root
     * @return this builder
     */
    public Builder modelCache(Path dir) {
      this.modelCache = Objects.requireNonNull(dir, "modelCache");
      return this;
    }

    /**
     * Whether to measure each photo's input → output identity distance (default true): the
     * recognition net's 128-D descriptors of a face chip of the photo and of the output, as {@code
     * facenorm evaluate} measures it; about 2 more recognition passes per photo.
     *
     * @param value true to measure
     * @return this builder
     */
    public Builder identityDistance(boolean value) {
      this.identityDistance = value;
      return this;
    }

    /**
     * The pixel limit of a photo (default: the driver's {@code -Dfacenorm.maxPixels}, else 50 M).
     *
     * @param value at least 1
     * @return this builder
     */
    public Builder maxPixels(long value) {
      if (value < 1) {
        throw new IllegalArgumentException("maxPixels: expected at least 1, got " + value);
      }
      this.maxPixels = value;
      return this;
    }

    /**
     * Builds the options.
     *
     * @return the options
     */
    public NormalizeOptions build() {
      return new NormalizeOptions(this);
    }
  }
}
