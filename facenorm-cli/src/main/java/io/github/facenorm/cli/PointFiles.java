package io.github.facenorm.cli;

import io.github.facenorm.core.internal.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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

  /** Most points a file may hold: the spline solve is O(n³) in time and O(n²) in memory. */
  static final int MAX_POINTS = 4096;

  private PointFiles() {}

  static double[][] read(Path file, String jsonKey) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, "no such points file");
    }
    if (Files.size(file) > 64L << 20) {
      throw new IOException(file + ": larger than 64 MB, not a points file");
    }
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    double[][] pts;
    if (name.endsWith(".json")) {
      pts = readJson(file, jsonKey);
    } else {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      pts = name.endsWith(".tem") ? readTem(file, lines) : readLines(file, lines);
    }
    if (pts.length > MAX_POINTS) {
      throw new IOException(
          file + ": " + pts.length + " points, more than the " + MAX_POINTS + " supported");
    }
    return pts;
  }

  private static double[][] readJson(Path file, String key) throws IOException {
    Object root;
    try {
      root = Json.parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": not valid JSON (" + e.getMessage() + ")", e);
    }
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

  private static double[][] readTem(Path file, List<String> lines) throws IOException {
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

  private static double[][] readLines(Path file, List<String> lines) throws IOException {
    List<double[]> pts = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).trim();
      if (line.isEmpty() || (i == 0 && Character.isLetter(line.charAt(0)))) {
        continue;
      }
      pts.add(parse(file, i + 1, line));
    }
    if (pts.isEmpty()) {
      throw new IOException(file + ": no points found (expected lines 'x,y')");
    }
    return pts.toArray(new double[0][]);
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
