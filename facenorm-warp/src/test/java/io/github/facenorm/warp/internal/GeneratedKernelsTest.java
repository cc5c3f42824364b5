package io.github.facenorm.warp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The checked-in scalar kernels are exactly what their template generates. */
class GeneratedKernelsTest {

  @ParameterizedTest(name = "double {0}")
  @ValueSource(booleans = {false, true})
  void kernelsMatchTheirTemplate(boolean dbl) throws IOException {
    Path module = Path.of(System.getProperty("basedir", "."));
    String template =
        Files.readString(module.resolve(GenerateWarpKernels.TEMPLATE), StandardCharsets.UTF_8);
    Path target = GenerateWarpKernels.target(module, dbl);
    assertThat(Files.readString(target, StandardCharsets.UTF_8))
        .as(
            "%s drifted from %s: edit the template and run GenerateWarpKernels (see its Javadoc)",
            target, GenerateWarpKernels.TEMPLATE)
        .isEqualTo(GenerateWarpKernels.generate(template, dbl));
  }
}
