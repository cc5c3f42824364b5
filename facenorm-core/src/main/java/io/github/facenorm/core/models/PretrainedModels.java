package io.github.facenorm.core.models;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The pretrained models facenorm knows, with the SHA-256 of each of their files, read from the
 * classpath resource {@value #RESOURCE}. The fetch scripts read their pins from the same file
 * ({@code facenorm-core/src/main/resources/...}), so the JVM and the scripts cannot disagree.
 */
public final class PretrainedModels {

  /** The pin list on the classpath. */
  public static final String RESOURCE = "/io/github/facenorm/core/models/pretrained-models.txt";

  /** dlib's 68-point shape predictor ({@code libdlib-data 19.24+dfsg-1}). */
  public static final String DLIB_SHAPE_PREDICTOR_68 = "dlib/shape_predictor_68_face_landmarks";

  private static final Map<String, ModelId> MODELS = load();

  private PretrainedModels() {}

  /**
   * A pinned model by name.
   *
   * @param name e.g. {@link #DLIB_SHAPE_PREDICTOR_68} or {@code face-api/face_recognition_model}
   * @return its id
   * @throws IllegalArgumentException if no model of that name is pinned (the message lists them)
   */
  public static ModelId get(String name) {
    Objects.requireNonNull(name, "name");
    ModelId id = MODELS.get(name);
    if (id == null) {
      throw new IllegalArgumentException(
          "name: no pretrained model '" + name + "'; known: " + String.join(", ", MODELS.keySet()));
    }
    return id;
  }

  /**
   * Every pinned model, in the order of the pin list.
   *
   * @return an unmodifiable list
   */
  public static List<ModelId> all() {
    return List.copyOf(MODELS.values());
  }

  private static Map<String, ModelId> load() {
    try (InputStream in = PretrainedModels.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing classpath resource " + RESOURCE);
      }
      return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  /** Parses the pin list: {@code name version fetch-script sha256 path} a line, # comments. */
  static Map<String, ModelId> parse(BufferedReader r) throws IOException {
    Map<String, String[]> heads = new LinkedHashMap<>();
    Map<String, List<ModelFile>> files = new LinkedHashMap<>();
    String line;
    int n = 0;
    while ((line = r.readLine()) != null) {
      n++;
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("#")) {
        continue;
      }
      String[] f = t.split("\\s+");
      if (f.length != 5) {
        throw new IllegalStateException(
            RESOURCE + " line " + n + ": expected 5 fields (name version script sha256 path)");
      }
      int slash = f[4].lastIndexOf('/');
      if (slash <= 0) {
        throw new IllegalStateException(
            RESOURCE + " line " + n + ": path '" + f[4] + "' must be inside a directory");
      }
      String[] head = {f[1], f[4].substring(0, slash), f[2]};
      String[] prev = heads.putIfAbsent(f[0], head);
      if (prev != null && !java.util.Arrays.equals(prev, head)) {
        throw new IllegalStateException(
            RESOURCE + " line " + n + ": " + f[0] + " has files in two versions or directories");
      }
      files
          .computeIfAbsent(f[0], k -> new ArrayList<>())
          .add(new ModelFile(f[4].substring(slash + 1), f[3]));
    }
    Map<String, ModelId> out = new LinkedHashMap<>();
    for (Map.Entry<String, String[]> e : heads.entrySet()) {
      String[] h = e.getValue();
      out.put(e.getKey(), new ModelId(e.getKey(), h[0], h[1], files.get(e.getKey()), h[2]));
    }
    return Collections.unmodifiableMap(out);
  }
}
