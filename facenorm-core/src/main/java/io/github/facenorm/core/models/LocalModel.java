package io.github.facenorm.core.models;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A model found in the cache with every file's SHA-256 checked: what {@link ModelStore#resolve}
 * returns.
 *
 * @param id the model
 * @param directory the model's directory in the cache (absolute)
 */
public record LocalModel(ModelId id, Path directory) {

  /**
   * Checks the arguments.
   *
   * @param id the model
   * @param directory its directory
   */
  public LocalModel {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(directory, "directory");
  }

  /**
   * The model's main file ({@link ModelId#mainFile()}).
   *
   * @return its path
   */
  public Path mainFile() {
    return file(id.mainFile());
  }

  /**
   * Where one of the model's files is.
   *
   * @param file one of {@code id().files()}
   * @return its path
   * @throws IllegalArgumentException if the file is not one of the model's
   */
  public Path file(ModelFile file) {
    if (!id.files().contains(file)) {
      throw new IllegalArgumentException("file: " + file + " is not a file of " + id.coordinates());
    }
    return directory.resolve(file.path());
  }
}
