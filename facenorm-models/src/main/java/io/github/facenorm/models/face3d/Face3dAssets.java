package io.github.facenorm.models.face3d;

import io.github.facenorm.core.internal.Sha256;
import io.github.facenorm.core.models.ModelStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The npm files the face3d package reads, found in facenorm's model cache and checked against their
 * pinned SHA-256 before use. The pins are in one list on the classpath ({@value #PINS}), which
 * {@code scripts/fetch-face3d.sh} reads too; that script (run by {@code scripts/fetch-models.sh})
 * brings the files with {@code npm pack}. The library never downloads.
 *
 * <ul>
 *   <li>{@value #PACKED_ASSETS} and {@value #PACKED_ASSETS_LOADER}: npm package
 *       &#64;mediapipe/face_mesh 0.4.1657299874 (Apache-2.0), holding the canonical face mesh;
 *   <li>{@value #FACEMESH_JSON}, {@value #FACEMESH_BIN}: &#64;vladmandic/human 3.3.6 (MIT; the
 *       model is MediaPipe's, Apache-2.0), the facemesh tfjs graph; {@value #FACEMESH_COORDS}, its
 *       {@code VTX68} map.
 * </ul>
 *
 * Thread-safe.
 */
public final class Face3dAssets {

  /** The pin list resource. */
  public static final String PINS = "/io/github/facenorm/models/face3d/face3d-assets.txt";

  /** MediaPipe's packed solution assets (an Emscripten file-packager blob). */
  public static final String PACKED_ASSETS = "face_mesh_solution_packed_assets.data";

  /** The loader script holding the blob's file table. */
  public static final String PACKED_ASSETS_LOADER = "face_mesh_solution_packed_assets_loader.js";

  /** The facemesh graph model. */
  public static final String FACEMESH_JSON = "facemesh.json";

  /** The facemesh weights (float16). */
  public static final String FACEMESH_BIN = "facemesh.bin";

  /** human's {@code facemeshcoords.ts} (UV468, VTX68). */
  public static final String FACEMESH_COORDS = "facemeshcoords.ts";

  private record Pin(String sha256, String path) {}

  private static final Map<String, Pin> PIN_LIST = loadPins();

  private final Path root;
  private final Map<String, Path> verified = new ConcurrentHashMap<>();

  private Face3dAssets(Path root) {
    this.root = root;
  }

  /**
   * The assets in the default cache ({@link ModelStore#defaultRoot()}).
   *
   * @return the asset set (files are checked when first asked for)
   */
  public static Face3dAssets open() {
    return new Face3dAssets(ModelStore.defaultRoot());
  }

  /**
   * The assets under a given cache root.
   *
   * @param root the cache root ({@code FACENORM_CACHE})
   * @return the asset set
   */
  public static Face3dAssets at(Path root) {
    return new Face3dAssets(Objects.requireNonNull(root, "root"));
  }

  /**
   * Whether every pinned file is present (sizes and checksums are checked by {@link #file}).
   *
   * @return true when all files exist
   */
  public boolean isPresent() {
    return PIN_LIST.values().stream().allMatch(p -> Files.isRegularFile(root.resolve(p.path())));
  }

  /**
   * A pinned file, checked against its SHA-256 (once per instance).
   *
   * @param name one of the file-name constants of this class
   * @return its path in the cache
   * @throws IOException if it is missing or its checksum differs (the message names the fetch
   *     script)
   * @throws IllegalArgumentException if {@code name} is not pinned
   */
  public Path file(String name) throws IOException {
    Pin pin = PIN_LIST.get(name);
    if (pin == null) {
      throw new IllegalArgumentException(
          "name: no face3d asset '" + name + "'; known: " + String.join(", ", PIN_LIST.keySet()));
    }
    Path cached = verified.get(name);
    if (cached != null) {
      return cached;
    }
    Path f = root.resolve(pin.path());
    if (!Files.isRegularFile(f)) {
      throw new IOException(
          "face3d asset " + name + " not found at " + f + ": run scripts/fetch-face3d.sh");
    }
    String actual = Sha256.hex(f);
    if (!actual.equals(pin.sha256())) {
      throw new IOException(
          "face3d asset "
              + f
              + ": sha256 "
              + actual
              + ", expected "
              + pin.sha256()
              + ": run scripts/fetch-face3d.sh again");
    }
    verified.put(name, f);
    return f;
  }

  @Override
  public String toString() {
    return "Face3dAssets[" + root + "]";
  }

  private static Map<String, Pin> loadPins() {
    Map<String, Pin> pins = new LinkedHashMap<>();
    try (InputStream in = Face3dAssets.class.getResourceAsStream(PINS)) {
      if (in == null) {
        throw new IllegalStateException("resource " + PINS + " missing from the classpath");
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        String t = line.strip();
        if (t.isEmpty() || t.startsWith("#")) {
          continue;
        }
        List<String> f = List.of(t.split("\\s+"));
        if (f.size() != 5) {
          throw new IllegalStateException(PINS + ": bad line '" + t + "'");
        }
        String path = f.get(4);
        pins.put(path.substring(path.lastIndexOf('/') + 1), new Pin(f.get(3), path));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return pins;
  }
}
