package io.github.facenorm.models.train;

import java.util.Locale;

/** Formatting for progress lines. */
final class Progress {

  private Progress() {}

  /**
   * A duration for humans: {@code 42s}, {@code 3m05s}, {@code 1h02m}.
   *
   * @param seconds the duration; NaN or infinite prints {@code ?}
   * @return the text
   */
  static String duration(double seconds) {
    if (!Double.isFinite(seconds)) {
      return "?";
    }
    long s = Math.round(seconds);
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
  }
}
