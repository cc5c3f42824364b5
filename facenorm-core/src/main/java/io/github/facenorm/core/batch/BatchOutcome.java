package io.github.facenorm.core.batch;

import java.util.Objects;

/**
 * What became of one item.
 *
 * @param item the item
 * @param value its value, null if it failed
 * @param skipped whether its outputs existed already and were read back, not computed
 * @param error why it failed, null if it did not
 * @param <R> the step's value type
 */
public record BatchOutcome<R>(BatchItem item, R value, boolean skipped, String error) {

  /** Checks that exactly one of value and error is given. */
  public BatchOutcome {
    Objects.requireNonNull(item, "item");
    if ((value == null) == (error == null)) {
      throw new IllegalArgumentException("exactly one of value and error must be given");
    }
  }

  /** Whether the item has a value (processed now or read back). */
  public boolean ok() {
    return error == null;
  }
}
