package io.github.facenorm.models.normalize;

import io.github.facenorm.core.Landmarks;
import io.github.facenorm.core.internal.AtomicFiles;
import io.github.facenorm.core.internal.Sha256;
import io.github.facenorm.models.decoder.Decoders;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A normalizer network (paper Fig. 3) with its sizes and statistics: the recognition net's pooled
 * features {@code [B, 256]} are standardized, pass a trainable FC/ReLU layer to {@code f} dims (the
 * encoder's trainable part) and are decoded into landmarks {@code [B, 68, 2]} (frame pixels, x then
 * y) and a texture {@code [B, S, S, 3]} in the mean-landmark geometry ({@link #meanLandmarks()}).
 *
 * <p>On disk a model is a folder: {@value #CONFIG_FILE} (sizes and provenance), {@value
 * #WEIGHTS_FILE} (every array, float32, by name) and {@value #CHECKSUM_FILE} (the sha256 of the
 * other two, checked at load). The graph is rebuilt from the sizes, so models do not depend on
 * SameDiff's serialization format.
 */
public final class NormalizerModel {

  /** Sizes and provenance file. */
  public static final String CONFIG_FILE = "model.properties";

  /** Weights file. */
  public static final String WEIGHTS_FILE = "weights.bin";

  /** Checksum file: {@code <sha256> <file>} lines. */
  public static final String CHECKSUM_FILE = "model.sha256";

  /** Name of the features placeholder, {@code [B, 256]}. */
  public static final String FEATURES = "features";

  /** Name of the landmarks output, {@code [B, 68, 2]}. */
  public static final String LANDMARKS = "landmarks";

  /**
   * Name of the texture output, {@code [B, S, S, 3]}: the texture in the mean-landmark geometry, or
   * for a {@link ModelConfig.Decoder#PLAIN_CNN} model the finished image.
   */
  public static final String TEXTURE = "texture";

  private static final int MAGIC = 0x464e4e57; // "FNNW"
  private static final int FORMAT = 1;
  private static final String META = "meta/";

  private final ModelConfig config;
  private final INDArray meanLandmarks;
  private final INDArray featureMean;
  private final INDArray featureStd;
  private final SameDiff sd;
  private final Map<String, String> info;

  private NormalizerModel(
      ModelConfig config,
      INDArray meanLandmarks,
      INDArray featureMean,
      INDArray featureStd,
      long seed,
      Map<String, String> info) {
    this.config = config;
    this.meanLandmarks = meanLandmarks;
    this.featureMean = featureMean;
    this.featureStd = featureStd;
    this.info = new LinkedHashMap<>(info);
    this.sd = build(config, meanLandmarks, featureMean, featureStd, seed);
  }

  /**
   * A new, untrained model with seeded He-normal initial weights.
   *
   * @param config the sizes
   * @param meanLandmarks {@code L̄}, the textures' geometry, in frame pixels
   * @param featureMean per-feature mean of the training inputs, 256 values
   * @param featureStd per-feature standard deviation, 256 positive values
   * @param seed initial-weight seed
   * @return the model
   */
  public static NormalizerModel create(
      ModelConfig config,
      Landmarks meanLandmarks,
      float[] featureMean,
      float[] featureStd,
      long seed) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(meanLandmarks, "meanLandmarks");
    checkStats(featureMean, featureStd);
    return new NormalizerModel(
        config,
        Nd4j.createFromArray(meanLandmarks.toArray()).castTo(DataType.FLOAT),
        Nd4j.createFromArray(featureMean),
        Nd4j.createFromArray(featureStd),
        seed,
        Map.of());
  }

  private static void checkStats(float[] mean, float[] std) {
    Objects.requireNonNull(mean, "featureMean");
    Objects.requireNonNull(std, "featureStd");
    if (mean.length != ModelConfig.INPUT_FEATURES || std.length != ModelConfig.INPUT_FEATURES) {
      throw new IllegalArgumentException(
          "featureMean, featureStd: expected "
              + ModelConfig.INPUT_FEATURES
              + " values each, got "
              + mean.length
              + " and "
              + std.length);
    }
    for (int i = 0; i < std.length; i++) {
      if (!(std[i] > 0) || !Float.isFinite(std[i]) || !Float.isFinite(mean[i])) {
        throw new IllegalArgumentException(
            "featureStd["
                + i
                + "]: expected a finite positive value (and a finite mean), got "
                + std[i]
                + " (mean "
                + mean[i]
                + ")");
      }
    }
  }

  private static SameDiff build(
      ModelConfig c, INDArray meanLm, INDArray fMean, INDArray fStd, long seed) {
    SameDiff sd = SameDiff.create();
    SDVariable features = sd.placeHolder(FEATURES, DataType.FLOAT, -1, ModelConfig.INPUT_FEATURES);
    SDVariable x =
        features
            .sub(sd.constant(META + "featureMean", fMean.reshape(1, ModelConfig.INPUT_FEATURES)))
            .div(sd.constant(META + "featureStd", fStd.reshape(1, ModelConfig.INPUT_FEATURES)));
    SDVariable h =
        Decoders.dense(
            sd, "encoder", x, ModelConfig.INPUT_FEATURES, c.featureDim(), new Random(seed), true);
    Decoders.landmarkMlp(
            sd,
            "landmarkMlp",
            h,
            c.featureDim(),
            c.landmarkHidden(),
            meanLm,
            c.frameSize(),
            seed + 1)
        .rename(LANDMARKS);
    SDVariable texture =
        switch (c.decoder()) {
          case CNN ->
              Decoders.textureCnn(
                  sd, "textureCnn", h, c.featureDim(), c.grid(), c.channels(), seed + 2);
          case FULLY_CONNECTED ->
              Decoders.fullyConnectedTexture(
                  sd, "textureFc", h, c.featureDim(), c.frameSize(), seed + 2);
          case PLAIN_CNN ->
              Decoders.plainCnn(
                  sd, "plainCnn", h, c.featureDim(), c.grid(), c.channels(), seed + 2);
        };
    texture.rename(TEXTURE);
    return sd;
  }

  /** The sizes. */
  public ModelConfig config() {
    return config;
  }

  /** The texture geometry {@code L̄} in frame pixels. */
  public Landmarks meanLandmarks() {
    return Landmarks.fromINDArray(meanLandmarks.castTo(DataType.DOUBLE));
  }

  /**
   * The graph: placeholder {@value #FEATURES}, outputs {@value #LANDMARKS} and {@value #TEXTURE}.
   * Trainers add their losses to it.
   */
  public SameDiff graph() {
    return sd;
  }

  /** Provenance recorded with the model (training command, seed, steps, metrics...). */
  public Map<String, String> info() {
    return Map.copyOf(info);
  }

  /**
   * Records a provenance entry, saved with the model.
   *
   * @param key the key (letters, digits, dots)
   * @param value the value
   */
  public void putInfo(String key, String value) {
    info.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
  }

  /**
   * The trainable variables, in a fixed order.
   *
   * @return their names
   */
  public List<String> trainableVariables() {
    return sd.variables().stream()
        .filter(v -> v.getVariableType() == VariableType.VARIABLE)
        .map(SDVariable::name)
        .sorted()
        .toList();
  }

  /**
   * Decodes features.
   *
   * @param features {@code [B, 256]} pooled features of face chips
   * @return landmarks {@code [B, 68, 2]} and texture {@code [B, S, S, 3]}
   */
  public synchronized Decoded decode(INDArray features) {
    Objects.requireNonNull(features, "features");
    if (features.rank() != 2 || features.size(1) != ModelConfig.INPUT_FEATURES) {
      throw new IllegalArgumentException(
          "features: expected [B, "
              + ModelConfig.INPUT_FEATURES
              + "], got "
              + Arrays.toString(features.shape()));
    }
    Map<String, INDArray> out =
        sd.output(Map.of(FEATURES, features.castTo(DataType.FLOAT)), LANDMARKS, TEXTURE);
    return new Decoded(out.get(LANDMARKS).dup(), out.get(TEXTURE).dup());
  }

  /**
   * Decoded outputs.
   *
   * @param landmarks {@code [B, 68, 2]} frame pixels
   * @param texture {@code [B, S, S, 3]} in (0, 1)
   */
  public record Decoded(INDArray landmarks, INDArray texture) {}

  /**
   * Saves the model into a folder (created), atomically file by file, checksum last.
   *
   * @param dir the folder
   * @throws IOException if writing fails
   */
  public void save(Path dir) throws IOException {
    Files.createDirectories(dir);
    Properties p = new Properties();
    p.setProperty("format", "facenorm-normalizer/" + FORMAT);
    p.setProperty("preset", config.name());
    p.setProperty("frameSize", Integer.toString(config.frameSize()));
    p.setProperty("interocular", Double.toString(config.interocular()));
    p.setProperty("eyeHeight", Double.toString(config.eyeHeight()));
    p.setProperty("featureDim", Integer.toString(config.featureDim()));
    p.setProperty("landmarkHidden", Integer.toString(config.landmarkHidden()));
    p.setProperty("grid", Integer.toString(config.grid()));
    p.setProperty(
        "channels",
        String.join(",", Arrays.stream(config.channels()).mapToObj(Integer::toString).toList()));
    if (config.decoder() != ModelConfig.Decoder.CNN) {
      p.setProperty("decoder", config.decoder().id()); // absent: the paper's (files before it)
    }
    for (Map.Entry<String, String> e : info.entrySet()) {
      p.setProperty("info." + e.getKey(), e.getValue());
    }
    AtomicFiles.write(
        dir.resolve(CONFIG_FILE),
        out -> {
          Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
          p.store(w, "facenorm normalizer model"); // flushes w
        });
    Map<String, INDArray> arrays = new LinkedHashMap<>();
    arrays.put(META + "meanLandmarks", meanLandmarks);
    arrays.put(META + "featureMean", featureMean);
    arrays.put(META + "featureStd", featureStd);
    for (String v : trainableVariables()) {
      arrays.put(v, sd.getArrForVarName(v));
    }
    AtomicFiles.write(
        dir.resolve(WEIGHTS_FILE),
        out -> {
          DataOutputStream d = new DataOutputStream(new BufferedOutputStream(out, 1 << 16));
          writeArrays(d, arrays);
          d.flush();
        });
    AtomicFiles.writeString(
        dir.resolve(CHECKSUM_FILE),
        Sha256.hex(dir.resolve(CONFIG_FILE))
            + "  "
            + CONFIG_FILE
            + "\n"
            + Sha256.hex(dir.resolve(WEIGHTS_FILE))
            + "  "
            + WEIGHTS_FILE
            + "\n");
  }

  /**
   * Writes named float arrays.
   *
   * @param out the stream
   * @param arrays name → array
   * @throws IOException if writing fails
   */
  public static void writeArrays(DataOutputStream out, Map<String, INDArray> arrays)
      throws IOException {
    out.writeInt(MAGIC);
    out.writeInt(FORMAT);
    out.writeInt(arrays.size());
    for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
      INDArray a = e.getValue();
      out.writeUTF(e.getKey());
      out.writeInt(a.rank());
      for (long d : a.shape()) {
        out.writeLong(d);
      }
      float[] v = a.castTo(DataType.FLOAT).dup('c').data().asFloat();
      java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(v.length * 4);
      buf.asFloatBuffer().put(v);
      out.write(buf.array());
    }
  }

  /**
   * Reads named float arrays written by {@link #writeArrays}.
   *
   * @param in the stream
   * @param what the file, for messages
   * @return name → array
   * @throws IOException if the data is not such a file
   */
  public static Map<String, INDArray> readArrays(DataInputStream in, String what)
      throws IOException {
    if (in.readInt() != MAGIC || in.readInt() != FORMAT) {
      throw new IOException(what + ": not a facenorm weights file (format " + FORMAT + ")");
    }
    int n = in.readInt();
    if (n < 0 || n > 100_000) {
      throw new IOException(what + ": implausible array count " + n);
    }
    Map<String, INDArray> out = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      String name = in.readUTF();
      int rank = in.readInt();
      if (rank < 0 || rank > 8) {
        throw new IOException(what + ": array " + name + " has implausible rank " + rank);
      }
      long[] shape = new long[rank];
      long len = 1;
      for (int k = 0; k < rank; k++) {
        shape[k] = in.readLong();
        if (shape[k] < 0 || shape[k] > 1 << 28) {
          throw new IOException(what + ": array " + name + " has implausible shape");
        }
        len *= shape[k];
      }
      if (len > 1 << 28) {
        throw new IOException(what + ": array " + name + " is implausibly large (" + len + ")");
      }
      byte[] b = new byte[Math.toIntExact(len * 4)];
      in.readFully(b);
      float[] v = new float[(int) len];
      java.nio.ByteBuffer.wrap(b).asFloatBuffer().get(v);
      out.put(name, Nd4j.create(v, shape, 'c'));
    }
    return out;
  }

  /**
   * Loads a model folder written by {@link #save}, checking its checksums first.
   *
   * @param dir the folder
   * @return the model
   * @throws IOException if a file is missing, corrupt (checksum mismatch) or not a model
   */
  public static NormalizerModel load(Path dir) throws IOException {
    Objects.requireNonNull(dir, "dir");
    Path sums = dir.resolve(CHECKSUM_FILE);
    if (!Files.isRegularFile(sums)) {
      throw new IOException(
          "model: " + dir + " is not a facenorm model folder (no " + CHECKSUM_FILE + ")");
    }
    for (String line : Files.readAllLines(sums, StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      String[] parts = line.trim().split("\\s+", 2);
      if (parts.length != 2 || parts[1].contains("/") || parts[1].contains("\\")) {
        throw new IOException(dir.resolve(CHECKSUM_FILE) + ": malformed line '" + line + "'");
      }
      Path f = dir.resolve(parts[1]);
      String actual = Sha256.hex(f);
      if (!actual.equals(parts[0])) {
        throw new IOException(
            f + ": sha256 mismatch (expected " + parts[0] + ", got " + actual + "): corrupt model");
      }
    }
    return read(
        () -> Files.newInputStream(dir.resolve(CONFIG_FILE)),
        () -> Files.newInputStream(dir.resolve(WEIGHTS_FILE)),
        dir.toString());
  }

  /**
   * Loads a model from two streams whose checksums were already checked (e.g. class-path
   * resources).
   *
   * @param config opens {@value #CONFIG_FILE}
   * @param weights opens {@value #WEIGHTS_FILE}
   * @param what where it comes from, for messages
   * @return the model
   * @throws IOException if the data is not a model
   */
  static NormalizerModel read(Opener config, Opener weights, String what) throws IOException {
    Properties p = new Properties();
    try (Reader r = new java.io.InputStreamReader(config.open(), StandardCharsets.UTF_8)) {
      p.load(r);
    }
    if (!("facenorm-normalizer/" + FORMAT).equals(p.getProperty("format"))) {
      throw new IOException(
          what
              + ": "
              + CONFIG_FILE
              + " has format "
              + p.getProperty("format")
              + ", expected "
              + "facenorm-normalizer/"
              + FORMAT);
    }
    ModelConfig c;
    try {
      c =
          new ModelConfig(
              p.getProperty("preset"),
              Integer.parseInt(p.getProperty("frameSize")),
              Double.parseDouble(p.getProperty("interocular")),
              Double.parseDouble(p.getProperty("eyeHeight")),
              Integer.parseInt(p.getProperty("featureDim")),
              Integer.parseInt(p.getProperty("landmarkHidden")),
              Integer.parseInt(p.getProperty("grid")),
              Arrays.stream(p.getProperty("channels").split(","))
                  .mapToInt(Integer::parseInt)
                  .toArray(),
              ModelConfig.Decoder.of(p.getProperty("decoder", ModelConfig.Decoder.CNN.id())));
    } catch (RuntimeException e) {
      throw new IOException(what + ": " + CONFIG_FILE + " has bad sizes: " + e.getMessage(), e);
    }
    Map<String, String> info = new LinkedHashMap<>();
    for (String k : p.stringPropertyNames().stream().sorted().toList()) {
      if (k.startsWith("info.")) {
        info.put(k.substring(5), p.getProperty(k));
      }
    }
    Map<String, INDArray> arrays;
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(weights.open(), 1 << 16))) {
      arrays = readArrays(in, what + "/" + WEIGHTS_FILE);
    }
    INDArray meanLm = require(arrays, META + "meanLandmarks", what);
    INDArray fMean = require(arrays, META + "featureMean", what);
    INDArray fStd = require(arrays, META + "featureStd", what);
    NormalizerModel m = new NormalizerModel(c, meanLm, fMean, fStd, 0, info);
    for (String v : m.trainableVariables()) {
      INDArray a = require(arrays, v, what);
      INDArray target = m.sd.getArrForVarName(v);
      if (!Arrays.equals(a.shape(), target.shape())) {
        throw new IOException(
            what
                + ": weight "
                + v
                + " has shape "
                + Arrays.toString(a.shape())
                + ", the model "
                + "needs "
                + Arrays.toString(target.shape()));
      }
      target.assign(a);
    }
    return m;
  }

  private static INDArray require(Map<String, INDArray> arrays, String name, String what)
      throws IOException {
    INDArray a = arrays.get(name);
    if (a == null) {
      throw new IOException(what + ": " + WEIGHTS_FILE + " lacks the array " + name);
    }
    return a;
  }

  /** Opens a stream. */
  @FunctionalInterface
  interface Opener {
    InputStream open() throws IOException;
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "NormalizerModel[%s]", config);
  }
}
