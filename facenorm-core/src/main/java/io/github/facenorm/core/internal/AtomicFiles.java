package io.github.facenorm.core.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one way facenorm's modules write a file: all or nothing.
 *
 * <p>The content goes to a temporary file in the destination's directory ({@code .<name>.<random>
 * .tmp}, so a crash leaves at most such a file, never a half-written destination), is forced to
 * disk, and is renamed over the destination atomically (a plain replacing rename where the file
 * system cannot do it atomically). The temporary file is created like any other new file, so the
 * result has the permissions the process's umask gives (usually {@code 0644}), not the {@code 0600}
 * of {@link Files#createTempFile}. The directory is forced too where the platform allows it.
 */
public final class AtomicFiles {

  /** Writes the content of a file to a stream. */
  @FunctionalInterface
  public interface Writer {
    /**
     * Writes the content.
     *
     * @param out where to write; closed by the caller
     * @throws IOException if writing fails
     */
    void write(OutputStream out) throws IOException;
  }

  /** Suffix of the temporary files, so that batch runs can recognise their own orphans. */
  public static final String TEMP_SUFFIX = ".tmp";

  private AtomicFiles() {}

  /**
   * Writes bytes atomically.
   *
   * @param file the destination; its parent directory must exist
   * @param bytes the content
   * @throws IOException if writing or renaming fails (the destination is then unchanged)
   */
  public static void write(Path file, byte[] bytes) throws IOException {
    write(file, out -> out.write(bytes));
  }

  /**
   * Writes UTF-8 text atomically.
   *
   * @param file the destination; its parent directory must exist
   * @param text the content
   * @throws IOException if writing or renaming fails (the destination is then unchanged)
   */
  public static void writeString(Path file, String text) throws IOException {
    write(file, text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Copies a file atomically.
   *
   * @param source the file to copy
   * @param file the destination; its parent directory must exist
   * @throws IOException if reading, writing or renaming fails (the destination is then unchanged)
   */
  public static void copy(Path source, Path file) throws IOException {
    write(file, out -> Files.copy(source, out));
  }

  /**
   * Writes a file atomically with content from a writer.
   *
   * @param file the destination; its parent directory must exist
   * @param writer writes the content
   * @throws IOException if writing or renaming fails (the destination is then unchanged)
   */
  public static void write(Path file, Writer writer) throws IOException {
    Path abs = file.toAbsolutePath();
    Path dir = abs.getParent();
    Path tmp = newTempFile(dir, String.valueOf(abs.getFileName()));
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        OutputStream out = Channels.newOutputStream(ch);
        writer.write(out);
        out.flush();
        ch.force(true);
      }
      move(tmp, abs);
    } catch (IOException | RuntimeException | Error e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    forceDirectory(dir);
  }

  /**
   * Renames a file or directory over another atomically (replacing a file, not a non-empty
   * directory), falling back to a plain replacing rename where atomic renames are not supported.
   *
   * @param source the file or directory to rename
   * @param target its new name, in the same file system
   * @throws IOException if the rename fails
   */
  public static void move(Path source, Path target) throws IOException {
    try {
      Files.move(
          source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * Creates an empty, uniquely named temporary file in a directory with the umask's permissions.
   *
   * @param dir the directory
   * @param name the name of the file it stands for
   * @return the new file
   * @throws IOException if it cannot be created
   */
  public static Path newTempFile(Path dir, String name) throws IOException {
    for (int attempt = 0; ; attempt++) {
      Path tmp =
          dir.resolve(
              "."
                  + name
                  + "."
                  + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36)
                  + TEMP_SUFFIX);
      try {
        // No attributes: the file gets 0666 & ~umask, as any file the user creates.
        Files.newByteChannel(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
        return tmp;
      } catch (FileAlreadyExistsException e) {
        if (attempt >= 100) {
          throw e;
        }
      }
    }
  }

  /**
   * Whether a file name is one of the temporary names {@link #newTempFile} creates.
   *
   * @param fileName a file name without folders
   * @return whether it starts with a dot and ends with {@value #TEMP_SUFFIX}
   */
  public static boolean isTemporary(String fileName) {
    return fileName.startsWith(".") && fileName.endsWith(TEMP_SUFFIX) && fileName.length() > 5;
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
    try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
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

  private static void forceDirectory(Path dir) {
    // Makes the rename durable on Linux; other platforms cannot open a directory, which is fine.
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | RuntimeException e) {
      // best effort
    }
  }
}
