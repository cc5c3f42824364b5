package io.github.facenorm.augment;

import java.io.IOException;
import java.nio.file.Path;

/** A dataset shard whose bytes do not match its manifest's SHA-256, or that cannot be decoded. */
public final class CorruptShardException extends IOException {

  private static final long serialVersionUID = 1L;

  /** The damaged shard. */
  private final transient Path shard;

  /**
   * A new exception.
   *
   * @param shard the shard file
   * @param message what is wrong (the shard's name is prepended)
   * @param cause the underlying error, or null
   */
  public CorruptShardException(Path shard, String message, Throwable cause) {
    super(shard + ": " + message, cause);
    this.shard = shard;
  }

  /** The damaged shard file. */
  public Path shard() {
    return shard;
  }
}
