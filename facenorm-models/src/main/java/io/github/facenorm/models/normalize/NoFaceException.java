package io.github.facenorm.models.normalize;

/** No face was found in a photo (or none large enough). */
public final class NoFaceException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  /**
   * An exception with a message.
   *
   * @param message what was searched and where
   */
  public NoFaceException(String message) {
    super(message);
  }
}
