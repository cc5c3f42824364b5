package io.github.facenorm.augment;

import io.github.facenorm.augment.internal.Manifest;
import io.github.facenorm.augment.internal.ShardCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * Reads back a dataset written by {@link DatasetWriter}: the manifest, then the shards one at a
 * time, each checked against the manifest's SHA-256 before it is decoded, as single samples or as
 * training batches. A damaged shard is reported with a {@link CorruptShardException} naming it
 * (wrapped in an {@link UncheckedIOException} by the iterators). Immutable; each iterator holds one
 * shard in memory.
 */
public final class DatasetReader {

  private final Path dir;
  private final Manifest manifest;

  private DatasetReader(Path dir, Manifest manifest) {
    this.dir = dir;
    this.manifest = manifest;
  }

  /**
   * Opens a dataset folder.
   *
   * @param dir the folder holding {@code manifest.txt}
   * @return the reader
   * @throws IOException if there is no valid manifest
   */
  public static DatasetReader open(Path dir) throws IOException {
    Objects.requireNonNull(dir, "dir");
    Path m = dir.resolve(Manifest.FILE);
    if (!Files.isRegularFile(m)) {
      throw new NoSuchFileException(m.toString(), null, "no dataset manifest here");
    }
    return new DatasetReader(dir, Manifest.read(m));
  }

  /** Image width. */
  public int width() {
    return manifest.header().width();
  }

  /** Image height. */
  public int height() {
    return manifest.header().height();
  }

  /** The number of samples the dataset was planned with. */
  public long plannedCount() {
    return manifest.header().count();
  }

  /** The number of samples in finished shards (all of them once {@link #complete()}). */
  public long count() {
    long n = 0;
    for (Manifest.Shard s : manifest.shards()) {
      n += s.count();
    }
    return n;
  }

  /** Whether every shard was written. */
  public boolean complete() {
    return manifest.complete();
  }

  /** The number of finished shards. */
  public int shardCount() {
    return manifest.shards().size();
  }

  /**
   * The SHA-256 the manifest lists for a shard ({@link #readShard} checks the shard's bytes against
   * it), e.g. to key data derived from the shard.
   *
   * @param i in {@code [0, shardCount())}
   * @return 64 lowercase hex digits
   */
  public String shardSha256(int i) {
    return manifest.shards().get(i).sha256();
  }

  /**
   * Reads and checks one finished shard.
   *
   * @param i in {@code [0, shardCount())}, in index order
   * @return its samples
   * @throws CorruptShardException if its bytes do not match the manifest or cannot be decoded
   * @throws IOException if it cannot be read
   */
  public List<AugmentedSample> readShard(int i) throws IOException {
    Manifest.Shard s = manifest.shards().get(i);
    Path f = dir.resolve(s.file());
    byte[] bytes = Files.readAllBytes(f);
    String sha = io.github.facenorm.core.internal.Sha256.hex(bytes);
    if (!sha.equals(s.sha256())) {
      throw new CorruptShardException(
          f,
          "SHA-256 "
              + sha
              + " does not match the manifest's "
              + s.sha256()
              + ": the shard is damaged (re-run the writer on this folder to rewrite it)",
          null);
    }
    try {
      return ShardCodec.decode(s.file(), bytes, width(), height(), s.first(), s.count());
    } catch (IOException e) {
      throw new CorruptShardException(f, e.getMessage(), e);
    }
  }

  /**
   * The samples in index order, one shard in memory at a time.
   *
   * @return an iterator; throws {@link UncheckedIOException} around a {@link CorruptShardException}
   *     or read error
   */
  public Iterator<AugmentedSample> samples() {
    return new Iterator<>() {
      private int shard;
      private Iterator<AugmentedSample> current = java.util.Collections.emptyIterator();

      @Override
      public boolean hasNext() {
        while (!current.hasNext() && shard < shardCount()) {
          try {
            current = readShard(shard++).iterator();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
        return current.hasNext();
      }

      @Override
      public AugmentedSample next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return current.next();
      }
    };
  }

  /**
   * Training batches in index order (the last may be smaller).
   *
   * @param batchSize at least 1
   * @return an iterator of batches
   */
  public Iterator<Batch> batches(int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize: expected at least 1, got " + batchSize);
    }
    Iterator<AugmentedSample> it = samples();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public Batch next() {
        List<AugmentedSample> b = new ArrayList<>(batchSize);
        while (b.size() < batchSize && it.hasNext()) {
          b.add(it.next());
        }
        if (b.isEmpty()) {
          throw new NoSuchElementException();
        }
        return new Batch(b);
      }
    };
  }

  /**
   * A training batch.
   *
   * @param samples the samples, in index order
   */
  public record Batch(List<AugmentedSample> samples) {

    /**
     * Copies the list.
     *
     * @param samples the samples
     */
    public Batch {
      samples = List.copyOf(samples);
    }

    /** The batch size {@code B}. */
    public int size() {
      return samples.size();
    }

    /** The input images as floats in {@code [0, 1]}, {@code [B, H, W, 3]} row-major. */
    public float[] images() {
      return floats(true);
    }

    /** The target textures as floats in {@code [0, 1]}, {@code [B, H, W, 3]} row-major. */
    public float[] textures() {
      return floats(false);
    }

    /** The target landmarks, {@code [B, 68, 2]} row-major, (x, y) pixels. */
    public float[] landmarks() {
      float[] out = new float[samples.size() * 136];
      for (int i = 0; i < samples.size(); i++) {
        double[] xy = samples.get(i).landmarks().toFlatArray();
        for (int k = 0; k < 136; k++) {
          out[i * 136 + k] = (float) xy[k];
        }
      }
      return out;
    }

    private float[] floats(boolean image) {
      int n = samples.get(0).imageRgb8().length;
      float[] out = new float[samples.size() * n];
      for (int i = 0; i < samples.size(); i++) {
        AugmentedSample s = samples.get(i);
        byte[] b = image ? s.imageRgb8() : s.textureRgb8();
        for (int k = 0; k < n; k++) {
          out[i * n + k] = (b[k] & 0xFF) / 255f;
        }
      }
      return out;
    }
  }
}
