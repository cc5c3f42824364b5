package io.github.facenorm.warp.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes {@code WarpKernelF32.java} and {@code WarpKernelF64.java} from their one template, {@code
 * src/main/template/WarpKernel.java.template} (BoofCV's way with its {@code _F32}/{@code _F64}
 * twins). Edit the template, then run from the repository root:
 *
 * <pre>
 * java facenorm-warp/src/test/java/io/github/facenorm/warp/internal/GenerateWarpKernels.java facenorm-warp
 * </pre>
 *
 * <p>{@code GeneratedKernelsTest} fails when the checked-in kernels differ from what this writes.
 */
public final class GenerateWarpKernels {

  static final String TEMPLATE = "src/main/template/WarpKernel.java.template";
  static final String TARGET_DIR = "src/main/java/io/github/facenorm/warp/internal/";

  private GenerateWarpKernels() {}

  /**
   * The kernel source for one precision.
   *
   * @param template the template's text
   * @param dbl double precision (F64) or single (F32)
   * @return the Java source
   */
  static String generate(String template, boolean dbl) {
    return template
        .replace(
            "$GENERATED$",
            "Generated from WarpKernel.java.template by GenerateWarpKernels; do not edit.")
        .replace("$SUFFIX$", dbl ? "F64" : "F32")
        .replace("$PRECISION$", dbl ? "double" : "single")
        .replace("$REAL$", dbl ? "double" : "float")
        .replace("$CAST$", dbl ? "" : "(float) ")
        .replace("$EPS$", dbl ? "Phi.EPS" : "Phi.EPS_F");
  }

  /**
   * The path of one generated kernel under the module directory.
   *
   * @param module the facenorm-warp module directory
   * @param dbl double precision (F64) or single (F32)
   * @return the path
   */
  static Path target(Path module, boolean dbl) {
    return module.resolve(TARGET_DIR + "WarpKernel" + (dbl ? "F64" : "F32") + ".java");
  }

  /**
   * Regenerates both kernels.
   *
   * @param args the facenorm-warp module directory (default: the current directory)
   * @throws IOException if reading or writing fails
   */
  public static void main(String[] args) throws IOException {
    Path module = Path.of(args.length > 0 ? args[0] : ".");
    String template = Files.readString(module.resolve(TEMPLATE), StandardCharsets.UTF_8);
    for (boolean dbl : new boolean[] {false, true}) {
      Files.writeString(target(module, dbl), generate(template, dbl), StandardCharsets.UTF_8);
    }
  }
}
