package io.github.facenorm.models.normalize;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The model that ships in this jar (trained by {@code facenorm train}; see its {@code
 * MODEL_CARD.md} beside it), checked against the sha256 sums in its {@code model.sha256} before
 * use.
 */
final class ShippedModel {

  /** Class-path folder of the shipped model. */
  static final String RESOURCE = "/io/github/facenorm/models/normalize/small/";

  /** sha256 of the shipped {@code weights.bin}, pinned in the code as well as beside the file. */
  static final String WEIGHTS_SHA256 =
      "51d57ad9c1720244bf11c2e3623559cb0d5f6b5d2114d490eb7e9195608929a9";

  private ShippedModel() {}

  static NormalizerModel load() throws IOException {
    Map<String, String> sums = new HashMap<>();
    try (InputStream in = open(NormalizerModel.CHECKSUM_FILE)) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank()) {
          String[] p = line.trim().split("\\s+", 2);
          sums.put(p[1], p[0]);
        }
      }
    }
    if (!WEIGHTS_SHA256.equals(sums.get(NormalizerModel.WEIGHTS_FILE))) {
      throw new IOException(
          "shipped model "
              + RESOURCE
              + NormalizerModel.CHECKSUM_FILE
              + " names weights "
              + sums.get(NormalizerModel.WEIGHTS_FILE)
              + ", this build expects "
              + WEIGHTS_SHA256);
    }
    for (String f : new String[] {NormalizerModel.CONFIG_FILE, NormalizerModel.WEIGHTS_FILE}) {
      String expected = sums.get(f);
      String actual;
      try (InputStream in = open(f)) {
        actual = io.github.facenorm.core.internal.Sha256.hex(in);
      }
      if (!actual.equals(expected)) {
        throw new IOException(
            "shipped model "
                + RESOURCE
                + f
                + ": sha256 "
                + actual
                + ", expected "
                + expected
                + ": the jar is corrupt");
      }
    }
    return NormalizerModel.read(
        () -> open(NormalizerModel.CONFIG_FILE),
        () -> open(NormalizerModel.WEIGHTS_FILE),
        "shipped model " + RESOURCE);
  }

  private static InputStream open(String name) throws IOException {
    InputStream in = ShippedModel.class.getResourceAsStream(RESOURCE + name);
    if (in == null) {
      throw new IOException(
          "shipped model " + RESOURCE + name + " is not on the class path (facenorm-models jar)");
    }
    return in;
  }
}
