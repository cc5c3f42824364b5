package io.github.facenorm.augment;

import io.github.facenorm.augment.internal.AreaResize;
import io.github.facenorm.core.FaceImage;
import io.github.facenorm.core.MeanShape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The whole augmentation in one call, for a command line or a cluster job: resize a face set to the
 * sample size, then write {@code count} samples with {@link DatasetWriter} (random morphs,
 * gradient-domain compositing onto backgrounds, warp to the morphed landmarks), caching the
 * neighbour table in {@code <out>/cache}. Running it again on the same folder resumes.
 *
 * <pre>{@code
 * AugmentJob.builder().faces(faces).count(20_000).seed(1).size(64).out(dir).threads(2).build().run();
 * }</pre>
 */
public final class AugmentJob {

  /** The neighbour-table cache folder inside the output folder. */
  public static final String CACHE_DIR = "cache";

  private final FaceSet faces;
  private final long count;
  private final long seed;
  private final int size;
  private final Path out;
  private final int threads;
  private final Consumer<DatasetWriter.Progress> progress;

  private AugmentJob(Builder b) {
    this.faces = b.faces;
    this.count = b.count;
    this.seed = b.seed;
    this.size = b.size;
    this.out = b.out;
    this.threads = b.threads;
    this.progress = b.progress;
  }

  /**
   * A builder; faces, count, size and out are required.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Runs (or resumes) the job.
   *
   * @return what the writer did
   * @throws IOException if the folder holds foreign files or another dataset, or writing fails
   */
  public DatasetWriter.Result run() throws IOException {
    FaceSet sized = resized(faces, size);
    return DatasetWriter.builder()
        .out(out)
        .seed(seed)
        .count(count)
        .threads(threads)
        .cacheDir(out.resolve(CACHE_DIR))
        .progress(progress)
        .build()
        .write(sized);
  }

  /**
   * A face set with every texture area-resampled to {@code size × size} and the landmarks mapped
   * accordingly (the set as it is if it already has that size).
   *
   * @param faces the faces
   * @param size the side in pixels
   * @return the resized set, held in memory
   */
  public static FaceSet resized(FaceSet faces, int size) {
    FaceImage t0 = faces.face(0).texture();
    if (t0.width() == size && t0.height() == size) {
      return faces;
    }
    double sx = (double) size / t0.width();
    double sy = (double) size / t0.height();
    List<MorphFace> f = new ArrayList<>(faces.size());
    for (int i = 0; i < faces.size(); i++) {
      MorphFace m = faces.face(i);
      f.add(
          new MorphFace(
              m.id(),
              AreaResize.resize(m.texture(), size, size),
              AreaResize.scale(m.landmarks(), sx, sy)));
    }
    List<FaceImage> b = new ArrayList<>(faces.backgroundCount());
    for (int i = 0; i < faces.backgroundCount(); i++) {
      b.add(AreaResize.resize(faces.background(i), size, size));
    }
    MeanShape mean = faces.meanShape();
    return FaceSet.of(f, b, MeanShape.of(AreaResize.scale(mean.landmarks(), sx, sy), mean.count()));
  }

  /** Builds an {@link AugmentJob}. */
  public static final class Builder {
    private FaceSet faces;
    private long count = -1;
    private long seed;
    private int size = -1;
    private Path out;
    private int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    private Consumer<DatasetWriter.Progress> progress;

    private Builder() {}

    /**
     * The faces to morph (e.g. the identity averages), with backgrounds and mean shape.
     *
     * @param value the set
     * @return this builder
     */
    public Builder faces(FaceSet value) {
      this.faces = Objects.requireNonNull(value, "faces");
      return this;
    }

    /**
     * The number of samples.
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
     * The seed (default 0).
     *
     * @param value any value
     * @return this builder
     */
    public Builder seed(long value) {
      this.seed = value;
      return this;
    }

    /**
     * The sample side in pixels (224 for the paper's preset).
     *
     * @param value at least 16
     * @return this builder
     */
    public Builder size(int value) {
      if (value < 16) {
        throw new IllegalArgumentException("size: expected at least 16 pixels, got " + value);
      }
      this.size = value;
      return this;
    }

    /**
     * The output folder.
     *
     * @param dir the folder
     * @return this builder
     */
    public Builder out(Path dir) {
      this.out = Objects.requireNonNull(dir, "out");
      return this;
    }

    /**
     * Worker threads (default: the available processors); the output does not depend on it.
     *
     * @param value at least 1
     * @return this builder
     */
    public Builder threads(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("threads: expected at least 1, got " + value);
      }
      this.threads = value;
      return this;
    }

    /**
     * A progress listener, called after each shard (default: none).
     *
     * @param listener the listener, or null
     * @return this builder
     */
    public Builder progress(Consumer<DatasetWriter.Progress> listener) {
      this.progress = listener;
      return this;
    }

    /**
     * Builds the job.
     *
     * @return the job
     * @throws IllegalStateException if faces, count, size or out is missing
     */
    public AugmentJob build() {
      if (faces == null || count < 1 || size < 1 || out == null) {
        throw new IllegalStateException("faces, count, size and out are required");
      }
      return new AugmentJob(this);
    }
  }
}
