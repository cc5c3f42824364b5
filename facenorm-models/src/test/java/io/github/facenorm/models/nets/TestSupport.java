package io.github.facenorm.models.nets;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.facenorm.core.FaceImage;
import io.github.facenorm.core.internal.Json;
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

  /** The synthetic image of make-goldens.js (integer values 0..255, as 8-bit RGB). */
  static FaceImage synthetic(int height, int width, int seed) {
    byte[] data = new byte[height * width * 3];
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
          data[(y * width + x) * 3 + c] = (byte) v;
        }
      }
    }
    return FaceImage.ofRgb8(width, height, data);
  }

  /** A decoded photo and the sha256 of its 8-bit RGB bytes. */
  record Photo(FaceImage image, String rgbSha256) {}

  /**
   * Decodes with the library's one decoder, {@link FaceImage#read}; the sha256 of its bytes must
   * equal that of src/test/node/DecodeJpeg.java's, which made the goldens.
   */
  static Photo decode(Path file) throws IOException {
    FaceImage img = FaceImage.read(file);
    try {
      String sha =
          HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(img.toRgb8()));
      return new Photo(img, sha);
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
