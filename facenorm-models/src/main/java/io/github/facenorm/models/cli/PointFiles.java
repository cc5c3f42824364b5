package io.github.facenorm.models.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads 2-D points in pixel (x, y): a CSV of {@code x,y} lines (an optional header line is
 * skipped), or a WebMorph {@code .tem} template (first line the point count, then one {@code
 * x<TAB>y} per point; the contour lines after the points are ignored).
 */
final class PointFiles {

  private PointFiles() {}

  static double[][] read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + ": no such points file");
    }
    List<String> lines = Files.readAllLines(file);
    return file.getFileName().toString().endsWith(".tem")
        ? readTem(file, lines)
        : readCsv(file, lines);
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
      pts[i] = parse(file, i + 2, lines.get(i + 1).trim().split("\\s+"));
    }
    return pts;
  }

  private static double[][] readCsv(Path file, List<String> lines) throws IOException {
    List<double[]> pts = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).trim();
      if (line.isEmpty() || (i == 0 && Character.isLetter(line.charAt(0)))) {
        continue;
      }
      pts.add(parse(file, i + 1, line.split("[,;\\s]+")));
    }
    if (pts.isEmpty()) {
      throw new IOException(file + ": no points found (expected lines 'x,y')");
    }
    return pts.toArray(new double[0][]);
  }

  private static double[] parse(Path file, int lineNo, String[] f) throws IOException {
    try {
      if (f.length < 2) {
        throw new NumberFormatException("fewer than 2 fields");
      }
      double x = Double.parseDouble(f[0]);
      double y = Double.parseDouble(f[1]);
      if (!Double.isFinite(x) || !Double.isFinite(y)) {
        throw new NumberFormatException("not finite");
      }
      return new double[] {x, y};
    } catch (NumberFormatException e) {
      throw new IOException(
          file + ": line " + lineNo + " should be 'x,y' in pixels (" + e.getMessage() + ")");
    }
  }
}
