package io.github.facenorm.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.facenorm.augment.AugmentedSample;
import io.github.facenorm.augment.DatasetReader;
import io.github.facenorm.augment.DatasetWriter;
import io.github.facenorm.augment.FaceSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FacenormSpark#augment} in {@code local[2]} against the single-machine {@link
 * DatasetWriter}: same faces, same seed, every file (shards, manifest, cached neighbour table) byte
 * for byte.
 */
class FacenormSparkAugmentTest {

  static final int COUNT = 11; // 6 shards of 2, the last one short
  static final int PER_SHARD = 2;

  static Map<String, byte[]> files(Path dir) throws IOException {
    Map<String, byte[]> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        m.put(dir.relativize(p).toString(), Files.readAllBytes(p));
      }
    }
    return m;
  }

  static AugmentOptions options(Path out, int partitions) {
    return AugmentOptions.builder()
        .out(out)
        .count(COUNT)
        .seed(7)
        .samplesPerShard(PER_SHARD)
        .neighbours(4)
        .partitions(partitions)
        .build();
  }

  @Test
  void twoPartitionsWriteWhatOneMachineWritesByteForByte(@TempDir Path tmp) throws IOException {
    FaceSet faces = TestFaces.faceSet(8, 32, 11);
    Path single = tmp.resolve("single");
    DatasetWriter.builder()
        .out(single)
        .seed(7)
        .count(COUNT)
        .samplesPerShard(PER_SHARD)
        .neighbours(4)
        .threads(1)
        .cacheDir(single.resolve("cache"))
        .build()
        .write(faces);
    Path spark = tmp.resolve("spark");
    DatasetWriter.Result r = FacenormSpark.augment(LocalSpark.session(), faces, options(spark, 2));
    assertThat(r.shardsWritten()).isEqualTo(6);
    assertThat(r.samplesWritten()).isEqualTo(COUNT);

    Map<String, byte[]> a = files(single);
    Map<String, byte[]> b = files(spark);
    assertThat(b.keySet()).isEqualTo(a.keySet());
    assertThat(a.keySet()).contains("manifest.txt", "shard-00000.bin", "shard-00005.bin");
    for (String k : a.keySet()) {
      assertThat(b.get(k)).as(k).isEqualTo(a.get(k));
    }
    DatasetReader reader = DatasetReader.open(spark);
    assertThat(reader.complete()).isTrue();
    List<Long> indices = new ArrayList<>();
    for (Iterator<AugmentedSample> it = reader.samples(); it.hasNext(); ) {
      indices.add(it.next().index());
    }
    assertThat(indices).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);

    // more partitions than shards, and a rerun over the finished folder: the same bytes again
    FacenormSpark.augment(LocalSpark.session(), faces, options(spark, 9));
    Map<String, byte[]> c = files(spark);
    for (String k : a.keySet()) {
      assertThat(c.get(k)).as(k).isEqualTo(a.get(k));
    }
  }

  @Test
  void anotherSeedChangesTheBytes(@TempDir Path tmp) throws IOException {
    FaceSet faces = TestFaces.faceSet(8, 32, 11);
    FacenormSpark.augment(LocalSpark.session(), faces, options(tmp.resolve("a"), 2));
    FacenormSpark.augment(
        LocalSpark.session(),
        faces,
        AugmentOptions.builder()
            .out(tmp.resolve("b"))
            .count(COUNT)
            .seed(8)
            .samplesPerShard(PER_SHARD)
            .neighbours(4)
            .partitions(2)
            .build());
    assertThat(Files.readAllBytes(tmp.resolve("b/shard-00000.bin")))
        .isNotEqualTo(Files.readAllBytes(tmp.resolve("a/shard-00000.bin")));
  }

  @Test
  void aFolderWithForeignFilesIsRefusedBeforeAnyShardIsWritten(@TempDir Path tmp)
      throws IOException {
    Path out = Files.createDirectories(tmp.resolve("out"));
    Files.writeString(out.resolve("holiday.jpg"), "mine");
    assertThatThrownBy(
            () ->
                FacenormSpark.augment(
                    LocalSpark.session(), TestFaces.faceSet(8, 32, 11), options(out, 2)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("holiday.jpg");
    try (Stream<Path> s = Files.list(out)) {
      assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("holiday.jpg");
    }
  }
}
