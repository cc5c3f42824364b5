package io.github.facenorm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Argument errors of {@code train} and {@code evaluate}: exit 2 with a message naming the option.
 */
class TrainEvaluateCommandTest {

  @Test
  void trainWithoutDataOrWithAnUnknownPresetIsABadArgument(@TempDir Path dir) {
    FacenormCliTest.Run r = FacenormCliTest.run("train", "--out", dir.resolve("o").toString());
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("--data or --studio");
    r =
        FacenormCliTest.run(
            "train", "--preset", "huge", "--data", dir.toString(), "--out", dir.toString());
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("small or paper");
  }

  @Test
  void identityLossNeedsAModelToFineTune(@TempDir Path dir) {
    FacenormCliTest.Run r =
        FacenormCliTest.run(
            "train",
            "--data",
            dir.toString(),
            "--identity-weight",
            "10",
            "--out",
            dir.resolve("o").toString());
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("--identity-weight").contains("--init");
  }

  @Test
  void anExistingCheckpointNeedsResume(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("checkpoint.bin"), "x");
    FacenormCliTest.Run r =
        FacenormCliTest.run("train", "--data", dir.toString(), "--out", dir.toString());
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("--resume");
  }

  @Test
  void evaluateNeedsAPhotoFolder(@TempDir Path dir) {
    FacenormCliTest.Run r =
        FacenormCliTest.run(
            "evaluate", "--photos", dir.resolve("none").toString(), "--out", dir.toString());
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("--photos").contains("is not a folder");
    r = FacenormCliTest.run("evaluate", "--out", dir.toString());
    assertThat(r.status()).isEqualTo(2);
  }
}
