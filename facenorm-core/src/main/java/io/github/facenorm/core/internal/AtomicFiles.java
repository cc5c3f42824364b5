package io.github.facenorm.core.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Atomic file writes: the bytes go to {@code .<name>.<random>.tmp} beside the target, then a rename
 * over it, so a reader (or a resumed run) sees the old file or the whole new one, never a part. The
 * temporary file is created with default permissions, so the result honours the umask. Files left
 * by a killed process match {@link #isTemporary} and are removed by {@link #removeTemporaries}.
 */
public final class AtomicFiles {

  private static final String SUFFIX = ".tmp";

  private AtomicFiles() {}

  /**
   * Writes bytes atomically.
   *
   * @param file the target; its parent folder must exist
   * @param bytes the content
   * @throws IOException if writing or renaming fails (the temporary file is removed)
   */
  public static void write(Path file, byte[] bytes) throws IOException {
    Path abs = file.toAbsolutePath();
    Path dir = abs.getParent();
    Path name = abs.getFileName();
    if (dir == null || name == null) {
      throw new IOException(file + ": not a file path");
    }
    Path tmp =
        dir.resolve(
            "."
                + name
                + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE)
                + SUFFIX);
    try {
      try (OutputStream out =
          Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        out.write(bytes);
      }
      try {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Whether a file name is one of the temporary names {@link #write} (or an image writer using the
   * same pattern) creates.
   *
   * @param fileName a file name without folders
   * @return whether it starts with a dot and ends with {@code .tmp}
   */
  public static boolean isTemporary(String fileName) {
    return fileName.startsWith(".") && fileName.endsWith(SUFFIX) && fileName.length() > 5;
  }

  /**
   * Removes temporary files a killed run left under a folder (recursively).
   *
   * @param dir the folder
   * @return how many were removed
   * @throws IOException if the folder cannot be walked or a file cannot be removed
   */
  public static int removeTemporaries(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    int removed = 0;
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path name = p.getFileName();
        if (name != null && isTemporary(name.toString()) && Files.isRegularFile(p)) {
          Files.deleteIfExists(p);
          removed++;
        }
      }
    }
    return removed;
  }
}
