package io.github.facenorm.spark;

import io.github.facenorm.augment.AugmentJob;
import io.github.facenorm.augment.DatasetWriter;
import io.github.facenorm.augment.NeighbourTable;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How {@link FacenormSpark#augment} writes a dataset: the same parameters as {@code facenorm
 * augment} ({@link AugmentJob}), plus how many partitions (shard ranges) the job has. The output
 * folder must be one path that the driver and every executor see (a local folder in local mode, a
 * shared file system on a cluster). Immutable.
 */
public final class AugmentOptions implements Serializable {

  private static final long serialVersionUID = 1L;

  private final String out;
  private final long count;
  private final long seed;
  private final int size;
  private final int samplesPerShard;
  private final int neighbours;
  private final int partitions;
  private final int threadsPerTask;

  private AugmentOptions(Builder b) {
    this.out = b.out;
    this.count = b.count;
    this.seed = b.seed;
    this.size = b.size;
    this.samplesPerShard = b.samplesPerShard;
    this.neighbours = b.neighbours;
    this.partitions = b.partitions;
    this.threadsPerTask = b.threadsPerTask;
  }

  /**
   * A builder; {@code out} and {@code count} are required.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** The dataset folder. */
  public Path out() {
    return Path.of(out);
  }

  /** Samples to write. */
  public long count() {
    return count;
  }

  /** The seed. */
  public long seed() {
    return seed;
  }

  /** The sample side in pixels; 0 keeps the face set's size. */
  public int size() {
    return size;
  }

  /** Partitions of the job (shard ranges); 0 = Spark's default parallelism. */
  public int partitions() {
    return partitions;
  }

  /** Rendering threads within one task. */
  public int threadsPerTask() {
    return threadsPerTask;
  }

  /**
   * The writer these options describe, as {@link AugmentJob} configures it (neighbour table cached
   * in {@code <out>/cache}).
   *
   * @param threads rendering threads
   * @return the writer
   */
  DatasetWriter writer(int threads) {
    DatasetWriter.Builder b =
        DatasetWriter.builder()
            .out(out())
            .seed(seed)
            .count(count)
            .threads(threads)
            .neighbours(neighbours)
            .cacheDir(out().resolve(AugmentJob.CACHE_DIR));
    if (samplesPerShard > 0) {
      b.samplesPerShard(samplesPerShard);
    }
    return b.build();
  }

  @Override
  public String toString() {
    return "AugmentOptions[out="
        + out
        + ", count="
        + count
        + ", seed="
        + seed
        + ", size="
        + (size == 0 ? "as given" : size)
        + ", samplesPerShard="
        + (samplesPerShard == 0 ? "default" : samplesPerShard)
        + ", neighbours="
        + neighbours
        + ", partitions="
        + (partitions == 0 ? "default" : partitions)
        + ", threadsPerTask="
        + threadsPerTask
        + "]";
  }

  /** Builds {@link AugmentOptions}; every setter checks its argument. */
  public static final class Builder {
    private String out;
    private long count = -1;
    private long seed = 1;
    private int size;
    private int samplesPerShard;
    private int neighbours = NeighbourTable.DEFAULT_K;
    private int partitions;
    private int threadsPerTask = 1;

    private Builder() {}

    /**
     * The dataset folder, seen at the same path by the driver and every executor.
     *
     * @param dir the folder
     * @return this builder
     */
    public Builder out(Path dir) {
      this.out = Objects.requireNonNull(dir, "out").toAbsolutePath().toString();
      return this;
    }

    /**
     * Samples to write.
     *
     * @param value at least 1
     * @return this builder
     */
    public Builder count(long value) {
      if (value < 1) {
        throw new IllegalArgumentException("count: expected at least 1, got " + value);
      }
      this.count = value;
      return this;
    }

    /**
     * The seed (default 1, as {@code facenorm augment}).
     *
     * @param value any value
     * @return this builder
     */
    public Builder seed(long value) {
      this.seed = value;
      return this;
    }

    /**
     * The sample side (default 0: the face set's texture size).
     *
     * @param value 0 or at least 16
     * @return this builder
     */
    public Builder size(int value) {
      if (value != 0 && value < 16) {
        throw new IllegalArgumentException("size: expected 0 or at least 16, got " + value);
      }
      this.size = value;
      return this;
    }

    /**
     * Samples per shard (default 0: the writer's ~32 MB shards).
     *
     * @param value 0 or at least 1
     * @return this builder
     */
    public Builder samplesPerShard(int value) {
      if (value < 0) {
        throw new IllegalArgumentException("samplesPerShard: expected ≥ 0, got " + value);
      }
      this.samplesPerShard = value;
      return this;
    }

    /**
     * Neighbourhood size of the morphs (default {@value NeighbourTable#DEFAULT_K}).
     *
     * @param value at least 1
     * @return this builder
     */
    public Builder neighbours(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("neighbours: expected at least 1, got " + value);
      }
      this.neighbours = value;
      return this;
    }

    /**
     * Partitions of the job (default 0: Spark's default parallelism); capped by the shard count.
     *
     * @param value 0 or at least 1
     * @return this builder
     */
    public Builder partitions(int value) {
      if (value < 0) {
        throw new IllegalArgumentException("partitions: expected ≥ 0, got " + value);
      }
      this.partitions = value;
      return this;
    }

    /**
     * Rendering threads within one task (default 1: Spark runs one task per core).
     *
     * @param value at least 1
     * @return this builder
     */
    public Builder threadsPerTask(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("threadsPerTask: expected at least 1, got " + value);
      }
      this.threadsPerTask = value;
      return this;
    }

    /**
     * Builds the options.
     *
     * @return the options
     * @throws IllegalStateException if {@code out} or {@code count} is missing
     */
    public AugmentOptions build() {
      if (out == null || count < 1) {
        throw new IllegalStateException("out and count are required");
      }
      return new AugmentOptions(this);
    }
  }
}
