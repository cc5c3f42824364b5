package io.github.facenorm.models.face3d;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.facenorm.core.internal.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/** Shared helpers of the face3d tests. */
final class Face3dTestSupport {
  private Face3dTestSupport() {}

  /** The fetched assets, or a skipped test. */
  static Face3dAssets assumeAssets() {
    Face3dAssets a = Face3dAssets.open();
    assumeTrue(a.isPresent(), "face3d assets not cached (" + a + "): run scripts/fetch-face3d.sh");
    return a;
  }

  /** The synthetic 192x192 image of make-goldens.js, RGB8 / 255. */
  static float[] synthetic(int seed) {
    int s = FaceMeshNet.INPUT_SIZE;
    float[] d = new float[s * s * 3];
    for (int y = 0; y < s; y++) {
      for (int x = 0; x < s; x++) {
        for (int c = 0; c < 3; c++) {
          int v =
              (seed * 31
                      + x * x * (3 + c)
                      + y * y * (5 + seed)
                      + x * y * (7 + 2 * c)
                      + x * (11 + seed)
                      + y * (13 + c)
                      + c * 101)
                  % 256;
          d[(y * s + x) * 3 + c] = v / 255f;
        }
      }
    }
    return d;
  }

  /** A gzipped RGB8 resource as floats / 255. */
  static float[] rgb8Resource(String name) {
    try (InputStream in =
        new GZIPInputStream(Face3dTestSupport.class.getResourceAsStream("/face3d/" + name))) {
      byte[] b = in.readAllBytes();
      float[] f = new float[b.length];
      for (int i = 0; i < b.length; i++) {
        f[i] = (b[i] & 0xff) / 255f;
      }
      return f;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> golden(String name) {
    try (InputStream in = Face3dTestSupport.class.getResourceAsStream("/face3d/" + name)) {
      return (Map<String, Object>)
          Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
