package io.github.facenorm.models.eval;

/**
 * One photo of a person in LFW's layout: {@code <name>/<name>_<NNNN>.jpg} under the dataset root,
 * the number 1-based and zero-padded to four digits.
 *
 * @param name the person's folder name, e.g. {@code Aaron_Peirsol} (no path separators)
 * @param number the photo's number, 1-based
 */
public record PhotoId(String name, int number) {

  /** Validates the name and number. */
  public PhotoId {
    if (name == null || name.isBlank() || name.indexOf('/') >= 0 || name.indexOf('\\') >= 0) {
      throw new IllegalArgumentException(
          "name: expected a non-blank folder name without path separators, got '" + name + "'");
    }
    if (number < 1) {
      throw new IllegalArgumentException("number: expected a 1-based photo number, got " + number);
    }
  }

  /**
   * The photo's path relative to the dataset root.
   *
   * @return {@code <name>/<name>_<NNNN>.jpg}
   */
  public String relativePath() {
    return name + "/" + fileStem() + ".jpg";
  }

  /**
   * The file name without extension.
   *
   * @return {@code <name>_<NNNN>}
   */
  public String fileStem() {
    return String.format("%s_%04d", name, number);
  }

  @Override
  public String toString() {
    return fileStem();
  }
}
