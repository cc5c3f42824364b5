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

  @Test
  void evaluateOptionsAreCheckedBeforeAnyModelLoads(@TempDir Path dir) throws IOException {
    Path photos = Files.createDirectories(dir.resolve("photos/Ann"));
    Files.write(photos.resolve("Ann_0001.png"), new byte[] {1});
    String root = dir.resolve("photos").toString();
    String out = dir.resolve("out").toString();
    FacenormCliTest.Run r =
        FacenormCliTest.run("evaluate", "--photos", root, "--min-photos", "0", "--out", out);
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("--min-photos: expected at least 1, got 0");
    r = FacenormCliTest.run("evaluate", "--photos", root, "--report-photos", "-1", "--out", out);
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("--report-photos");
    r = FacenormCliTest.run("evaluate", "--photos", root, "--include", "*_08.jpg", "--out", out);
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("no photos selected").contains("--include *_08.jpg");
    r = FacenormCliTest.run("evaluate", "--photos", root, "--min-photos", "2", "--out", out);
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("of persons with at least 2 photos");
  }
}
