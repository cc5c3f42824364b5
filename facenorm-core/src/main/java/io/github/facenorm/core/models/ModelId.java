package io.github.facenorm.core.models;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Names a model in the {@link ModelStore}, as DJL's {@code Criteria} names what to load rather than
 * how: which model, which version, where under the cache root it lives, and the SHA-256 of every
 * file it is made of. A pretrained model's id comes from {@link PretrainedModels}; models trained
 * with facenorm (the normalizer models) are named the same way.
 *
 * @param name the model's name, e.g. {@code face-api/face_recognition_model}: letters, digits and
 *     {@code . _ - /}
 * @param version its version, e.g. {@code 1.7.15}: letters, digits and {@code . _ - +}
 * @param directory where its files live, relative to the cache root, {@code /}-separated (e.g.
 *     {@code face-api/1.7.15})
 * @param files its files, at least one; the first is the model's main file (the one a loader opens:
 *     the dlib {@code .dat}, a tfjs manifest)
 * @param fetchHint what the user should run when the model is missing or corrupt, e.g. {@code
 *     scripts/fetch-face-api.sh}
 */
public record ModelId(
    String name, String version, String directory, List<ModelFile> files, String fetchHint) {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._/-]+");
  private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9._+-]+");

  /**
   * Validates the id and copies the file list.
   *
   * @param name the name
   * @param version the version
   * @param directory the directory under the cache root
   * @param files the files, at least one, with distinct paths
   * @param fetchHint the fetch command
   * @throws IllegalArgumentException naming the component that is malformed
   */
  public ModelId {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(fetchHint, "fetchHint");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "name: expected letters, digits and . _ - /, got '" + name + "'");
    }
    if (!VERSION.matcher(version).matches()) {
      throw new IllegalArgumentException(
          "version: expected letters, digits and . _ - +, got '" + version + "'");
    }
    checkRelative("directory", directory);
    files = List.copyOf(files);
    if (files.isEmpty()) {
      throw new IllegalArgumentException("files: expected at least one file for " + name);
    }
    if (files.stream().map(ModelFile::path).distinct().count() != files.size()) {
      throw new IllegalArgumentException("files: duplicate paths in " + files);
    }
  }

  /**
   * The model's main file.
   *
   * @return the first of {@link #files()}
   */
  public ModelFile mainFile() {
    return files.get(0);
  }

  /**
   * {@code name@version}.
   *
   * @return the coordinates
   */
  public String coordinates() {
    return name + "@" + version;
  }

  static void checkRelative(String what, String path) {
    boolean ok = !path.isEmpty() && !path.startsWith("/") && path.indexOf('\\') < 0;
    if (ok) {
      for (String seg : path.split("/", -1)) {
        if (seg.isEmpty() || seg.equals(".") || seg.equals("..")) {
          ok = false;
          break;
        }
      }
    }
    if (!ok) {
      throw new IllegalArgumentException(
          what
              + ": expected a relative '/'-separated path without empty, '.' or '..' segments, got '"
              + path
              + "'");
    }
  }
}
