package io.github.facenorm.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetWriterTest {

  static final int COUNT = 24;
  static final int PER_SHARD = 2;

  static FaceSet faces() {
    return SyntheticSets.faces(8, 32, 11);
  }

  static DatasetWriter writer(Path out, int threads) {
    return DatasetWriter.builder()
        .out(out)
        .seed(7)
        .count(COUNT)
        .samplesPerShard(PER_SHARD)
        .threads(threads)
        .neighbours(4)
        .build();
  }

  static Map<String, byte[]> contents(Path dir) throws IOException {
    Map<String, byte[]> m = new TreeMap<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.toList()) {
        m.put(p.getFileName().toString(), Files.readAllBytes(p));
      }
    }
    return m;
  }

  static void assertSameFiles(Path a, Path b) throws IOException {
    Map<String, byte[]> ca = contents(a);
    Map<String, byte[]> cb = contents(b);
    assertThat(cb.keySet()).isEqualTo(ca.keySet());
    for (String k : ca.keySet()) {
      assertThat(cb.get(k)).as(k).isEqualTo(ca.get(k));
    }
  }

  @Test
  void sameSeedGivesByteIdenticalFilesWhateverTheThreads(@TempDir Path tmp) throws IOException {
    List<DatasetWriter.Progress> seen = new ArrayList<>();
    DatasetWriter.Result one =
        DatasetWriter.builder()
            .out(tmp.resolve("one"))
            .seed(7)
            .count(COUNT)
            .samplesPerShard(PER_SHARD)
            .threads(1)
            .neighbours(4)
            .progress(seen::add)
            .build()
            .write(faces());
    writer(tmp.resolve("three"), 3).write(faces());
    assertSameFiles(tmp.resolve("one"), tmp.resolve("three"));
    assertThat(one.shardsWritten()).isEqualTo(COUNT / PER_SHARD);
    assertThat(contents(tmp.resolve("one"))).hasSize(COUNT / PER_SHARD + 1);
    assertThat(seen).hasSize(COUNT / PER_SHARD);
    assertThat(seen.get(seen.size() - 1).done()).isEqualTo(COUNT);
    assertThat(seen.get(0).samplesPerSecond()).isPositive();
    assertThat(seen.get(0).toString()).contains("samples/s", "ETA");
    // Another seed: other samples.
    DatasetWriter.builder()
        .out(tmp.resolve("other"))
        .seed(8)
        .count(COUNT)
        .samplesPerShard(PER_SHARD)
        .neighbours(4)
        .build()
        .write(faces());
    assertThat(Files.readAllBytes(tmp.resolve("other/shard-00000.bin")))
        .isNotEqualTo(Files.readAllBytes(tmp.resolve("one/shard-00000.bin")));
    // A second run on a finished folder keeps everything.
    DatasetWriter.Result again = writer(tmp.resolve("one"), 2).write(faces());
    assertThat(again.shardsWritten()).isZero();
    assertThat(again.shardsKept()).isEqualTo(COUNT / PER_SHARD);
    assertSameFiles(tmp.resolve("one"), tmp.resolve("three"));
  }

  @Test
  void readerStreamsTheSamplesBackAsBatches(@TempDir Path tmp) throws IOException {
    FaceSet faces = faces();
    writer(tmp, 2).write(faces);
    DatasetReader r = DatasetReader.open(tmp);
    assertThat(r.complete()).isTrue();
    assertThat(r.count()).isEqualTo(COUNT);
    assertThat(r.width()).isEqualTo(32);
    List<AugmentedSample> all = new ArrayList<>();
    r.samples().forEachRemaining(all::add);
    assertThat(all).hasSize(COUNT);
    NeighbourTable table = NeighbourTable.compute(faces, 4, NeighbourTable.DEFAULT_LAMBDA, 1);
    for (int i = 0; i < COUNT; i++) {
      AugmentedSample s = all.get(i);
      assertThat(s.index()).isEqualTo(i);
      assertThat(s.idA()).isEqualTo(faces.face(s.a()).id());
      assertThat(table.neighbours(s.a())).contains(s.b());
      // The stored landmarks are the morph's, in float.
      RandomMorph.Morph m =
          RandomMorph.morph(
              faces.face(s.a()), faces.face(s.b()), s.landmarkWeight(), s.textureWeight());
      assertThat(s.landmarks().x(30)).isEqualTo((double) (float) m.landmarks().x(30));
      assertThat(s.image().width()).isEqualTo(32);
    }
    Iterator<DatasetReader.Batch> it = r.batches(5);
    List<Integer> sizes = new ArrayList<>();
    DatasetReader.Batch first = null;
    while (it.hasNext()) {
      DatasetReader.Batch b = it.next();
      first = first == null ? b : first;
      sizes.add(b.size());
    }
    assertThat(sizes).containsExactly(5, 5, 5, 5, 4);
    assertThat(first.images()).hasSize(5 * 32 * 32 * 3);
    assertThat(first.landmarks()).hasSize(5 * 136);
    assertThat(first.textures()[7]).isEqualTo((all.get(0).textureRgb8()[7] & 0xFF) / 255f);
  }

  @Test
  void aFlippedByteInAShardIsCaughtAndNamed(@TempDir Path tmp) throws IOException {
    writer(tmp, 2).write(faces());
    Path shard = tmp.resolve("shard-00003.bin");
    byte[] b = Files.readAllBytes(shard);
    b[b.length / 2] ^= 0x10;
    Files.write(shard, b);
    DatasetReader r = DatasetReader.open(tmp);
    assertThat(r.readShard(2)).hasSize(PER_SHARD);
    assertThatThrownBy(() -> r.readShard(3))
        .isInstanceOf(CorruptShardException.class)
        .hasMessageContaining("shard-00003.bin")
        .hasMessageContaining("SHA-256");
    Iterator<AugmentedSample> it = r.samples();
    assertThatThrownBy(
            () -> {
              while (it.hasNext()) {
                it.next();
              }
            })
        .isInstanceOf(UncheckedIOException.class)
        .hasCauseInstanceOf(CorruptShardException.class)
        .hasMessageContaining("shard-00003.bin");
    // The writer notices too, and rewrites the damaged shard byte for byte.
    DatasetWriter.Result fix = writer(tmp, 2).write(faces());
    assertThat(fix.shardsWritten()).isEqualTo(1);
    assertThat(DatasetReader.open(tmp).readShard(3)).hasSize(PER_SHARD);
  }

  @Test
  void foreignFilesAndOtherDatasetsAreRefusedAndLeftAlone(@TempDir Path tmp) throws IOException {
    Path notes = tmp.resolve("a/notes.txt");
    Files.createDirectories(notes.getParent());
    Files.writeString(notes, "mine", StandardCharsets.UTF_8);
    assertThatThrownBy(() -> writer(tmp.resolve("a"), 1).write(faces()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("notes.txt");
    assertThat(contents(tmp.resolve("a"))).containsOnlyKeys("notes.txt");

    writer(tmp.resolve("b"), 2).write(faces());
    Map<String, byte[]> before = contents(tmp.resolve("b"));
    DatasetWriter otherSeed =
        DatasetWriter.builder()
            .out(tmp.resolve("b"))
            .seed(99)
            .count(COUNT)
            .samplesPerShard(PER_SHARD)
            .neighbours(4)
            .build();
    assertThatThrownBy(() -> otherSeed.write(faces()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("manifest.txt")
        .hasMessageContaining("seed=99");
    Map<String, byte[]> after = contents(tmp.resolve("b"));
    assertThat(after.keySet()).isEqualTo(before.keySet());
    for (String k : before.keySet()) {
      assertThat(after.get(k)).isEqualTo(before.get(k));
    }
    // A shard file without a manifest is not ours either.
    Path c = tmp.resolve("c");
    Files.createDirectories(c);
    Files.write(c.resolve("shard-00000.bin"), new byte[] {1, 2, 3});
    assertThatThrownBy(() -> writer(c, 1).write(faces())).hasMessageContaining("manifest");
    assertThat(Files.readAllBytes(c.resolve("shard-00000.bin"))).containsExactly(1, 2, 3);
  }

  @Test
  void resumeAfterKillNineGivesTheFilesOfAnUninterruptedRun(@TempDir Path tmp) throws Exception {
    Path killed = tmp.resolve("killed");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                KillTarget.class.getName(),
                killed.toString())
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("killed.log").toFile())
            .start();
    Path manifest = killed.resolve("manifest.txt");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    int shards = 0;
    while (System.nanoTime() < deadline && p.isAlive()) {
      if (Files.isRegularFile(manifest)) {
        try {
          shards =
              (int)
                  Files.readAllLines(manifest).stream().filter(l -> l.startsWith("shard ")).count();
        } catch (IOException e) {
          shards = 0; // being renamed right now
        }
        if (shards >= 3) {
          break;
        }
      }
      Thread.sleep(10);
    }
    assertThat(p.isAlive())
        .as(
            "the writer ended before the kill; log: %s",
            Files.readString(tmp.resolve("killed.log")))
        .isTrue();
    p.destroyForcibly(); // SIGKILL
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String partial = Files.readString(manifest);
    assertThat(partial).doesNotContain("complete");
    assertThat(shards).isGreaterThanOrEqualTo(3);

    DatasetWriter.Result resumed = writer(killed, 2).write(faces());
    assertThat(resumed.shardsKept()).isGreaterThanOrEqualTo(3);
    assertThat(resumed.shardsKept() + resumed.shardsWritten()).isEqualTo(COUNT / PER_SHARD);
    Path whole = tmp.resolve("whole");
    writer(whole, 1).write(faces());
    assertSameFiles(whole, killed);
    List<AugmentedSample> all = new ArrayList<>();
    DatasetReader.open(killed).samples().forEachRemaining(all::add);
    assertThat(all)
        .extracting(AugmentedSample::index)
        .containsExactlyElementsOf(LongStream.range(0, COUNT).boxed().toList());
  }

  @Test
  void shardRangesWrittenApartAndFinishedEqualOneWrite(@TempDir Path tmp) throws IOException {
    writer(tmp.resolve("one"), 2).write(faces());
    DatasetWriter parts = writer(tmp.resolve("parts"), 1);
    int shards = parts.prepareShards(faces());
    assertThat(shards).isEqualTo(COUNT / PER_SHARD);
    // two "workers", the later range first; the manifest lists no shard until the end
    List<DatasetWriter.ShardFile> written = new ArrayList<>(parts.writeShards(faces(), 5, shards));
    assertThat(Files.readString(tmp.resolve("parts/manifest.txt")))
        .doesNotContain("shard-")
        .doesNotContain("complete");
    written.addAll(parts.writeShards(faces(), 0, 5));
    assertThat(written).extracting(DatasetWriter.ShardFile::index).hasSize(shards);
    assertThatThrownBy(() -> parts.finishShards(faces(), written.subList(1, shards)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("shard 5 was not written"); // the list starts with shard 5
    DatasetWriter.Result r = parts.finishShards(faces(), written);
    assertThat(r.samplesWritten()).isEqualTo(COUNT);
    assertSameFiles(tmp.resolve("one"), tmp.resolve("parts"));

    Files.write(tmp.resolve("parts/shard-00003.bin"), new byte[] {1, 2, 3});
    assertThatThrownBy(() -> parts.finishShards(faces(), written))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("shard-00003.bin");
    assertThatThrownBy(() -> parts.writeShards(faces(), 3, shards + 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("to ≤ " + shards);
  }
}
