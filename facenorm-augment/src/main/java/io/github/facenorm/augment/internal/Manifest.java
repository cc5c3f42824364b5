package io.github.facenorm.augment.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The dataset manifest {@code manifest.txt}, a line-oriented text file:
 *
 * <pre>
 * facenorm-augment-dataset 1
 * width W
 * height H
 * seed S
 * count N
 * samples-per-shard P
 * inputs SHA256-of-the-inputs-and-parameters
 * shard INDEX FILE FIRST COUNT SHA256      (one per finished shard, by index)
 * complete                                 (once every shard is written)
 * </pre>
 *
 * It holds nothing that depends on time or threads, so a resumed run ends with the same manifest as
 * an uninterrupted one.
 */
public final class Manifest {

  /** The manifest's file name. */
  public static final String FILE = "manifest.txt";

  private static final String FIRST_LINE = "facenorm-augment-dataset 1";

  /**
   * What a dataset is made of; two runs may share a folder only if these are equal.
   *
   * @param width image width
   * @param height image height
   * @param seed the seed
   * @param count the number of samples
   * @param samplesPerShard samples per shard
   * @param inputs SHA-256 (hex) of the inputs and rendering parameters
   */
  public record Header(
      int width, int height, long seed, long count, int samplesPerShard, String inputs) {

    /** The number of shards. */
    public int shardCount() {
      return (int) ((count + samplesPerShard - 1) / samplesPerShard);
    }
  }

  /**
   * One finished shard.
   *
   * @param index shard index
   * @param file file name
   * @param first index of its first sample
   * @param count its number of samples
   * @param sha256 hex SHA-256 of the file
   */
  public record Shard(int index, String file, long first, int count, String sha256) {}

  private final Header header;
  private final Map<Integer, Shard> shards = new TreeMap<>();
  private boolean complete;

  /**
   * An empty manifest.
   *
   * @param header the dataset's header
   */
  public Manifest(Header header) {
    this.header = Objects.requireNonNull(header, "header");
  }

  /** The header. */
  public Header header() {
    return header;
  }

  /** The finished shards by index. */
  public List<Shard> shards() {
    return new ArrayList<>(shards.values());
  }

  /**
   * A finished shard.
   *
   * @param index the shard index
   * @return it, or null
   */
  public Shard shard(int index) {
    return shards.get(index);
  }

  /**
   * Records a finished shard.
   *
   * @param s the shard
   */
  public void put(Shard s) {
    shards.put(s.index(), s);
  }

  /**
   * Forgets a shard (e.g. one whose file is missing or damaged).
   *
   * @param index the shard index
   */
  public void remove(int index) {
    shards.remove(index);
    complete = false;
  }

  /** Whether every shard is written. */
  public boolean complete() {
    return complete;
  }

  /**
   * Marks the dataset complete.
   *
   * @param value whether it is
   */
  public void complete(boolean value) {
    this.complete = value;
  }

  /** The manifest's text. */
  public String text() {
    StringBuilder b = new StringBuilder(FIRST_LINE).append('\n');
    b.append("width ").append(header.width()).append('\n');
    b.append("height ").append(header.height()).append('\n');
    b.append("seed ").append(header.seed()).append('\n');
    b.append("count ").append(header.count()).append('\n');
    b.append("samples-per-shard ").append(header.samplesPerShard()).append('\n');
    b.append("inputs ").append(header.inputs()).append('\n');
    for (Shard s : shards.values()) {
      b.append("shard ")
          .append(s.index())
          .append(' ')
          .append(s.file())
          .append(' ')
          .append(s.first())
          .append(' ')
          .append(s.count())
          .append(' ')
          .append(s.sha256())
          .append('\n');
    }
    if (complete) {
      b.append("complete\n");
    }
    return b.toString();
  }

  /**
   * Writes the manifest atomically.
   *
   * @param dir the dataset folder
   * @throws IOException if writing fails
   */
  public void write(Path dir) throws IOException {
    io.github.facenorm.core.internal.AtomicFiles.write(
        dir.resolve(FILE), text().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Reads a manifest.
   *
   * @param file the manifest file
   * @return the manifest
   * @throws IOException if it cannot be read or is not a valid manifest (the message names the file
   *     and line)
   */
  public static Manifest read(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    try {
      if (lines.isEmpty() || !lines.get(0).equals(FIRST_LINE)) {
        throw new IllegalArgumentException("first line is not \"" + FIRST_LINE + "\"");
      }
      if (lines.size() < 7) {
        throw new IllegalArgumentException("header incomplete");
      }
      Header h =
          new Header(
              Integer.parseInt(value(lines.get(1), "width")),
              Integer.parseInt(value(lines.get(2), "height")),
              Long.parseLong(value(lines.get(3), "seed")),
              Long.parseLong(value(lines.get(4), "count")),
              Integer.parseInt(value(lines.get(5), "samples-per-shard")),
              value(lines.get(6), "inputs"));
      if (h.width() < 1 || h.height() < 1 || h.count() < 1 || h.samplesPerShard() < 1) {
        throw new IllegalArgumentException("sizes and counts must be positive");
      }
      Manifest m = new Manifest(h);
      for (int i = 7; i < lines.size(); i++) {
        String line = lines.get(i);
        if (line.equals("complete") && i == lines.size() - 1) {
          m.complete = true;
          continue;
        }
        String[] f = line.split(" ");
        if (f.length != 6 || !f[0].equals("shard")) {
          throw new IllegalArgumentException("line " + (i + 1) + ": expected a shard, got " + line);
        }
        Shard s =
            new Shard(
                Integer.parseInt(f[1]), f[2], Long.parseLong(f[3]), Integer.parseInt(f[4]), f[5]);
        if (!s.file().equals(shardFile(s.index()))
            || s.first() != (long) s.index() * h.samplesPerShard()
            || s.count() != Math.min(h.samplesPerShard(), h.count() - s.first())
            || s.count() < 1) {
          throw new IllegalArgumentException("line " + (i + 1) + ": inconsistent shard " + line);
        }
        m.put(s);
      }
      if (m.complete && m.shards.size() != h.shardCount()) {
        throw new IllegalArgumentException("marked complete with a shard missing");
      }
      return m;
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": not a valid facenorm-augment manifest: " + e.getMessage(), e);
    }
  }

  private static String value(String line, String key) {
    if (!line.startsWith(key + " ")) {
      throw new IllegalArgumentException("expected \"" + key + " …\", got \"" + line + "\"");
    }
    return line.substring(key.length() + 1);
  }

  /**
   * The file name of a shard.
   *
   * @param index the shard index
   * @return {@code shard-00000.bin} style
   */
  public static String shardFile(int index) {
    return String.format(java.util.Locale.ROOT, "shard-%05d.bin", index);
  }
}
