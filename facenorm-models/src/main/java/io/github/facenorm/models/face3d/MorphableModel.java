package io.github.facenorm.models.face3d;

import io.github.facenorm.core.internal.AtomicFiles;
import io.github.facenorm.core.internal.Json;
import io.github.facenorm.core.internal.Sha256;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A linear 3-D morphable face model: a mean shape on a fixed triangle mesh, an orthonormal shape
 * basis with per-mode variances, and a texture model in the mesh's UV atlas.
 *
 * <p>Shape: {@code S(α) = mean + Σ_k α_k B_k}, vertices {@code [N, 3]} in centimetres in the
 * canonical frame of {@link FaceMesh}; {@code B} is {@code [K, N·3]} with orthonormal rows and
 * {@code α_k} has variance {@link #shapeVariance()}{@code [k]} (cm²) over the training faces.
 * Texture: {@code T(β) = meanTexture + Σ_k β_k C_k}, atlas {@code [A, A, 3]} RGB in {@code [0, 1]}
 * (row 0 = {@code v = 0}), {@code C} {@code [Kt, A·A·3]} orthonormal; {@link #atlasMask()} marks
 * the atlas texels the mesh covers.
 *
 * <p>The shipped model ({@link #shipped()}) was built by {@link MorphableModelBuilder} from the 102
 * neutral photos of the Face Research Lab London Set (DeBruine &amp; Jones 2017, CC BY 4.0) through
 * MediaPipe's face-mesh network (Apache-2.0); its {@link #header()} holds the provenance, the
 * caveat and the variance table. Its depth is the network's learned monocular depth of 102 people,
 * not 3-D scans.
 *
 * <p>File format (version 1): the 8 bytes {@code F3DMM\0\0\1}, a big-endian int {@code L}, {@code
 * L} bytes of UTF-8 JSON header, then little-endian arrays: mean {@code float32[N·3]}, uv {@code
 * float32[N·2]}, triangles {@code int32[T·3]}, shape basis {@code float32[K·N·3]}, shape variances
 * {@code float32[K]}, atlas mask {@code uint8[A·A]}, mean texture {@code float32[A·A·3]}, texture
 * basis {@code float32[Kt·A·A·3]}, texture variances {@code float32[Kt]}. Immutable.
 */
public final class MorphableModel {

  /** The classpath resource of the shipped model. */
  public static final String SHIPPED_RESOURCE =
      "/io/github/facenorm/models/face3d/frl-facemesh-3dmm-v1.f3dmm";

  private static final byte[] MAGIC = {'F', '3', 'D', 'M', 'M', 0, 0, 1};

  private final FaceMesh mean;
  private final double[] shapeBasis;
  private final double[] shapeVariance;
  private final int atlasSize;
  private final boolean[] atlasMask;
  private final float[] meanTexture;
  private final float[] textureBasis;
  private final double[] textureVariance;
  private final Map<String, Object> header;

  /**
   * A model from its parts (arrays are copied).
   *
   * @param mean the mean shape and topology
   * @param shapeBasis {@code [K, N·3]}
   * @param shapeVariance {@code [K]}, positive
   * @param atlasSize {@code A}
   * @param atlasMask {@code [A, A]}
   * @param meanTexture {@code [A, A, 3]}
   * @param textureBasis {@code [Kt, A·A·3]}
   * @param textureVariance {@code [Kt]}
   * @param header free-form metadata (provenance, caveat, numbers); JSON-compatible values
   */
  public MorphableModel(
      FaceMesh mean,
      double[] shapeBasis,
      double[] shapeVariance,
      int atlasSize,
      boolean[] atlasMask,
      float[] meanTexture,
      float[] textureBasis,
      double[] textureVariance,
      Map<String, Object> header) {
    this.mean = Objects.requireNonNull(mean, "mean");
    int d = 3 * mean.vertexCount();
    if (shapeBasis.length != shapeVariance.length * d) {
      throw new IllegalArgumentException(
          "shapeBasis: expected ["
              + shapeVariance.length
              + ", "
              + d
              + "] values, got "
              + shapeBasis.length);
    }
    int t = atlasSize * atlasSize * 3;
    if (atlasSize < 1 || atlasMask.length != atlasSize * atlasSize || meanTexture.length != t) {
      throw new IllegalArgumentException(
          "atlas: size "
              + atlasSize
              + ", mask "
              + atlasMask.length
              + ", mean "
              + meanTexture.length);
    }
    if (textureBasis.length != textureVariance.length * t) {
      throw new IllegalArgumentException(
          "textureBasis: expected ["
              + textureVariance.length
              + ", "
              + t
              + "] values, got "
              + textureBasis.length);
    }
    for (double v : shapeVariance) {
      if (!(v > 0)) {
        throw new IllegalArgumentException("shapeVariance: non-positive value " + v);
      }
    }
    this.shapeBasis = shapeBasis.clone();
    this.shapeVariance = shapeVariance.clone();
    this.atlasSize = atlasSize;
    this.atlasMask = atlasMask.clone();
    this.meanTexture = meanTexture.clone();
    this.textureBasis = textureBasis.clone();
    this.textureVariance = textureVariance.clone();
    this.header = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(header));
  }

  /**
   * The model shipped in the jar ({@code frl-facemesh-3dmm-v1}), checked against its SHA-256 (the
   * resource beside it). Its card: {@code MODEL_CARD.md} in the same resource folder.
   *
   * @return the model
   * @throws IOException if the resource is missing or corrupt
   */
  public static MorphableModel shipped() throws IOException {
    byte[] bytes;
    String expected;
    try (InputStream in = MorphableModel.class.getResourceAsStream(SHIPPED_RESOURCE);
        InputStream sum = MorphableModel.class.getResourceAsStream(SHIPPED_RESOURCE + ".sha256")) {
      if (in == null || sum == null) {
        throw new IOException(
            "resource " + SHIPPED_RESOURCE + " or its .sha256 missing from the classpath");
      }
      bytes = in.readAllBytes();
      expected = new String(sum.readAllBytes(), StandardCharsets.US_ASCII).strip().split("\\s+")[0];
    }
    String actual = Sha256.hex(bytes);
    if (!actual.equals(expected)) {
      throw new IOException(
          SHIPPED_RESOURCE + ": sha256 " + actual + ", expected " + expected + " (corrupt jar?)");
    }
    return read(new java.io.ByteArrayInputStream(bytes), SHIPPED_RESOURCE);
  }

  /**
   * Reads a model file.
   *
   * @param file the file
   * @return the model
   * @throws IOException if it is missing, truncated or not a version-1 model
   */
  public static MorphableModel read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file.toString());
    }
  }

  @SuppressWarnings("unchecked")
  private static MorphableModel read(InputStream stream, String source) throws IOException {
    DataInputStream in = new DataInputStream(stream);
    byte[] magic = new byte[8];
    in.readFully(magic);
    if (!Arrays.equals(magic, MAGIC)) {
      throw new IOException(source + ": not a facenorm morphable model (version 1)");
    }
    int len = in.readInt();
    if (len < 2 || len > 1 << 20) {
      throw new IOException(source + ": header length " + len);
    }
    byte[] hb = new byte[len];
    in.readFully(hb);
    Map<String, Object> h;
    try {
      h = (Map<String, Object>) Json.parse(new String(hb, StandardCharsets.UTF_8), source);
    } catch (RuntimeException e) {
      throw new IOException(source + ": bad header: " + e.getMessage(), e);
    }
    int n = intOf(h, "vertices", source);
    int tCount = intOf(h, "triangles", source);
    int k = intOf(h, "shapeModes", source);
    int a = intOf(h, "atlasSize", source);
    int kt = intOf(h, "textureModes", source);
    if (n < 1
        || n > 100_000
        || tCount < 0
        || tCount > 1_000_000
        || k < 0
        || k > 1000
        || a < 1
        || a > 2048
        || kt < 0
        || kt > 1000) {
      throw new IOException(source + ": implausible sizes in header " + h);
    }
    double[] mean = doubles(in, 3 * n);
    double[] uv = doubles(in, 2 * n);
    int[] tri = new int[3 * tCount];
    ByteBuffer tb = le(in, 4L * tri.length);
    for (int i = 0; i < tri.length; i++) {
      tri[i] = tb.getInt();
    }
    double[] basis = doubles(in, (long) k * 3 * n);
    double[] var = doubles(in, k);
    byte[] mask = new byte[a * a];
    in.readFully(mask);
    boolean[] m = new boolean[a * a];
    for (int i = 0; i < m.length; i++) {
      m[i] = mask[i] != 0;
    }
    float[] meanTex = floats(in, 3 * a * a);
    float[] texBasis = floats(in, (long) kt * 3 * a * a);
    double[] texVar = doubles(in, kt);
    if (in.read() != -1) {
      throw new IOException(source + ": trailing bytes after the model");
    }
    try {
      return new MorphableModel(
          new FaceMesh(mean, uv, tri), basis, var, a, m, meanTex, texBasis, texVar, h);
    } catch (IllegalArgumentException e) {
      throw new IOException(source + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes the model atomically in the version-1 format.
   *
   * @param file the destination (its directory must exist)
   * @throws IOException if writing fails
   */
  public void write(Path file) throws IOException {
    Map<String, Object> h = new LinkedHashMap<>(header);
    h.put("format", "facenorm-3dmm");
    h.put("version", 1);
    h.put("vertices", mean.vertexCount());
    h.put("triangles", mean.triangleCount());
    h.put("shapeModes", shapeModes());
    h.put("atlasSize", atlasSize);
    h.put("textureModes", textureModes());
    byte[] hb = toJson(h).getBytes(StandardCharsets.UTF_8);
    AtomicFiles.write(
        file,
        out -> {
          out.write(MAGIC);
          out.write(ByteBuffer.allocate(4).putInt(hb.length).array());
          out.write(hb);
          putDoubles(out, mean.vertices());
          putDoubles(out, mean.uv());
          int[] tri = mean.triangles();
          ByteBuffer tb = ByteBuffer.allocate(4 * tri.length).order(ByteOrder.LITTLE_ENDIAN);
          for (int t : tri) {
            tb.putInt(t);
          }
          out.write(tb.array());
          putDoubles(out, shapeBasis);
          putDoubles(out, shapeVariance);
          byte[] mask = new byte[atlasMask.length];
          for (int i = 0; i < mask.length; i++) {
            mask[i] = (byte) (atlasMask[i] ? 1 : 0);
          }
          out.write(mask);
          putFloats(out, meanTexture);
          putFloats(out, textureBasis);
          putDoubles(out, textureVariance);
        });
  }

  /**
   * The mean shape with the model's topology and UVs.
   *
   * @return the mean mesh (cm)
   */
  public FaceMesh mean() {
    return mean;
  }

  /**
   * The number of shape modes {@code K}.
   *
   * @return K
   */
  public int shapeModes() {
    return shapeVariance.length;
  }

  /**
   * The variance of each shape coefficient over the training faces.
   *
   * @return {@code [K]} in cm², descending
   */
  public double[] shapeVariance() {
    return shapeVariance.clone();
  }

  /**
   * The shape basis.
   *
   * @return {@code [K, N·3]} orthonormal rows (a copy)
   */
  public double[] shapeBasis() {
    return shapeBasis.clone();
  }

  /**
   * A shape.
   *
   * @param coefficients {@code [k]} with {@code k ≤ K}: the first {@code k} coefficients (the rest
   *     0)
   * @return the vertices {@code [N, 3]} (cm)
   */
  public double[] shape(double[] coefficients) {
    if (coefficients.length > shapeModes()) {
      throw new IllegalArgumentException(
          "coefficients: at most " + shapeModes() + " values, got " + coefficients.length);
    }
    double[] v = mean.vertices();
    int d = v.length;
    for (int k = 0; k < coefficients.length; k++) {
      double c = coefficients[k];
      for (int i = 0; i < d; i++) {
        v[i] += c * shapeBasis[k * d + i];
      }
    }
    return v;
  }

  /**
   * The UV atlas side {@code A}.
   *
   * @return A
   */
  public int atlasSize() {
    return atlasSize;
  }

  /**
   * Which atlas texels the mesh covers.
   *
   * @return {@code [A, A]} (a copy)
   */
  public boolean[] atlasMask() {
    return atlasMask.clone();
  }

  /**
   * The mean texture.
   *
   * @return {@code [A, A, 3]} RGB in {@code [0, 1]} (a copy)
   */
  public float[] meanTexture() {
    return meanTexture.clone();
  }

  /**
   * The number of texture modes {@code Kt}.
   *
   * @return Kt
   */
  public int textureModes() {
    return textureVariance.length;
  }

  /**
   * The variance of each texture coefficient.
   *
   * @return {@code [Kt]}, descending
   */
  public double[] textureVariance() {
    return textureVariance.clone();
  }

  /**
   * The texture basis.
   *
   * @return {@code [Kt, A·A·3]} (a copy)
   */
  public float[] textureBasis() {
    return textureBasis.clone();
  }

  /**
   * The header: provenance, license, caveat, numbers.
   *
   * @return an unmodifiable map
   */
  public Map<String, Object> header() {
    return header;
  }

  @Override
  public String toString() {
    return "MorphableModel["
        + header.getOrDefault("name", "unnamed")
        + ", "
        + mean.vertexCount()
        + " vertices, "
        + shapeModes()
        + " shape modes, "
        + atlasSize
        + "² atlas, "
        + textureModes()
        + " texture modes]";
  }

  private static int intOf(Map<String, Object> h, String key, String source) throws IOException {
    if (!(h.get(key) instanceof Number n)) {
      throw new IOException(source + ": header has no number '" + key + "'");
    }
    return n.intValue();
  }

  private static ByteBuffer le(DataInputStream in, long bytes) throws IOException {
    if (bytes > Integer.MAX_VALUE) {
      throw new IOException("array of " + bytes + " bytes");
    }
    byte[] b = new byte[(int) bytes];
    in.readFully(b);
    return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static double[] doubles(DataInputStream in, long n) throws IOException {
    ByteBuffer b = le(in, 4 * n);
    double[] out = new double[(int) n];
    for (int i = 0; i < out.length; i++) {
      out[i] = b.getFloat();
    }
    return out;
  }

  private static float[] floats(DataInputStream in, long n) throws IOException {
    ByteBuffer b = le(in, 4 * n);
    float[] out = new float[(int) n];
    b.asFloatBuffer().get(out);
    return out;
  }

  private static void putDoubles(OutputStream out, double[] v) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (double x : v) {
      b.putFloat((float) x);
    }
    out.write(b.array());
  }

  private static void putFloats(OutputStream out, float[] v) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(v);
    out.write(b.array());
  }

  /** Minimal JSON writer for header values (maps, lists, strings, numbers, booleans). */
  static String toJson(Object o) {
    if (o == null) {
      return "null";
    }
    if (o instanceof String s) {
      return Json.quote(s);
    }
    if (o instanceof Number n) {
      return Json.number(n.doubleValue());
    }
    if (o instanceof Boolean b) {
      return b.toString();
    }
    if (o instanceof double[] d) {
      return toJson(Arrays.stream(d).boxed().toList());
    }
    if (o instanceof Map<?, ?> m) {
      StringBuilder sb = new StringBuilder("{");
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (sb.length() > 1) {
          sb.append(", ");
        }
        sb.append(Json.quote(String.valueOf(e.getKey()))).append(": ").append(toJson(e.getValue()));
      }
      return sb.append('}').toString();
    }
    if (o instanceof Iterable<?> it) {
      StringBuilder sb = new StringBuilder("[");
      for (Object x : it) {
        if (sb.length() > 1) {
          sb.append(", ");
        }
        sb.append(toJson(x));
      }
      return sb.append(']').toString();
    }
    throw new IllegalArgumentException("header: cannot write " + o.getClass());
  }
}
