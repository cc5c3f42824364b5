package io.github.facenorm.core.batch;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One input of a batch: the file to read and the name its outputs are written under.
 *
 * @param source the input file
 * @param name the path relative to the directory it was found in (or the file's base name when the
 *     file was given directly), with {@code /} separators and its extension, e.g. {@code
 *     a/one.jpg}; outputs go to {@code <out>/<name without extension><output extension>}
 */
public record BatchItem(Path source, String name) {

  /**
   * Checks the fields.
   *
   * @throws IllegalArgumentException if the name is empty, absolute or leaves its directory
   */
  public BatchItem {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(name, "name");
    if (name.isEmpty()
        || name.startsWith("/")
        || name.contains("\\")
        || name.equals("..")
        || name.startsWith("../")
        || name.contains("/../")
        || name.endsWith("/..")) {
      throw new IllegalArgumentException(
          "name: expected a relative path with '/' separators inside the output folder, got '"
              + name
              + "'");
    }
  }

  /**
   * The name without its extension: {@code a/one.jpg} gives {@code a/one}.
   *
   * @return the stem outputs are named after
   */
  public String stem() {
    int slash = name.lastIndexOf('/');
    int dot = name.lastIndexOf('.');
    return dot > slash + 1 ? name.substring(0, dot) : name;
  }

  /**
   * Where an output of this item goes.
   *
   * @param outDir the output folder
   * @param extension the output's extension with its dot, e.g. {@code .png}
   * @return {@code <outDir>/<stem><extension>}
   */
  public Path output(Path outDir, String extension) {
    return outDir.resolve(stem() + extension);
  }
}
