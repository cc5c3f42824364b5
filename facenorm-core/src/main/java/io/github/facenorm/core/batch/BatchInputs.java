package io.github.facenorm.core.batch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Lists the inputs of a batch from command-line arguments: files and directories.
 *
 * <p>A directory is searched recursively for files with one of the given extensions (case ignored;
 * hidden files and the output folder left out), sorted by relative path; each item is named by its
 * path relative to that directory. A file is taken as it is, whatever its extension, and named by
 * its base name: a text file given where a photo is expected is an input that fails to decode, not
 * a list of photos.
 */
public final class BatchInputs {

  /** The photo extensions a directory is searched for. */
  public static final Set<String> IMAGE_EXTENSIONS = Set.of(".jpg", ".jpeg", ".png");

  private BatchInputs() {}

  /**
   * Lists the items of the given files and directories.
   *
   * @param inputs files and directories, in the order given
   * @param extensions the extensions (with their dots, lower case) a directory is searched for
   * @param exclude a directory to leave out (the output folder, if it is inside an input), or null
   * @return the items, directories' contents sorted by relative path
   * @throws IOException if an input does not exist or cannot be read
   * @throws IllegalArgumentException if two items would write the same outputs
   */
  public static List<BatchItem> list(List<Path> inputs, Set<String> extensions, Path exclude)
      throws IOException {
    Objects.requireNonNull(inputs, "inputs");
    Objects.requireNonNull(extensions, "extensions");
    Path ex = exclude == null ? null : exclude.toAbsolutePath().normalize();
    List<BatchItem> items = new ArrayList<>();
    for (Path input : inputs) {
      Objects.requireNonNull(input, "input");
      Path abs = input.toAbsolutePath().normalize();
      if (Files.isDirectory(abs)) {
        try (Stream<Path> s = Files.walk(abs)) {
          s.filter(Files::isRegularFile)
              .filter(p -> ex == null || !p.startsWith(ex))
              .filter(p -> hasExtension(abs.relativize(p), extensions))
              .map(p -> new BatchItem(p, abs.relativize(p).toString().replace('\\', '/')))
              .sorted(Comparator.comparing(BatchItem::name))
              .forEach(items::add);
        }
      } else if (Files.isRegularFile(abs)) {
        Path name = abs.getFileName();
        items.add(new BatchItem(abs, name == null ? abs.toString() : name.toString()));
      } else if (Files.exists(abs)) {
        throw new IOException(input + ": neither a file nor a directory");
      } else {
        throw new NoSuchFileException(input.toString(), null, "no such file or directory");
      }
    }
    checkDistinct(items);
    return items;
  }

  /**
   * Checks that no two items write the same outputs.
   *
   * @param items the items
   * @throws IllegalArgumentException naming two items with the same stem
   */
  public static void checkDistinct(List<BatchItem> items) {
    Map<String, BatchItem> seen = new HashMap<>();
    for (BatchItem item : items) {
      BatchItem prev = seen.put(item.stem(), item);
      if (prev != null) {
        throw new IllegalArgumentException(
            "inputs: "
                + prev.source()
                + " and "
                + item.source()
                + " would both be written as "
                + item.stem());
      }
    }
  }

  private static boolean hasExtension(Path relative, Set<String> extensions) {
    for (Path part : relative) {
      if (part.toString().startsWith(".")) {
        return false;
      }
    }
    String n = relative.toString().toLowerCase(Locale.ROOT);
    int dot = n.lastIndexOf('.');
    return dot >= 0 && extensions.contains(n.substring(dot));
  }
}
