package io.github.facenorm.models.nets;

import io.github.facenorm.core.models.ModelId;
import io.github.facenorm.core.models.ModelStore;
import io.github.facenorm.core.models.PretrainedModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * face-api's weights in core's {@link ModelStore}. The weights are never downloaded by the library:
 * {@code scripts/fetch-face-api.sh} fetches them (with npm's own client, checksummed) into {@code
 * <cache>/face-api/1.7.15/}, {@code <cache>} being {@link ModelStore#defaultRoot()}. Every manifest
 * and shard is checked against its SHA-256 pinned in {@link PretrainedModels} when it is loaded.
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
   * The model store's id of one of the nets: its manifest and shards with their pinned SHA-256.
   *
   * @param model a manifest base name such as {@link #FACE_RECOGNITION}
   * @return the id ({@code face-api/<model>@1.7.15})
   * @throws IllegalArgumentException if the name is not one of the three nets
   */
  public static ModelId modelId(String model) {
    return PretrainedModels.get("face-api/" + model);
  }

  /**
   * The directory holding the face-api weights in the default store.
   *
   * @return {@code <cache>/face-api/1.7.15}
   */
  public static Path directory() {
    return ModelStore.open().directory(modelId(FACE_RECOGNITION));
  }

  /**
   * Whether a model's files are all in the default store (hashes are checked at load).
   *
   * @param model a manifest base name
   * @return true if every file exists
   */
  public static boolean isAvailable(String model) {
    return ModelStore.open().isCached(modelId(model));
  }

  /**
   * Reads one model's weights from the default store.
   *
   * @param model a manifest base name such as {@link #FACE_RECOGNITION}
   * @return the weights
   * @throws IllegalStateException if a file is not in the cache (the message names it and says how
   *     to fetch it)
   * @throws UncheckedIOException if a cached file is corrupt (wrong SHA-256) or unreadable
   */
  public static TfjsWeights load(String model) {
    return load(ModelStore.open(), model);
  }

  /**
   * Reads one model's weights from a store.
   *
   * @param store the store
   * @param model a manifest base name such as {@link #FACE_RECOGNITION}
   * @return the weights
   * @throws IllegalStateException if a file is not in the store (the message names it and says how
   *     to fetch it)
   * @throws UncheckedIOException if a file is corrupt (wrong SHA-256) or unreadable
   */
  public static TfjsWeights load(ModelStore store, String model) {
    ModelId id = modelId(model);
    Path manifest;
    try {
      manifest = store.resolve(id).mainFile();
    } catch (NoSuchFileException e) {
      throw new IllegalStateException(
          "face-api model '" + model + "' not found at " + e.getFile() + ": " + e.getReason(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
    try {
      return TfjsWeights.read(manifest);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read face-api model '"
              + model
              + "' (re-run "
              + id.fetchHint()
              + "): "
              + e.getMessage(),
          e);
    }
  }
}
