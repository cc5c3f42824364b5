package io.github.facenorm.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256, the one checksum of the project (pinned model files, shipped normalizer models, dataset
 * shards), as lower-case hex. Computed at every call: no memo, so a file modified in place is
 * always caught.
 */
public final class Sha256 {

  private Sha256() {}

  /**
   * A new SHA-256 digest, for incremental hashing.
   *
   * @return the digest
   */
  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  /**
   * The hash of bytes.
   *
   * @param bytes the bytes
   * @return 64 hex digits
   */
  public static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(newDigest().digest(bytes));
  }

  /**
   * The hash of a stream's remaining bytes; the stream is read to its end, not closed.
   *
   * @param in the stream
   * @return 64 hex digits
   * @throws IOException if reading fails
   */
  public static String hex(InputStream in) throws IOException {
    MessageDigest md = newDigest();
    new DigestInputStream(in, md).transferTo(OutputStream.nullOutputStream());
    return HexFormat.of().formatHex(md.digest());
  }

  /**
   * The hash of a file.
   *
   * @param file the file
   * @return 64 hex digits
   * @throws IOException if it cannot be read
   */
  public static String hex(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return hex(in);
    }
  }
}
