package io.github.facenorm.core.dlib;

import io.github.facenorm.core.FaceImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/**
 * Step 1 of {@code src/test/cpp/make_goldens.sh}: decodes each listed photo exactly as the library
 * does ({@link FaceImage#read}) and writes the pixels as lossless 8-bit PNGs for the C++ side, so
 * dlib sees the very pixels Java sees. Not a test; run by the script.
 *
 * <p>Usage: {@code GoldenInputs <shared dir> <image list> <out dir>}; writes {@code
 * <out>/manifest.tsv} ({@code <image id> TAB <png path>}).
 */
public final class GoldenInputs {

  private GoldenInputs() {}

  /**
   * Entry point.
   *
   * @param args shared dir, image list, output dir
   * @throws IOException if a photo cannot be read or a PNG written
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      throw new IllegalArgumentException("usage: GoldenInputs <shared dir> <image list> <out dir>");
    }
    Path shared = Paths.get(args[0]);
    List<String> ids = Files.readAllLines(Paths.get(args[1]), StandardCharsets.UTF_8);
    Path out = Paths.get(args[2]);
    Files.createDirectories(out);
    try (PrintWriter manifest =
        new PrintWriter(
            Files.newBufferedWriter(out.resolve("manifest.tsv"), StandardCharsets.UTF_8))) {
      int n = 0;
      for (String id : ids) {
        id = id.strip();
        if (id.isEmpty() || id.startsWith("#")) {
          continue;
        }
        FaceImage image = FaceImage.read(shared.resolve(id));
        Path png =
            out.resolve(String.format(java.util.Locale.ROOT, "%03d.png", n++)).toAbsolutePath();
        image.write(png);
        if (!FaceImage.read(png).equals(image)) {
          throw new IOException(png + ": the PNG does not round-trip the decoded pixels");
        }
        manifest.print(id + "\t" + png + "\n");
      }
    }
  }
}
