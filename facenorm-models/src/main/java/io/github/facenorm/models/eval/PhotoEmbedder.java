package io.github.facenorm.models.eval;

import java.io.IOException;
import java.util.Optional;

/** Computes the identity descriptor of a photo named by its {@link PhotoId}. */
@FunctionalInterface
public interface PhotoEmbedder {

  /**
   * The descriptor of one photo.
   *
   * @param photo the photo
   * @return the descriptor, or empty when none can be computed (e.g. no face and no usable fallback
   *     region); {@link PairVerification} counts both this and an {@link IOException} as a failed
   *     photo
   * @throws IOException if the photo cannot be read
   */
  Optional<PhotoDescriptor> embed(PhotoId photo) throws IOException;
}
