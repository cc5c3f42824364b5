package io.github.facenorm.augment.internal;

import io.github.facenorm.augment.AugmentedSample;
import io.github.facenorm.core.Landmarks;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The shard file format (big-endian, as {@link DataOutputStream} writes): header {@code int} magic
 * "FNAS", {@code int} version 1, {@code int} width, {@code int} height, {@code long} index of the
 * first sample, {@code int} sample count; then per sample {@code long} index, {@code int} a, {@code
 * int} b, {@code int} background, modified-UTF-8 idA and idB, {@code double} w_L and w_T, 136
 * {@code float} landmarks (x, y), {@code W·H·3} image bytes, {@code W·H·3} texture bytes.
 */
public final class ShardCodec {

  /** "FNAS". */
  public static final int MAGIC = 0x464E4153;

  /** Format version. */
  public static final int VERSION = 1;

  private ShardCodec() {}

  /**
   * Encodes one sample's record (without the shard header).
   *
   * @param s the sample
   * @return its bytes
   */
  public static byte[] encode(AugmentedSample s) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(2 * s.imageRgb8().length + 1024);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeLong(s.index());
      out.writeInt(s.a());
      out.writeInt(s.b());
      out.writeInt(s.background());
      out.writeUTF(s.idA());
      out.writeUTF(s.idB());
      out.writeDouble(s.landmarkWeight());
      out.writeDouble(s.textureWeight());
      for (double v : s.landmarks().toFlatArray()) {
        out.writeFloat((float) v);
      }
      out.write(s.imageRgb8());
      out.write(s.textureRgb8());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * Assembles a shard.
   *
   * @param width image width
   * @param height image height
   * @param first index of the first sample
   * @param records the encoded samples, in index order
   * @return the shard's bytes
   */
  public static byte[] shard(int width, int height, long first, byte[][] records) {
    int total = 28;
    for (byte[] r : records) {
      total += r.length;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(total);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(MAGIC);
      out.writeInt(VERSION);
      out.writeInt(width);
      out.writeInt(height);
      out.writeLong(first);
      out.writeInt(records.length);
      for (byte[] r : records) {
        out.write(r);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * Decodes a shard whose checksum was already verified.
   *
   * @param name the shard's name, for messages
   * @param data its bytes
   * @param width the expected width
   * @param height the expected height
   * @param first the expected first index
   * @param count the expected count
   * @return the samples
   * @throws IOException if the content does not match the header or the manifest
   */
  public static List<AugmentedSample> decode(
      String name, byte[] data, int width, int height, long first, int count) throws IOException {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      if (in.readInt() != MAGIC) {
        throw new IOException(name + ": not a facenorm-augment shard (bad magic number)");
      }
      int version = in.readInt();
      if (version != VERSION) {
        throw new IOException(name + ": shard format version " + version + ", expected " + VERSION);
      }
      int w = in.readInt();
      int h = in.readInt();
      long f = in.readLong();
      int n = in.readInt();
      if (w != width || h != height || f != first || n != count) {
        throw new IOException(
            String.format(
                "%s: header says %d × %d, samples %d..+%d; the manifest says %d × %d, %d..+%d",
                name, w, h, f, n, width, height, first, count));
      }
      List<AugmentedSample> out = new ArrayList<>(n);
      int px = w * h * 3;
      for (int i = 0; i < n; i++) {
        long index = in.readLong();
        if (index != first + i) {
          throw new IOException(name + ": record " + i + " has index " + index);
        }
        int a = in.readInt();
        int b = in.readInt();
        int bg = in.readInt();
        String idA = in.readUTF();
        String idB = in.readUTF();
        double wl = in.readDouble();
        double wt = in.readDouble();
        double[] xy = new double[2 * Landmarks.COUNT];
        for (int k = 0; k < xy.length; k++) {
          xy[k] = in.readFloat();
        }
        byte[] img = new byte[px];
        in.readFully(img);
        byte[] tex = new byte[px];
        in.readFully(tex);
        out.add(
            new AugmentedSample(
                index, a, b, bg, idA, idB, wl, wt, Landmarks.of(xy), w, h, img, tex));
      }
      if (in.read() != -1) {
        throw new IOException(name + ": trailing bytes after " + n + " samples");
      }
      return out;
    } catch (EOFException e) {
      throw new IOException(name + ": truncated", e);
    }
  }
}
