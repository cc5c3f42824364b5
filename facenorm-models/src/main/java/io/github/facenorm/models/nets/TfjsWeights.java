package io.github.facenorm.models.nets;

import io.github.facenorm.core.internal.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tensors of a tfjs weight manifest ({@code *-weights_manifest.json}) and its binary shards,
 * read and dequantized exactly as tfjs-core's {@code io.decodeWeights} does.
 *
 * <p>A manifest is a JSON array of groups {@code {paths: [shard, ...], weights: [{name, shape,
 * dtype, quantization?}, ...]}}. A group's shards are concatenated in order; its tensors lie back
 * to back in manifest order, little-endian, with no padding. Storage per element: 4 bytes for
 * {@code float32}/{@code int32}; with {@code quantization.dtype} {@code uint8} (1 byte) or {@code
 * uint16} (2 bytes) the value is {@code q * scale + min} computed in double and stored as float32
 * ({@code Math.round}ed for int32 tensors), and {@code float16} (2 bytes) is IEEE half precision.
 *
 * <p>The reader is strict: a missing or truncated shard, shards longer than the tensors need, an
 * unknown dtype, a malformed entry or a duplicate name fail with an {@link IOException} naming the
 * file and the weight; asking for an absent weight or a wrong shape fails with an {@link
 * IllegalArgumentException} naming both.
 */
public final class TfjsWeights {
  private final String source;
  private final Map<String, WeightTensor> tensors;

  private TfjsWeights(String source, Map<String, WeightTensor> tensors) {
    this.source = source;
    this.tensors = Collections.unmodifiableMap(tensors);
  }

  /**
   * Wraps tensors that are already in memory (tests, synthetic weights, other loaders).
   *
   * @param source what to call this set in error messages
   * @param tensors the tensors; their names must be unique
   * @return the weight set, in the given order
   */
  public static TfjsWeights of(String source, List<WeightTensor> tensors) {
    Map<String, WeightTensor> map = new LinkedHashMap<>();
    for (WeightTensor t : tensors) {
      if (map.put(t.name(), t) != null) {
        throw new IllegalArgumentException(source + ": duplicate weight '" + t.name() + "'");
      }
    }
    return new TfjsWeights(source, map);
  }

  /**
   * Reads a manifest and the shards it names (resolved next to the manifest).
   *
   * @param manifest the {@code *-weights_manifest.json} file
   * @return every tensor of every group, in manifest order
   * @throws IOException if a file cannot be read or the manifest and shards do not agree
   */
  public static TfjsWeights read(Path manifest) throws IOException {
    if (!Files.isRegularFile(manifest)) {
      throw new IOException("tfjs weight manifest not found: " + manifest);
    }
    Object root = Json.read(manifest);
    if (!(root instanceof List<?> groups)) {
      throw new IOException(manifest + ": expected a JSON array of weight groups");
    }
    Path dir = manifest.toAbsolutePath().normalize().getParent();
    Map<String, WeightTensor> map = new LinkedHashMap<>();
    for (int g = 0; g < groups.size(); g++) {
      readGroup(manifest, dir, g, groups.get(g), map);
    }
    return new TfjsWeights(manifest.toString(), map);
  }

  private static void readGroup(
      Path manifest, Path dir, int g, Object groupObj, Map<String, WeightTensor> out)
      throws IOException {
    String where = manifest + " group " + g;
    if (!(groupObj instanceof Map<?, ?> group)) {
      throw new IOException(where + ": expected an object with 'paths' and 'weights'");
    }
    if (!(group.get("paths") instanceof List<?> paths) || paths.isEmpty()) {
      throw new IOException(where + ": missing or empty 'paths'");
    }
    if (!(group.get("weights") instanceof List<?> weights)) {
      throw new IOException(where + ": missing 'weights'");
    }
    List<Spec> specs = new ArrayList<>();
    long needed = 0;
    for (Object w : weights) {
      Spec s = Spec.parse(where, w);
      specs.add(s);
      needed += s.byteLength();
    }
    List<Path> shardFiles = new ArrayList<>();
    long available = 0;
    for (Object p : paths) {
      if (!(p instanceof String name) || name.isEmpty()) {
        throw new IOException(where + ": bad shard path " + p);
      }
      Path f = dir.resolve(name).normalize();
      if (!dir.equals(f.getParent())) {
        throw new IOException(
            where + ": shard path " + name + " is not a file beside the manifest");
      }
      if (!Files.isRegularFile(f)) {
        throw new IOException(where + ": shard not found: " + f);
      }
      shardFiles.add(f);
      available += Files.size(f);
    }
    if (needed > Integer.MAX_VALUE) {
      throw new IOException(where + ": " + needed + " bytes of weights is more than supported");
    }
    ByteBuffer buf = ByteBuffer.allocate((int) Math.min(available, needed + 1L));
    for (Path f : shardFiles) {
      try (InputStream in = Files.newInputStream(f)) {
        byte[] chunk = new byte[65536];
        int n;
        while (buf.hasRemaining()
            && (n = in.read(chunk, 0, Math.min(chunk.length, buf.remaining()))) > 0) {
          buf.put(chunk, 0, n);
        }
      }
    }
    buf.flip().order(ByteOrder.LITTLE_ENDIAN);
    long offset = 0;
    for (Spec s : specs) {
      long end = offset + s.byteLength();
      if (end > available) {
        throw new IOException(
            where
                + ": shard(s) "
                + shardNames(shardFiles)
                + " truncated: weight '"
                + s.name
                + "' needs bytes ["
                + offset
                + ", "
                + end
                + ") but the shards hold "
                + available);
      }
      WeightTensor t = s.decode(buf, (int) offset);
      if (out.put(s.name, t) != null) {
        throw new IOException(where + ": duplicate weight '" + s.name + "'");
      }
      offset = end;
    }
    if (available != needed) {
      throw new IOException(
          where
              + ": size mismatch: the weights need "
              + needed
              + " bytes but shard(s) "
              + shardNames(shardFiles)
              + " hold "
              + available);
    }
  }

  private static String shardNames(List<Path> files) {
    List<String> names = new ArrayList<>();
    for (Path f : files) {
      names.add(String.valueOf(f.getFileName()));
    }
    return String.join(", ", names);
  }

  /**
   * Where these weights came from (the manifest path).
   *
   * @return the source description
   */
  public String source() {
    return source;
  }

  /**
   * All tensors, by name, in manifest order.
   *
   * @return an unmodifiable map
   */
  public Map<String, WeightTensor> tensors() {
    return tensors;
  }

  /**
   * Whether a tensor of this name exists.
   *
   * @param name the manifest name
   * @return true if present
   */
  public boolean contains(String name) {
    return tensors.containsKey(name);
  }

  /**
   * The tensor of this name.
   *
   * @param name the manifest name
   * @return the tensor
   * @throws IllegalArgumentException if absent
   */
  public WeightTensor get(String name) {
    WeightTensor t = tensors.get(name);
    if (t == null) {
      throw new IllegalArgumentException("missing weight '" + name + "' in " + source);
    }
    return t;
  }

  /**
   * The tensor of this name, checked against the expected shape.
   *
   * @param name the manifest name
   * @param shape the expected shape, e.g. {@code [3, 3, 32, 32]}
   * @return the tensor
   * @throws IllegalArgumentException if absent or of another shape
   */
  public WeightTensor get(String name, long... shape) {
    WeightTensor t = get(name);
    if (!Arrays.equals(t.shape(), shape)) {
      throw new IllegalArgumentException(
          "weight '"
              + name
              + "' in "
              + source
              + ": expected shape "
              + Arrays.toString(shape)
              + ", got "
              + Arrays.toString(t.shape()));
    }
    return t;
  }

  @Override
  public String toString() {
    return "TfjsWeights[" + source + ", " + tensors.size() + " tensors]";
  }

  /** One manifest entry. */
  private record Spec(
      String name,
      long[] shape,
      long count,
      String dtype,
      String storage,
      double scale,
      double min) {

    static Spec parse(String where, Object o) throws IOException {
      if (!(o instanceof Map<?, ?> m)) {
        throw new IOException(where + ": weight entry is not an object: " + o);
      }
      if (!(m.get("name") instanceof String name) || name.isEmpty()) {
        throw new IOException(where + ": weight entry without a name: " + o);
      }
      String at = where + " weight '" + name + "'";
      if (!(m.get("shape") instanceof List<?> dims)) {
        throw new IOException(at + ": missing 'shape'");
      }
      long[] shape = new long[dims.size()];
      long count = 1;
      for (int i = 0; i < shape.length; i++) {
        if (!(dims.get(i) instanceof Double d) || d < 0 || d != Math.rint(d)) {
          throw new IOException(at + ": bad dimension " + dims.get(i) + " in shape " + dims);
        }
        shape[i] = d.longValue();
        // Bounded before multiplying: a manifest's shape must not overflow into a small count.
        if (shape[i] > Integer.MAX_VALUE || count * shape[i] > Integer.MAX_VALUE) {
          throw new IOException(
              at + ": shape " + dims + " has more than " + Integer.MAX_VALUE + " elements");
        }
        count *= shape[i];
      }
      if (!(m.get("dtype") instanceof String dtype)) {
        throw new IOException(at + ": missing 'dtype'");
      }
      if (!dtype.equals("float32") && !dtype.equals("int32")) {
        throw new IOException(
            at + ": unknown or unsupported dtype '" + dtype + "' (supported: float32, int32)");
      }
      Object q = m.get("quantization");
      if (q == null) {
        return new Spec(name, shape, count, dtype, dtype, 1, 0);
      }
      if (!(q instanceof Map<?, ?> qm) || !(qm.get("dtype") instanceof String qd)) {
        throw new IOException(at + ": malformed 'quantization' " + q);
      }
      switch (qd) {
        case "uint8", "uint16" -> {
          if (!(qm.get("scale") instanceof Double scale)
              || !(qm.get("min") instanceof Double min)) {
            throw new IOException(at + ": quantization " + qd + " needs numeric 'scale' and 'min'");
          }
          return new Spec(name, shape, count, dtype, qd, scale, min);
        }
        case "float16" -> {
          if (!dtype.equals("float32")) {
            throw new IOException(at + ": float16 quantization of a " + dtype + " tensor");
          }
          return new Spec(name, shape, count, dtype, qd, 1, 0);
        }
        default ->
            throw new IOException(
                at
                    + ": unknown quantization dtype '"
                    + qd
                    + "' (supported: uint8, uint16, float16)");
      }
    }

    long byteLength() {
      return count
          * switch (storage) {
            case "uint8" -> 1;
            case "uint16", "float16" -> 2;
            default -> 4;
          };
    }

    WeightTensor decode(ByteBuffer buf, int offset) {
      int n = (int) count;
      float[] v = new float[n];
      boolean isInt = dtype.equals("int32");
      switch (storage) {
        case "float32" -> {
          for (int i = 0; i < n; i++) {
            v[i] = buf.getFloat(offset + 4 * i);
          }
        }
        case "int32" -> {
          for (int i = 0; i < n; i++) {
            v[i] = buf.getInt(offset + 4 * i);
          }
        }
        case "uint8" -> {
          for (int i = 0; i < n; i++) {
            v[i] = dequantize(buf.get(offset + i) & 0xFF, isInt);
          }
        }
        case "uint16" -> {
          for (int i = 0; i < n; i++) {
            v[i] = dequantize(buf.getShort(offset + 2 * i) & 0xFFFF, isInt);
          }
        }
        case "float16" -> {
          for (int i = 0; i < n; i++) {
            v[i] = halfToFloat(buf.getShort(offset + 2 * i) & 0xFFFF);
          }
        }
        default -> throw new IllegalStateException(storage);
      }
      return new WeightTensor(name, shape, dtype, storage, v);
    }

    private float dequantize(int q, boolean isInt) {
      double x = q * scale + min;
      return isInt ? (float) Math.round(x) : (float) x;
    }

    static float halfToFloat(int h) {
      int sign = (h >>> 15) & 1;
      int exp = (h >>> 10) & 0x1F;
      int mant = h & 0x3FF;
      float mag;
      if (exp == 0) {
        mag = mant * 0x1p-24f;
      } else if (exp == 31) {
        mag = mant == 0 ? Float.POSITIVE_INFINITY : Float.NaN;
      } else {
        mag = Float.intBitsToFloat(((exp + 112) << 23) | (mant << 13));
      }
      return sign == 1 ? -mag : mag;
    }
  }
}
