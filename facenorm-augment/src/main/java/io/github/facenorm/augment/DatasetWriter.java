package io.github.facenorm.augment;

import io.github.facenorm.augment.internal.Manifest;
import io.github.facenorm.augment.internal.ShardCodec;
import io.github.facenorm.core.batch.BatchProgress;
import io.github.facenorm.core.internal.AtomicFiles;
import io.github.facenorm.core.internal.Sha256;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes a training set of random morphs composited onto real backgrounds (paper Sec. 5) as sharded
 * files in one folder: {@code shard-00000.bin}, … (format: {@link ShardCodec}) and {@code
 * manifest.txt} (the parameters, a SHA-256 of the inputs, and each finished shard's SHA-256).
 *
 * <ul>
 *   <li><b>Deterministic</b>: sample {@code i} is drawn from its own random stream, seeded by
 *       {@code (seed, i)}, and shards are assembled in index order, so the same inputs and seed
 *       give byte-identical shards and manifest whatever the thread count.
 *   <li><b>Streaming</b>: one shard at a time is held in memory; the samples of a shard are
 *       rendered in parallel by {@link Builder#threads} workers.
 *   <li><b>Atomic and resumable</b>: a shard is written to a temporary file, forced to disk and
 *       renamed, then the manifest is rewritten the same way. After a crash or {@code kill -9}, the
 *       next run with the same parameters keeps the shards the manifest lists (after checking their
 *       SHA-256), deletes temporary files, and writes the rest: nothing is lost or written twice.
 *   <li><b>Safe</b>: a folder holding anything but its own files, or a manifest made with other
 *       parameters or inputs, is refused with a clear error; nothing that is not ours is touched.
 * </ul>
 *
 * <p>Immutable; {@link #write} may be called again (it resumes).
 */
public final class DatasetWriter {

  private static final Pattern OURS =
      Pattern.compile(
          // the files, and AtomicFiles' temporary names for them: .<name>.<random>.tmp
          "(manifest\\.txt|shard-\\d{5}\\.bin)"
              + "|\\.(manifest\\.txt|shard-\\d{5}\\.bin)\\.[0-9a-z]+"
              + Pattern.quote(AtomicFiles.TEMP_SUFFIX));

  private final Path out;
  private final long seed;
  private final long count;
  private final int samplesPerShard;
  private final int threads;
  private final int neighbours;
  private final double lambda;
  private final double maskSigma;
  private final GradientDomainCompositor compositor;
  private final Path cacheDir;
  private final Consumer<Progress> progress;

  private DatasetWriter(Builder b) {
    this.out = b.out;
    this.seed = b.seed;
    this.count = b.count;
    this.samplesPerShard = b.samplesPerShard;
    this.threads = b.threads;
    this.neighbours = b.neighbours;
    this.lambda = b.lambda;
    this.maskSigma = b.maskSigma;
    this.compositor = b.compositor;
    this.cacheDir = b.cacheDir;
    this.progress = b.progress;
  }

  /**
   * A builder; {@link Builder#out} and {@link Builder#count} are required.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Progress after each shard.
   *
   * @param done samples in finished shards (including those kept from an earlier run)
   * @param total samples in the dataset
   * @param samplesPerSecond samples rendered per second in this run so far
   * @param eta the estimated time to finish at that rate
   */
  public record Progress(long done, long total, double samplesPerSecond, Duration eta) {
    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "%d/%d samples (%.1f %%), %.1f samples/s, ETA %s",
          done,
          total,
          100.0 * done / total,
          samplesPerSecond,
          BatchProgress.duration(eta.toMillis() / 1000.0));
    }
  }

  /**
   * What a run did.
   *
   * @param shardsWritten shards rendered and written by this run
   * @param shardsKept shards kept from an earlier run
   * @param samplesWritten samples rendered by this run
   * @param elapsed wall time of this run
   * @param manifest the manifest file
   */
  public record Result(
      int shardsWritten, int shardsKept, long samplesWritten, Duration elapsed, Path manifest) {}

  /**
   * Writes (or finishes) the dataset.
   *
   * @param faces the faces to morph, their backgrounds and mean shape
   * @return what was done
   * @throws IOException if the folder holds foreign files or another dataset, or writing fails
   */
  public Result write(FaceSet faces) throws IOException {
    Objects.requireNonNull(faces, "faces");
    long start = System.nanoTime();
    Manifest.Header header = header(faces);
    Manifest manifest = openFolder(header);
    SampleRenderer renderer = renderer(faces, header);
    int kept = manifest.shards().size();
    long done = 0;
    for (Manifest.Shard s : manifest.shards()) {
      done += s.count();
    }
    int written = 0;
    long rendered = 0;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int s = 0; s < header.shardCount(); s++) {
        if (manifest.shard(s) != null) {
          continue;
        }
        Manifest.Shard shard = writeShard(pool, renderer, header, s);
        manifest.put(shard);
        manifest.write(out);
        written++;
        rendered += shard.count();
        done += shard.count();
        if (progress != null) {
          double secs = (System.nanoTime() - start) / 1e9;
          double rate = rendered / Math.max(secs, 1e-9);
          long left = count - done;
          progress.accept(
              new Progress(done, count, rate, Duration.ofMillis((long) (1000 * left / rate))));
        }
      }
    } finally {
      pool.shutdownNow();
    }
    manifest.complete(true);
    manifest.write(out);
    return new Result(
        written,
        kept,
        rendered,
        Duration.ofNanos(System.nanoTime() - start),
        out.resolve(Manifest.FILE));
  }

  /**
   * One shard file written by {@link #writeShards}.
   *
   * @param index shard index
   * @param file file name in the dataset folder
   * @param first index of its first sample
   * @param count its number of samples
   * @param sha256 hex SHA-256 of the file
   */
  public record ShardFile(int index, String file, long first, int count, String sha256) {}

  /**
   * For a cluster job, before its workers start (one process, e.g. a Spark driver): checks the
   * folder as {@link #write} does (foreign files and another dataset's manifest are refused, our
   * temporary files removed), computes the neighbour table into the {@link Builder#cacheDir} (when
   * one is set), and returns the number of shards. The workers then call {@link #writeShards} on
   * disjoint ranges and the same process ends with {@link #finishShards}; the folder then holds
   * exactly what {@link #write} writes.
   *
   * @param faces the faces to morph, their backgrounds and mean shape
   * @return the number of shards of this dataset
   * @throws IOException if the folder holds foreign files or another dataset
   */
  public int prepareShards(FaceSet faces) throws IOException {
    Objects.requireNonNull(faces, "faces");
    Manifest.Header header = header(faces);
    openFolder(header);
    if (cacheDir != null) { // the workers read it instead of each computing it
      NeighbourTable.computeCached(faces, neighbours, lambda, threads, cacheDir);
    }
    return header.shardCount();
  }

  /**
   * For a worker of a cluster job: renders shards {@code [from, to)} and writes each atomically,
   * rewriting a shard file that is already there (the bytes are the same: sample {@code i} depends
   * on the seed and {@code i} only, so a retried task is harmless). Writes no manifest and checks
   * no folder: {@link #prepareShards} and {@link #finishShards} do, once.
   *
   * @param faces the same faces as {@link #prepareShards}
   * @param from first shard
   * @param to one past the last shard, at most the shard count
   * @return the shards written, by index
   * @throws IOException if writing fails
   */
  public List<ShardFile> writeShards(FaceSet faces, int from, int to) throws IOException {
    Objects.requireNonNull(faces, "faces");
    Manifest.Header header = header(faces);
    if (from < 0 || to < from || to > header.shardCount()) {
      throw new IllegalArgumentException(
          "from, to: expected 0 ≤ from ≤ to ≤ "
              + header.shardCount()
              + ", got "
              + from
              + ", "
              + to);
    }
    List<ShardFile> files = new ArrayList<>();
    if (from == to) {
      return files;
    }
    Files.createDirectories(out);
    SampleRenderer renderer = renderer(faces, header);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int s = from; s < to; s++) {
        Manifest.Shard m = writeShard(pool, renderer, header, s);
        files.add(new ShardFile(m.index(), m.file(), m.first(), m.count(), m.sha256()));
      }
    } finally {
      pool.shutdownNow();
    }
    return files;
  }

  /**
   * Ends a cluster job: checks that the workers' shards cover the dataset once each and that every
   * file still has its SHA-256, then writes the complete manifest (the same file {@link #write}
   * writes).
   *
   * @param faces the same faces as {@link #prepareShards}
   * @param shards every shard written by {@link #writeShards}, in any order
   * @return the result (its counts are the shards and samples listed)
   * @throws IOException if a shard is missing, listed twice, or its file is missing or changed
   */
  public Result finishShards(FaceSet faces, List<ShardFile> shards) throws IOException {
    Objects.requireNonNull(faces, "faces");
    Objects.requireNonNull(shards, "shards");
    long start = System.nanoTime();
    Manifest.Header header = header(faces);
    Manifest manifest = openFolder(header);
    ShardFile[] byIndex = new ShardFile[header.shardCount()];
    for (ShardFile f : shards) {
      if (f.index() < 0 || f.index() >= byIndex.length || byIndex[f.index()] != null) {
        throw new IOException(
            "shards: shard " + f.index() + " is out of range or listed twice (" + out + ")");
      }
      byIndex[f.index()] = f;
    }
    long samples = 0;
    for (int s = 0; s < byIndex.length; s++) {
      ShardFile f = byIndex[s];
      if (f == null) {
        throw new IOException(out + ": shard " + s + " was not written; no manifest written");
      }
      Path p = out.resolve(f.file());
      if (!Files.isRegularFile(p) || !Sha256.hex(p).equals(f.sha256())) {
        throw new IOException(
            p + ": missing or not the file its worker wrote (SHA-256); no manifest written");
      }
      manifest.put(new Manifest.Shard(f.index(), f.file(), f.first(), f.count(), f.sha256()));
      samples += f.count();
    }
    manifest.complete(true);
    manifest.write(out);
    return new Result(
        byIndex.length,
        0,
        samples,
        Duration.ofNanos(System.nanoTime() - start),
        out.resolve(Manifest.FILE));
  }

  private Manifest.Header header(FaceSet faces) {
    int w = faces.background(0).width();
    int h = faces.background(0).height();
    int sps = samplesPerShard > 0 ? samplesPerShard : defaultSamplesPerShard(w, h);
    return new Manifest.Header(w, h, seed, count, sps, fingerprint(faces, sps, maskSigmaFor(w)));
  }

  private SampleRenderer renderer(FaceSet faces, Manifest.Header header) throws IOException {
    NeighbourTable table =
        cacheDir != null
            ? NeighbourTable.computeCached(faces, neighbours, lambda, threads, cacheDir)
            : NeighbourTable.compute(faces, neighbours, lambda, threads);
    GradientDomainCompositor.Plan plan =
        compositor.plan(
            BlendMask.convexHull(
                faces.meanShape().landmarks(),
                header.width(),
                header.height(),
                maskSigmaFor(header.width())));
    return new SampleRenderer(faces, new RandomMorph(faces, table), plan, seed);
  }

  private Manifest.Shard writeShard(
      ExecutorService pool, SampleRenderer renderer, Manifest.Header header, int s)
      throws IOException {
    long first = (long) s * header.samplesPerShard();
    int n = (int) Math.min(header.samplesPerShard(), count - first);
    byte[][] records = renderShard(pool, renderer, first, n);
    byte[] bytes = ShardCodec.shard(header.width(), header.height(), first, records);
    String file = Manifest.shardFile(s);
    AtomicFiles.write(out.resolve(file), bytes);
    return new Manifest.Shard(s, file, first, n, Sha256.hex(bytes));
  }

  private byte[][] renderShard(ExecutorService pool, SampleRenderer r, long first, int n)
      throws IOException {
    byte[][] records = new byte[n][];
    AtomicInteger next = new AtomicInteger();
    List<Future<?>> fs = new ArrayList<>();
    for (int t = 0; t < Math.min(threads, n); t++) {
      fs.add(
          pool.submit(
              () -> {
                int j;
                while ((j = next.getAndIncrement()) < n) {
                  records[j] = ShardCodec.encode(r.render(first + j));
                }
              }));
    }
    try {
      for (Future<?> f : fs) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while rendering samples " + first + "..+" + n, e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException re) {
        throw re;
      }
      throw new IOException("rendering samples " + first + "..+" + n + " failed", c);
    }
    return records;
  }

  /** Checks the folder, cleans our temporary files, and returns the manifest to continue from. */
  private Manifest openFolder(Manifest.Header header) throws IOException {
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new IOException(out + ": exists and is not a folder");
    }
    Files.createDirectories(out);
    List<Path> entries;
    try (Stream<Path> s = Files.list(out)) {
      entries = s.sorted().toList();
    }
    Path manifestFile = out.resolve(Manifest.FILE);
    boolean hasManifest = Files.isRegularFile(manifestFile);
    for (Path p : entries) {
      String name = p.getFileName().toString();
      boolean ours = OURS.matcher(name).matches() && Files.isRegularFile(p);
      boolean cache =
          cacheDir != null
              && p.toAbsolutePath().normalize().equals(cacheDir.toAbsolutePath().normalize())
              && Files.isDirectory(p);
      if (!ours && !cache) {
        throw new IOException(
            out
                + ": holds "
                + name
                + ", which this writer did not make; refusing to write a dataset here (choose an"
                + " empty or new folder)");
      }
      if (ours && !hasManifest && !name.startsWith("manifest")) {
        throw new IOException(
            out + ": holds " + name + " but no " + Manifest.FILE + "; not a dataset of ours");
      }
    }
    Manifest m;
    if (hasManifest) {
      m = Manifest.read(manifestFile);
      if (!m.header().equals(header)) {
        throw new IOException(
            manifestFile
                + ": written for "
                + m.header()
                + ", but this run is "
                + header
                + "; use another folder (nothing was changed)");
      }
    } else {
      m = new Manifest(header);
    }
    for (Path p : entries) {
      if (AtomicFiles.isTemporary(p.getFileName().toString())) {
        Files.delete(p);
      }
    }
    for (Manifest.Shard s : m.shards()) {
      Path f = out.resolve(s.file());
      if (!Files.isRegularFile(f) || !Sha256.hex(Files.readAllBytes(f)).equals(s.sha256())) {
        // Ours, listed, but missing or damaged: write it again.
        m.remove(s.index());
      }
    }
    m.complete(m.shards().size() == header.shardCount() && m.complete());
    m.write(out);
    return m;
  }

  /** About 32 MB shards. */
  static int defaultSamplesPerShard(int w, int h) {
    long bytes = 2L * w * h * 3 + 700;
    return (int) Math.max(16, Math.min(4096, (32L << 20) / bytes));
  }

  /** SHA-256 of everything that determines the samples (inputs and rendering parameters). */
  private String fingerprint(FaceSet faces, int sps, double sigma) {
    MessageDigest md = Sha256.newDigest();
    ByteBuffer p = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
    p.putInt(ShardCodec.VERSION).putInt(neighbours).putDouble(lambda).putDouble(sigma);
    p.putDouble(compositor.tolerance()).putInt(compositor.maxIterations()).putInt(sps);
    md.update(p.array(), 0, p.position());
    for (double v : faces.meanShape().landmarks().toFlatArray()) {
      putDouble(md, v);
    }
    md.update(intBytes(faces.size()));
    for (int i = 0; i < faces.size(); i++) {
      MorphFace f = faces.face(i);
      byte[] id = f.id().getBytes(StandardCharsets.UTF_8);
      md.update(intBytes(id.length));
      md.update(id);
      for (double v : f.landmarks().toFlatArray()) {
        putDouble(md, v);
      }
      putFloats(md, f.texture().toArray());
    }
    md.update(intBytes(faces.backgroundCount()));
    for (int i = 0; i < faces.backgroundCount(); i++) {
      putFloats(md, faces.background(i).toArray());
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static void putDouble(MessageDigest md, double v) {
    md.update(ByteBuffer.allocate(8).putDouble(v).array());
  }

  private static void putFloats(MessageDigest md, float[] v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(v);
    md.update(b.array());
  }

  private static byte[] intBytes(int v) {
    return ByteBuffer.allocate(4).putInt(v).array();
  }

  /** Builds a {@link DatasetWriter}; every setter checks its argument. */
  public static final class Builder {
    private Path out;
    private long seed;
    private long count = -1;
    private int samplesPerShard;
    private int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    private int neighbours = NeighbourTable.DEFAULT_K;
    private double lambda = NeighbourTable.DEFAULT_LAMBDA;
    private double maskSigma = -1;
    private GradientDomainCompositor compositor = GradientDomainCompositor.builder().build();
    private Path cacheDir;
    private Consumer<Progress> progress;

    private Builder() {}

    /**
     * The dataset folder (created if missing; must be empty or hold this writer's files).
     *
     * @param dir the folder
     * @return this builder
     */
    public Builder out(Path dir) {
      this.out = Objects.requireNonNull(dir, "out");
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
     * The number of samples.
     *
     * @param value at least 1
     * @return this builder
     */
    public Builder count(long value) {
      if (value < 1) {
        throw new IllegalArgumentException("count: expected at least 1 sample, got " + value);
      }
      this.count = value;
      return this;
    }

    /**
     * Samples per shard (default: about 32 MB of samples, at least 16).
     *
     * @param value at least 1
     * @return this builder
     */
    public Builder samplesPerShard(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("samplesPerShard: expected at least 1, got " + value);
      }
      this.samplesPerShard = value;
      return this;
    }

    /**
     * Worker threads (default: the available processors). Does not change the output.
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
     * The neighbourhood size {@code k} of the morphs (default {@value NeighbourTable#DEFAULT_K},
     * capped by the set size).
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
     * The landmark weight λ of the neighbour distance (default {@value
     * NeighbourTable#DEFAULT_LAMBDA}).
     *
     * @param value ≥ 0
     * @return this builder
     */
    public Builder lambda(double value) {
      if (!(value >= 0) || Double.isInfinite(value)) {
        throw new IllegalArgumentException("lambda: expected a finite value ≥ 0, got " + value);
      }
      this.lambda = value;
      return this;
    }

    /**
     * The blur of the blending mask in pixels (default: the image width / 56, 4 px at 224).
     *
     * @param value ≥ 0
     * @return this builder
     */
    public Builder maskSigma(double value) {
      if (!(value >= 0) || Double.isInfinite(value)) {
        throw new IllegalArgumentException("maskSigma: expected a finite value ≥ 0, got " + value);
      }
      this.maskSigma = value;
      return this;
    }

    /**
     * The compositor (default: {@link GradientDomainCompositor#builder()}'s).
     *
     * @param value the compositor
     * @return this builder
     */
    public Builder compositor(GradientDomainCompositor value) {
      this.compositor = Objects.requireNonNull(value, "compositor");
      return this;
    }

    /**
     * Where to cache the neighbour table (default: none, computed each run). It may be a folder
     * inside {@link #out}.
     *
     * @param dir the cache folder, or null
     * @return this builder
     */
    public Builder cacheDir(Path dir) {
      this.cacheDir = dir;
      return this;
    }

    /**
     * Called after each shard with the progress (default: none).
     *
     * @param listener the listener, or null
     * @return this builder
     */
    public Builder progress(Consumer<Progress> listener) {
      this.progress = listener;
      return this;
    }

    /**
     * Builds the writer.
     *
     * @return the writer
     * @throws IllegalStateException if {@code out} or {@code count} is missing
     */
    public DatasetWriter build() {
      if (out == null) {
        throw new IllegalStateException("out: required");
      }
      if (count < 1) {
        throw new IllegalStateException("count: required");
      }
      return new DatasetWriter(this);
    }
  }

  double maskSigmaFor(int width) {
    return maskSigma >= 0 ? maskSigma : width / 56.0;
  }
}
