package io.github.facenorm.models.nets;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.facenorm.models.internal.Json;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Shared helpers: goldens, synthetic images, photos, and skipping when inputs are absent. */
final class TestSupport {
  private TestSupport() {}

  /** Skips the test unless the face-api weights are cached. */
  static void assumeModel(String model) {
    assumeTrue(
        FaceApiModels.isAvailable(model),
        "face-api model "
            + model
            + " not cached at "
            + FaceApiModels.directory()
            + ": run scripts/fetch-face-api.sh to enable this test");
  }

  /** The {@code ../shared} directory, or a skipped test. */
  static Path assumeShared() {
    String p = System.getProperty("facenorm.shared");
    Path dir = p == null ? null : Paths.get(p);
    assumeTrue(
        dir != null && Files.isDirectory(dir.resolve("data")),
        "../shared/data not found (system property facenorm.shared = " + p + "): test skipped");
    return dir;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> golden(String name) throws IOException {
    try (InputStream in = TestSupport.class.getResourceAsStream("/face-api/" + name)) {
      if (in == null) {
        throw new IOException("missing test resource /face-api/" + name);
      }
      return (Map<String, Object>)
          Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), name);
    }
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> list(Map<String, Object> m, String key) {
    return (List<Map<String, Object>>) m.get(key);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Map<String, Object> m, String key) {
    return (Map<String, Object>) m.get(key);
  }

  static int integer(Map<String, Object> m, String key) {
    return ((Double) m.get(key)).intValue();
  }

  static double number(Map<String, Object> m, String key) {
    return (Double) m.get(key);
  }

  static double[] doubles(Map<String, Object> m, String key) {
    List<?> l = (List<?>) m.get(key);
    double[] out = new double[l.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (Double) l.get(i);
    }
    return out;
  }

  /** The synthetic image of make-goldens.js, {@code [H, W, 3]} FLOAT. */
  static INDArray synthetic(int height, int width, int seed) {
    float[] data = new float[height * width * 3];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        for (int c = 0; c < 3; c++) {
          long v =
              (seed * 31L
                      + (long) x * x * (3 + c)
                      + (long) y * y * (5 + seed)
                      + (long) x * y * (7 + 2 * c)
                      + (long) x * (11 + seed)
                      + (long) y * (13 + c)
                      + c * 101L)
                  % 256;
          data[(y * width + x) * 3 + c] = v;
        }
      }
    }
    return Nd4j.createFromArray(data).reshape('c', height, width, 3);
  }

  /** A decoded photo: pixels {@code [H, W, 3]} FLOAT 0..255 and the sha256 of its RGB bytes. */
  record Photo(INDArray pixels, String rgbSha256) {}

  /** Decodes like src/test/node/DecodeJpeg.java. */
  static Photo decode(Path file) throws IOException {
    BufferedImage img = ImageIO.read(file.toFile());
    if (img == null) {
      throw new IOException("not an image: " + file);
    }
    int w = img.getWidth();
    int h = img.getHeight();
    byte[] bytes = new byte[w * h * 3];
    float[] data = new float[w * h * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int rgb = img.getRGB(x, y);
        int i = (y * w + x) * 3;
        bytes[i] = (byte) (rgb >> 16);
        bytes[i + 1] = (byte) (rgb >> 8);
        bytes[i + 2] = (byte) rgb;
        for (int c = 0; c < 3; c++) {
          data[i + c] = bytes[i + c] & 0xFF;
        }
      }
    }
    try {
      String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
      return new Photo(Nd4j.createFromArray(data).reshape('c', h, w, 3), sha);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static double l2(float[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      double d = a[i] - b[i];
      s += d * d;
    }
    return Math.sqrt(s);
  }
}
