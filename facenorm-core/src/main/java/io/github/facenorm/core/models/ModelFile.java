package io.github.facenorm.core.models;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One file of a model, pinned by its SHA-256.
 *
 * @param path the file's path relative to its model's directory, {@code /}-separated, without
 *     {@code .} or {@code ..} segments (e.g. {@code face_recognition_model.bin})
 * @param sha256 the file's SHA-256, 64 lower-case hex digits
 */
public record ModelFile(String path, String sha256) {

  private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

  /**
   * Validates the path and the hash (upper-case hex is accepted and lower-cased).
   *
   * @param path the relative path
   * @param sha256 the SHA-256 in hex
   * @throws IllegalArgumentException if the path is empty, absolute or escapes the model's
   *     directory, or the hash is not 64 hex digits
   */
  public ModelFile {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(sha256, "sha256");
    sha256 = sha256.toLowerCase(Locale.ROOT);
    if (!HEX.matcher(sha256).matches()) {
      throw new IllegalArgumentException(
          "sha256: expected 64 hex digits, got '" + sha256 + "' for " + path);
    }
    ModelId.checkRelative("path", path);
  }
}
