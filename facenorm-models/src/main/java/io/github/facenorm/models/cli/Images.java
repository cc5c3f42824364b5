package io.github.facenorm.models.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import javax.imageio.ImageIO;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Photo files ↔ {@code [1, H, W, 3]} FLOAT arrays in [0, 1], for the command line. */
final class Images {

  private Images() {}

  static INDArray read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + ": no such image file");
    }
    BufferedImage img;
    try {
      img = ImageIO.read(file.toFile());
    } catch (IOException e) {
      throw new IOException(file + ": cannot decode image (" + e.getMessage() + ")", e);
    }
    if (img == null) {
      throw new IOException(file + ": not a JPEG, PNG, BMP or GIF image");
    }
    int h = img.getHeight();
    int w = img.getWidth();
    float[] px = new float[h * w * 3];
    int[] rgb = img.getRGB(0, 0, w, h, null, 0, w);
    for (int i = 0; i < rgb.length; i++) {
      px[3 * i] = ((rgb[i] >> 16) & 0xff) / 255f;
      px[3 * i + 1] = ((rgb[i] >> 8) & 0xff) / 255f;
      px[3 * i + 2] = (rgb[i] & 0xff) / 255f;
    }
    return Nd4j.create(px, new long[] {1, h, w, 3}, 'c');
  }

  /** Writes atomically: a temporary file beside the target, then a move. */
  static void write(INDArray image, Path file) throws IOException {
    long[] s = image.shape();
    int h = (int) s[1];
    int w = (int) s[2];
    float[] px = image.dup('c').data().asFloat();
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int[] rgb = new int[h * w];
    for (int i = 0; i < rgb.length; i++) {
      rgb[i] = (to8(px[3 * i]) << 16) | (to8(px[3 * i + 1]) << 8) | to8(px[3 * i + 2]);
    }
    img.setRGB(0, 0, w, h, rgb, 0, w);
    String name = file.getFileName().toString();
    String format = name.toLowerCase(java.util.Locale.ROOT).matches(".*\\.jpe?g") ? "jpg" : "png";
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + name, ".tmp");
    try {
      if (!ImageIO.write(img, format, tmp.toFile())) {
        throw new IOException(file + ": no writer for format " + format);
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static int to8(float v) {
    return Math.round(Math.min(1f, Math.max(0f, v)) * 255f);
  }
}
