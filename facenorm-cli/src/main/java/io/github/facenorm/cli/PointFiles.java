package io.github.facenorm.cli;

import io.github.facenorm.core.internal.Json;
import io.github.facenorm.core.internal.Limits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads 2-D points in pixel (x, y), by file extension:
 *
 * <ul>
 *   <li>{@code .json}: the JSON {@code facenorm prepare} writes per photo ({@code "landmarks"}: the
 *       68 points in the aligned crop beside it, or, with the key {@code photoLandmarks}, in the
 *       original photo), or a bare array of {@code [x, y]} pairs;
 *   <li>{@code .tem}: a WebMorph template (first line the point count, then one {@code x<TAB>y} per
 *       point; the contour lines after the points are ignored);
 *   <li>anything else ({@code .csv}, {@code .txt}): one point per line, {@code x,y} or {@code x y}
 *       (an optional header line is skipped). Decimal commas are refused, not misread.
 * </ul>
 */
final class PointFiles {

  /** Largest points file read: far more than {@link Limits#MAX_POINTS_CEILING} points need. */
  static final long MAX_BYTES = 16L << 20;

  /** A plain decimal number: no hex floats, no {@code f}/{@code d} suffixes, no NaN/Infinity. */
  private static final Pattern NUMBER =
      Pattern.compile("[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]{1,3})?");

  private PointFiles() {}

  /**
   * Reads a points file, refusing more points than {@link Limits#maxPoints()} as soon as it sees
   * them (before reading the rest).
   */
  static double[][] read(Path file, String jsonKey) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, "no such points file");
    }
    if (Files.size(file) > MAX_BYTES) {
      throw new IOException(
          file
              + ": "
              + Files.size(file)
              + " bytes, larger than the "
              + MAX_BYTES
              + " of a points file");
    }
    int max = Limits.maxPoints();
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    double[][] pts;
    if (name.endsWith(".json")) {
      pts = readJson(file, jsonKey);
    } else {
      List<String> lines = readText(file);
      pts = name.endsWith(".tem") ? readTem(file, lines, max) : readLines(file, lines, max);
    }
    if (pts.length > max) {
      throw tooMany(file, pts.length, max);
    }
    return pts;
  }

  private static List<String> readText(Path file) throws IOException {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new IOException(file + ": not a text file (not valid UTF-8)", e);
    }
  }

  private static IOException tooMany(Path file, Object count, int max) {
    return new IOException(
        file
            + ": "
            + count
            + " points, more than the "
            + max
            + " one spline warp may have; raise the limit with -D"
            + Limits.MAX_POINTS_PROPERTY
            + "=N");
  }

  private static double[][] readJson(Path file, String key) throws IOException {
    Object root = Json.read(file); // its errors name the file and the problem
    Object list = root;
    if (root instanceof Map<?, ?> m) {
      list = m.get(key);
      if (list == null) {
        throw new IOException(
            file + ": no \"" + key + "\" array (expected the JSON facenorm prepare writes)");
      }
    }
    if (!(list instanceof List<?> pts) || pts.isEmpty()) {
      throw new IOException(file + ": expected a non-empty array of [x, y] points");
    }
    double[][] out = new double[pts.size()][];
    for (int i = 0; i < out.length; i++) {
      if (!(pts.get(i) instanceof List<?> pt)
          || pt.size() != 2
          || !(pt.get(0) instanceof Double x)
          || !(pt.get(1) instanceof Double y)
          || !Double.isFinite(x)
          || !Double.isFinite(y)) {
        throw new IOException(file + ": point " + i + " is not [x, y] with finite numbers");
      }
      out[i] = new double[] {x, y};
    }
    return out;
  }

  private static double[][] readTem(Path file, List<String> lines, int max) throws IOException {
    if (lines.isEmpty()) {
      throw new IOException(file + ": empty .tem file");
    }
    int count;
    try {
      count = Integer.parseInt(lines.get(0).trim());
    } catch (NumberFormatException e) {
      throw new IOException(
          file + ": line 1 should be the point count of a .tem file, got '" + lines.get(0) + "'");
    }
    if (count > max) {
      throw tooMany(file, count, max);
    }
    if (count < 1 || count > lines.size() - 1) {
      throw new IOException(
          file + ": declares " + count + " points but has " + (lines.size() - 1) + " more lines");
    }
    double[][] pts = new double[count][];
    for (int i = 0; i < count; i++) {
      pts[i] = parse(file, i + 2, lines.get(i + 1));
    }
    return pts;
  }

  private static double[][] readLines(Path file, List<String> lines, int max) throws IOException {
    List<double[]> pts = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).trim();
      if (line.isEmpty() || (i == 0 && isHeader(line))) {
        continue;
      }
      if (pts.size() == max) {
        throw tooMany(file, "over " + max, max);
      }
      pts.add(parse(file, i + 1, line));
    }
    if (pts.isEmpty()) {
      throw new IOException(file + ": no points found (expected lines 'x,y')");
    }
    return pts.toArray(new double[0][]);
  }

  /** A first line of names, such as {@code x,y}: none of its fields is a number. */
  private static boolean isHeader(String line) {
    if (!Character.isLetter(line.charAt(0))) {
      return false;
    }
    for (String f : line.split("[\\s,;]+")) {
      if (NUMBER.matcher(f).matches()) {
        return false;
      }
    }
    return true;
  }

  /** Two numbers separated by one comma (or semicolon) or by white space, nothing else. */
  private static double[] parse(Path file, int lineNo, String raw) throws IOException {
    String line = raw.trim();
    String[] f =
        line.indexOf(',') >= 0 || line.indexOf(';') >= 0
            ? line.split("\\s*[,;]\\s*", -1)
            : line.split("\\s+");
    try {
      if (f.length != 2) {
        throw new NumberFormatException(
            f.length
                + " fields"
                + (line.indexOf(',') >= 0 ? "; decimal commas are not supported" : ""));
      }
      for (String v : f) {
        if (!NUMBER.matcher(v).matches()) {
          throw new NumberFormatException("'" + v + "' is not a decimal number");
        }
      }
      double x = Double.parseDouble(f[0]);
      double y = Double.parseDouble(f[1]);
      if (!Double.isFinite(x) || !Double.isFinite(y)) {
        throw new NumberFormatException("not finite");
      }
      return new double[] {x, y};
    } catch (NumberFormatException e) {
      throw new IOException(
          file
              + ": line "
              + lineNo
              + " should be 'x,y' or 'x y' in pixels, got '"
              + line
              + "' ("
              + e.getMessage()
              + ")");
    }
  }
}
