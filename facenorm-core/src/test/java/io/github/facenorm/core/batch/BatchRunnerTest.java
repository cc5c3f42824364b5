package io.github.facenorm.core.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchRunnerTest {

  /**
   * Writes {@code <stem>.dat} (the input's bytes repeated {@code copies} times) and {@code
   * <stem>.txt} (the length); fails on inputs whose text says how.
   */
  static final class EchoStep implements BatchStep<Integer> {
    final int copies;
    final long sleepMillis;

    EchoStep(int copies, long sleepMillis) {
      this.copies = copies;
      this.sleepMillis = sleepMillis;
    }

    @Override
    public List<String> outputExtensions() {
      return List.of(".dat", ".txt");
    }

    @Override
    public Result<Integer> process(BatchItem item) throws Exception {
      byte[] in = Files.readAllBytes(item.source());
      String text = new String(in, StandardCharsets.UTF_8);
      switch (text) {
        case "oom" -> throw new OutOfMemoryError("Java heap space");
        case "deep" -> recurse(0);
        case "npe" -> throw new NullPointerException();
        case "io" -> throw new IOException(item.source() + ": unreadable on purpose");
        default -> {}
      }
      if (sleepMillis > 0) {
        Thread.sleep(sleepMillis);
      }
      byte[] out = new byte[in.length * copies];
      for (int i = 0; i < copies; i++) {
        System.arraycopy(in, 0, out, i * in.length, in.length);
      }
      return new Result<>(
          out.length, List.of(out, Integer.toString(out.length).getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public Integer resume(BatchItem item, List<Path> outputs) throws IOException {
      int n = Integer.parseInt(Files.readString(outputs.get(1)).strip());
      if (Files.size(outputs.get(0)) != n) {
        throw new IOException(outputs.get(0) + ": size does not match its sidecar");
      }
      return n;
    }

    private static int recurse(int depth) {
      return recurse(depth + 1) + 1;
    }
  }

  private static final class Recorder implements BatchProgress {
    final List<BatchStatus> updates = Collections.synchronizedList(new ArrayList<>());
    final List<String> failures = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void update(BatchStatus status) {
      updates.add(status);
    }

    @Override
    public void failed(BatchItem item, String reason) {
      failures.add(item.name() + ": " + reason);
    }
  }

  private static Path inputs(Path dir, String... texts) throws IOException {
    Path in = dir.resolve("in");
    Files.createDirectories(in.resolve("sub"));
    for (int i = 0; i < texts.length; i++) {
      Files.writeString(in.resolve((i % 2 == 0 ? "" : "sub/") + "item" + i + ".png"), texts[i]);
    }
    return in;
  }

  private static List<BatchItem> list(Path in, Path out) throws IOException {
    return BatchInputs.list(List.of(in), BatchInputs.IMAGE_EXTENSIONS, out);
  }

  @Test
  void oneItemsErrorNeverEndsTheBatch(@TempDir Path dir) throws IOException {
    Path in = inputs(dir, "a", "oom", "b", "deep", "npe", "io", "c");
    Path out = dir.resolve("out");
    Recorder rec = new Recorder();
    BatchSummary<Integer> s = BatchRunner.of(new EchoStep(2, 0), 2).run(list(in, out), out, rec);

    assertThat(s.total()).isEqualTo(7);
    assertThat(s.failed()).isEqualTo(4);
    assertThat(s.succeeded()).isEqualTo(3);
    assertThat(rec.updates).hasSize(8);
    assertThat(rec.updates.get(7).done()).isEqualTo(7);
    assertThat(rec.failures)
        .containsExactlyInAnyOrder(
            "sub/item1.png: OutOfMemoryError: Java heap space",
            "sub/item3.png: StackOverflowError",
            "item4.png: NullPointerException",
            "sub/item5.png: " + in.resolve("sub/item5.png") + ": unreadable on purpose");
    List<String> csv = Files.readAllLines(s.failures());
    assertThat(csv.get(0)).isEqualTo("path,reason");
    assertThat(csv)
        .hasSize(5)
        .contains(in.resolve("sub/item1.png") + ",OutOfMemoryError: Java heap space");
    assertThat(Files.readString(out.resolve("item0.dat"))).isEqualTo("aa");
    assertThat(Files.readString(out.resolve("item6.txt"))).isEqualTo("2");
    assertThat(out.resolve("sub/item1.dat")).doesNotExist();
  }

  @Test
  void resumeSkipsCompleteItemsOnlyAndRemovesOrphanTemporaries(@TempDir Path dir)
      throws IOException {
    Path in = inputs(dir, "a", "b", "c", "d");
    Path out = dir.resolve("out");
    BatchRunner<Integer> runner = BatchRunner.of(new EchoStep(3, 0), 1);
    runner.run(list(in, out), out, null);

    Files.write(out.resolve("item0.dat"), new byte[0]); // zero-byte output beside an intact sidecar
    Files.delete(out.resolve("sub/item1.txt")); // missing sidecar
    Files.writeString(out.resolve("item2.txt"), "7"); // sidecar that does not match
    Path orphan = out.resolve("sub/.item3.dat.4f2a.tmp");
    Files.writeString(orphan, "half");
    long before = Files.getLastModifiedTime(out.resolve("sub/item3.dat")).toMillis();

    BatchSummary<Integer> again = runner.run(list(in, out), out, null);
    assertThat(again.skipped()).isEqualTo(1);
    assertThat(again.outcomes())
        .extracting(BatchOutcome::skipped)
        .containsExactly(false, false, false, true);
    assertThat(again.outcomes()).extracting(BatchOutcome::value).containsOnly(3);
    assertThat(Files.readString(out.resolve("item0.dat"))).isEqualTo("aaa");
    assertThat(out.resolve("sub/item1.txt")).hasContent("3");
    assertThat(out.resolve("item2.txt")).hasContent("3");
    assertThat(orphan).doesNotExist();
    assertThat(Files.getLastModifiedTime(out.resolve("sub/item3.dat")).toMillis())
        .isEqualTo(before);
    assertThat(Files.readAllLines(again.failures())).containsExactly("path,reason");
  }

  @Test
  void runLevelFailuresStopTheRunWithAClearMessage(@TempDir Path dir) throws IOException {
    Path in = inputs(dir, "a");
    BatchRunner<Integer> runner = BatchRunner.of(new EchoStep(1, 0), 1);
    Path file = Files.writeString(dir.resolve("out.txt"), "x");
    assertThatThrownBy(() -> runner.run(list(in, null), file, null))
        .isInstanceOf(IOException.class)
        .hasMessage("output folder " + file + " is a file, not a folder");
    assertThatThrownBy(() -> BatchRunner.of(new EchoStep(1, 0), 0))
        .hasMessageContaining("threads: expected at least 1, got 0");
  }

  @Test
  void anOutputFolderThatCannotBeWrittenStopsTheRun(@TempDir Path dir) throws IOException {
    Path in = inputs(dir, "a");
    BatchRunner<Integer> runner = BatchRunner.of(new EchoStep(1, 0), 1);
    Path locked = Files.createDirectories(dir.resolve("locked"));
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
    try {
      assumeThat(Files.isWritable(locked))
          .as("running as root: permissions not enforced")
          .isFalse();
      assertThatThrownBy(() -> runner.run(list(in, null), locked, null))
          .isInstanceOf(IOException.class)
          .hasMessageStartingWith("cannot write in the output folder " + locked);
    } finally {
      Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  @Test
  void inputsListing(@TempDir Path dir) throws IOException {
    Path in = inputs(dir, "a", "b", "c");
    Files.writeString(in.resolve("notes.txt"), "not listed from a folder");
    Files.writeString(in.resolve(".hidden.png"), "hidden");
    Files.writeString(in.resolve("UPPER.JPG"), "listed");
    Path out = in.resolve("out");
    Files.createDirectories(out);
    Files.writeString(out.resolve("old.png"), "an output, not an input");
    assertThat(list(in, out))
        .extracting(BatchItem::name)
        .containsExactly("UPPER.JPG", "item0.png", "item2.png", "sub/item1.png");
    List<BatchItem> direct =
        BatchInputs.list(List.of(in.resolve("notes.txt")), BatchInputs.IMAGE_EXTENSIONS, null);
    assertThat(direct).singleElement().extracting(BatchItem::name).isEqualTo("notes.txt");
    assertThat(direct.get(0).output(dir, ".png")).isEqualTo(dir.resolve("notes.png"));
    assertThat(new BatchItem(in, "a/b.c/d").stem()).isEqualTo("a/b.c/d");
    assertThatThrownBy(() -> new BatchItem(in, "../x.png")).hasMessageContaining("name:");
  }

  @Test
  void progressPrinterUsesControlCodesOnlyOnATerminal() {
    BatchItem item = new BatchItem(Path.of("x.png"), "x.png");
    for (boolean terminal : new boolean[] {false, true}) {
      StringWriter sw = new StringWriter();
      BatchProgress.Printer p =
          BatchProgress.printer(new PrintWriter(sw), terminal, "facenorm test");
      p.update(new BatchStatus(0, 2, 0, 0, 0));
      p.update(new BatchStatus(1, 2, 0, 1, 1_000_000_000L));
      p.failed(item, "broken");
      p.update(new BatchStatus(2, 2, 0, 1, 2_000_000_000L));
      p.finish();
      String text = sw.toString();
      assertThat(text)
          .contains("facenorm test: x.png failed (going on): broken")
          .contains("facenorm test: 2/2 done (0 skipped, 1 failed)  1.0/s  ETA 0s");
      if (terminal) {
        assertThat(text).contains("\r\033[K");
      } else {
        assertThat(text).doesNotContain("\r", "\033");
        assertThat(text.lines()).allMatch(l -> l.startsWith("facenorm test: "));
      }
    }
  }

  /**
   * Kills a batch with SIGKILL while it writes, then resumes it: no temporaries, every item whole.
   */
  @Test
  void aKilledRunResumesToCompleteOutputsWithoutTemporaries(@TempDir Path dir) throws Exception {
    int n = 40;
    Path in = dir.resolve("in");
    Files.createDirectories(in);
    byte[] big = new byte[200_000];
    Arrays.fill(big, (byte) 'x');
    for (int i = 0; i < n; i++) {
      Files.write(in.resolve(String.format("p%02d.png", i)), big);
    }
    Path out = dir.resolve("out");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                KilledBatchMain.class.getName(),
                in.toString(),
                out.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("child.log").toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (countOutputs(out) < 6 && p.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(p.isAlive()).as("the child was still running when killed").isTrue();
    p.destroyForcibly(); // SIGKILL
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    int doneBefore = countOutputs(out);
    assertThat(doneBefore).isLessThan(2 * n);
    // Whatever the kill left, one orphan for sure (the child may have been between files).
    Files.write(out.resolve(".p01.dat.killed.tmp"), big);

    BatchSummary<Integer> s = BatchRunner.of(new EchoStep(5, 0), 2).run(list(in, out), out, null);
    assertThat(s.failed()).isZero();
    assertThat(s.skipped()).isPositive().isLessThan(n);
    try (Stream<Path> files = Files.walk(out)) {
      assertThat(files.map(f -> f.getFileName().toString())).noneMatch(f -> f.endsWith(".tmp"));
    }
    for (int i = 0; i < n; i++) {
      assertThat(Files.size(out.resolve(String.format("p%02d.dat", i)))).isEqualTo(1_000_000L);
      assertThat(out.resolve(String.format("p%02d.txt", i))).hasContent("1000000");
    }
  }

  private static int countOutputs(Path out) throws IOException {
    if (!Files.isDirectory(out)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(out)) {
      return (int) s.filter(f -> f.getFileName().toString().endsWith(".txt")).count();
    }
  }

  /** The child of the kill test: a slow batch. */
  static final class KilledBatchMain {
    private KilledBatchMain() {}

    public static void main(String[] args) throws IOException {
      Path in = Path.of(args[0]);
      Path out = Path.of(args[1]);
      BatchRunner.of(new EchoStep(5, 30), 2)
          .run(BatchInputs.list(List.of(in), BatchInputs.IMAGE_EXTENSIONS, out), out, null);
    }
  }
}
