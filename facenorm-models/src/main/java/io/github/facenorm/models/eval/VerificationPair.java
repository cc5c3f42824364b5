package io.github.facenorm.models.eval;

import java.util.Objects;

/**
 * Two photos and whether they show the same person.
 *
 * @param first the first photo
 * @param second the second photo
 * @param same true for a same-person pair
 */
public record VerificationPair(PhotoId first, PhotoId second, boolean same) {

  /** Checks that both photos are given. */
  public VerificationPair {
    Objects.requireNonNull(first, "first");
    Objects.requireNonNull(second, "second");
  }
}
