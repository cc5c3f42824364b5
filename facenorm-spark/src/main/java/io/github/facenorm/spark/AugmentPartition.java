package io.github.facenorm.spark;

import io.github.facenorm.augment.DatasetWriter;
import io.github.facenorm.augment.FaceSet;
import io.github.facenorm.spark.internal.FaceSetCodec;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;

/**
 * The executor side of {@link FacenormSpark#augment}: partition {@code p} of {@code P} writes
 * shards {@code [p·S/P, (p+1)·S/P)} of the {@code S} shards, i.e. samples (seeds) {@code [first,
 * last)} of its range, and returns what it wrote for the driver's manifest.
 */
final class AugmentPartition implements FlatMapFunction<Iterator<Integer>, AugmentPartition.Shard> {

  private static final long serialVersionUID = 1L;

  /** The last decoded face set of this JVM and its broadcast id: concurrent tasks share it. */
  private static long cachedId = -1;

  private static FaceSet cached;

  /** A written shard, as {@link DatasetWriter.ShardFile} (which is not serializable). */
  record Shard(int index, String file, long first, int count, String sha256)
      implements Serializable {
    private static final long serialVersionUID = 1L;

    DatasetWriter.ShardFile toShardFile() {
      return new DatasetWriter.ShardFile(index, file, first, count, sha256);
    }
  }

  private final Broadcast<byte[]> faces;
  private final AugmentOptions options;
  private final int shards;
  private final int partitions;

  AugmentPartition(Broadcast<byte[]> faces, AugmentOptions options, int shards, int partitions) {
    this.faces = faces;
    this.options = options;
    this.shards = shards;
    this.partitions = partitions;
  }

  /** First shard of partition {@code p}: ranges differ in length by at most one shard. */
  static int firstShard(int p, int shards, int partitions) {
    return (int) ((long) p * shards / partitions);
  }

  private static synchronized FaceSet faceSet(Broadcast<byte[]> faces) {
    if (cachedId != faces.id()) {
      cached = FaceSetCodec.decode(faces.value());
      cachedId = faces.id();
    }
    return cached;
  }

  @Override
  public Iterator<Shard> call(Iterator<Integer> partitionIds) throws Exception {
    FaceSet set = faceSet(faces);
    DatasetWriter writer = options.writer(options.threadsPerTask());
    List<Shard> out = new ArrayList<>();
    while (partitionIds.hasNext()) {
      int p = partitionIds.next();
      int from = firstShard(p, shards, partitions);
      int to = firstShard(p + 1, shards, partitions);
      for (DatasetWriter.ShardFile f : writer.writeShards(set, from, to)) {
        out.add(new Shard(f.index(), f.file(), f.first(), f.count(), f.sha256()));
      }
    }
    return out.iterator();
  }
}
