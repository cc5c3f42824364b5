package io.github.facenorm.models.nets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Where the face-api weights live on this machine, and loading them. The weights are never
 * downloaded by the library: {@code scripts/fetch-face-api.sh} fetches them (with npm's own client,
 * checksummed) into {@code <cache>/face-api/1.7.15/}, where {@code <cache>} is the system property
 * {@code facenorm.cache}, else the environment variable {@code FACENORM_CACHE}, else {@code
 * ~/.cache/facenorm}.
 */
public final class FaceApiModels {
  /** The face-api version whose weights these ports match. */
  public static final String VERSION = "1.7.15";

  /** Manifest base name of the recognition ResNet. */
  public static final String FACE_RECOGNITION = "face_recognition_model";

  /** Manifest base name of the 68-point landmark net. */
  public static final String FACE_LANDMARK_68 = "face_landmark_68_model";

  /** Manifest base name of the tiny face detector. */
  public static final String TINY_FACE_DETECTOR = "tiny_face_detector_model";

  private FaceApiModels() {}

  /**
   * The cache root: {@code facenorm.cache}, {@code FACENORM_CACHE}, or {@code ~/.cache/facenorm}.
   *
   * @return the cache root (it may not exist)
   */
  public static Path cacheRoot() {
    String p = System.getProperty("facenorm.cache");
    if (p == null || p.isBlank()) {
      p = System.getenv("FACENORM_CACHE");
    }
    if (p == null || p.isBlank()) {
      return Paths.get(System.getProperty("user.home"), ".cache", "facenorm");
    }
    return Paths.get(p);
  }

  /**
   * The directory holding the face-api weights.
   *
   * @return {@code <cache>/face-api/1.7.15}
   */
  public static Path directory() {
    return cacheRoot().resolve("face-api").resolve(VERSION);
  }

  /**
   * The manifest path of one model.
   *
   * @param model a manifest base name such as {@link #FACE_RECOGNITION}
   * @return {@code <dir>/<model>-weights_manifest.json}
   */
  public static Path manifest(String model) {
    return directory().resolve(model + "-weights_manifest.json");
  }

  /**
   * Whether a model's manifest is in the cache.
   *
   * @param model a manifest base name
   * @return true if the manifest file exists
   */
  public static boolean isAvailable(String model) {
    return Files.isRegularFile(manifest(model));
  }

  /**
   * Reads one model's weights from the cache.
   *
   * @param model a manifest base name such as {@link #FACE_RECOGNITION}
   * @return the weights
   * @throws IllegalStateException if the model is not in the cache (the message says how to fetch
   *     it)
   * @throws UncheckedIOException if the cached files are corrupt
   */
  public static TfjsWeights load(String model) {
    Path m = manifest(model);
    if (!Files.isRegularFile(m)) {
      throw new IllegalStateException(
          "face-api model '"
              + model
              + "' not found at "
              + m
              + ": run scripts/fetch-face-api.sh (it caches the weights of @vladmandic/face-api@"
              + VERSION
              + " under ${FACENORM_CACHE:-~/.cache/facenorm}/face-api/"
              + VERSION
              + "), or point the system property facenorm.cache or FACENORM_CACHE at a cache"
              + " that has them");
    }
    try {
      return TfjsWeights.read(m);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read face-api model '"
              + model
              + "' (re-run scripts/fetch-face-api.sh): "
              + e.getMessage(),
          e);
    }
  }
}
