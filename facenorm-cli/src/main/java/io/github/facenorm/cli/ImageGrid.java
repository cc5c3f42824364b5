package io.github.facenorm.cli;

import io.github.facenorm.core.internal.ImageCodec;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Preview sheets of the commands' {@code --grid} options: rows of equal tiles on white. */
final class ImageGrid {

  private static final int GAP = 4;

  private ImageGrid() {}

  /**
   * Checks a {@code --grid} file name.
   *
   * @param file the option's value, or null
   * @throws IllegalArgumentException if it does not end in {@code .png}
   */
  static void checkName(Path file) {
    if (file != null && !file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")) {
      throw new IllegalArgumentException("--grid: expected a .png file name, got " + file);
    }
  }

  /**
   * Writes rows of tiles, each drawn at {@code tile × tile} pixels, {@value #GAP} px apart.
   *
   * @param rows the rows (may differ in length)
   * @param tile the side of a tile in pixels
   * @param file a .png path (folders are created)
   * @throws IOException if writing fails
   */
  static void write(List<List<BufferedImage>> rows, int tile, Path file) throws IOException {
    int cols = rows.stream().mapToInt(List::size).max().orElse(0);
    int w = cols * (tile + GAP) + GAP;
    int h = rows.size() * (tile + GAP) + GAP;
    BufferedImage g = new BufferedImage(Math.max(1, w), Math.max(1, h), BufferedImage.TYPE_INT_RGB);
    Graphics2D gr = g.createGraphics();
    gr.setColor(Color.WHITE);
    gr.fillRect(0, 0, w, h);
    for (int r = 0; r < rows.size(); r++) {
      List<BufferedImage> row = rows.get(r);
      for (int c = 0; c < row.size(); c++) {
        gr.drawImage(row.get(c), GAP + c * (tile + GAP), GAP + r * (tile + GAP), tile, tile, null);
      }
    }
    gr.dispose();
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    ImageCodec.write(g, file);
  }
}
