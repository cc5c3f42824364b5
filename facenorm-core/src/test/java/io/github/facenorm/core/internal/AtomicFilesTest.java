package io.github.facenorm.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** All-or-nothing writes, no temporary files left behind, and the umask's permissions. */
class AtomicFilesTest {
  @TempDir Path dir;

  private long entries() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.count();
    }
  }

  @Test
  void writesAndReplacesLeavingNoTemporaryFile() throws IOException {
    Path f = dir.resolve("a.txt");
    AtomicFiles.writeString(f, "one");
    assertThat(f).hasContent("one");
    AtomicFiles.write(f, "two".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(f).hasContent("two");
    Path g = dir.resolve("b.txt");
    AtomicFiles.copy(f, g);
    assertThat(g).hasContent("two");
    assertThat(entries()).isEqualTo(2);
  }

  @Test
  void aFailingWriterLeavesTheOldContentAndNoTemporaryFile() throws IOException {
    Path f = dir.resolve("a.txt");
    AtomicFiles.writeString(f, "old");
    assertThatThrownBy(
            () ->
                AtomicFiles.write(
                    f,
                    out -> {
                      out.write('x');
                      throw new IOException("disk full");
                    }))
        .hasMessageContaining("disk full");
    assertThat(f).hasContent("old");
    assertThat(entries()).isEqualTo(1);
  }

  @Test
  void filesGetTheUmasksPermissionsNotTheTempFiles0600() throws IOException {
    if (!dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return; // permissions are a POSIX notion
    }
    // What any new file in this directory gets under this process's umask.
    Path plain = dir.resolve("plain");
    Files.newByteChannel(
            plain,
            java.nio.file.StandardOpenOption.CREATE_NEW,
            java.nio.file.StandardOpenOption.WRITE)
        .close();
    Set<PosixFilePermission> expected = Files.getPosixFilePermissions(plain);
    assertThat(expected).contains(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    Path f = dir.resolve("out.json");
    AtomicFiles.writeString(f, "{}");
    assertThat(Files.getPosixFilePermissions(f)).isEqualTo(expected);
  }
}
