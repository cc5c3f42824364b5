package io.github.facenorm.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.github.facenorm.core.FaceImage;
import io.github.facenorm.models.normalize.FaceNormalizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkContext;
import org.apache.spark.TaskKilled;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Spark's task retry: the first task of a normalize job that writes Parquet is killed while it
 * works through its photos; Spark runs it again, and the output still has every photo exactly once.
 */
class TaskRetryTest {

  static final int PHOTOS = 12;

  private static Dataset<Row> photos(SparkSession spark, Path in) {
    return FacenormSpark.photos(spark, in.toString()).repartition(2, functions.col("path"));
  }

  @Test
  void aKilledTaskIsRunAgainAndEveryPhotoIsWrittenOnce(@TempDir Path tmp) throws Exception {
    assumeThat(TestFaces.modelsCached())
        .as("models not cached; run scripts/fetch-models.sh")
        .isTrue();
    Path in = Files.createDirectories(tmp.resolve("in"));
    FaceImage face = TestFaces.face(FaceNormalizer.builder().build());
    for (int i = 0; i < PHOTOS; i++) {
      face.write(in.resolve(String.format("photo-%02d.png", i)));
    }
    SparkSession spark = LocalSpark.session();
    NormalizeOptions options = NormalizeOptions.defaults();
    // A first run on 2 photos in 2 tasks loads both tasks' normalizers, so the kill lands among
    // photos, not model loading.
    Path two = Files.createDirectories(tmp.resolve("two"));
    face.write(two.resolve("a.png"));
    face.write(two.resolve("b.png"));
    assertThat(FacenormSpark.normalize(photos(spark, two), options).count()).isEqualTo(2);

    SparkContext sc = spark.sparkContext();
    AtomicBoolean killed = new AtomicBoolean();
    AtomicInteger killedEnds = new AtomicInteger();
    Set<Long> ended = ConcurrentHashMap.newKeySet();
    AtomicInteger resultStage = new AtomicInteger(-1);
    SparkListener killer =
        new SparkListener() {
          @Override
          public void onJobStart(SparkListenerJobStart job) {
            // the job's last stage normalizes and writes (the earlier one lists and shuffles)
            int last = -1;
            for (Object id : CollectionConverters.asJava(job.stageIds())) {
              last = Math.max(last, (Integer) id);
            }
            resultStage.set(last);
          }

          @Override
          public void onTaskStart(SparkListenerTaskStart start) {
            long id = start.taskInfo().taskId();
            if (start.stageId() != resultStage.get()
                || start.taskInfo().attemptNumber() != 0
                || killed.get()) {
              return;
            }
            // 0.3 s in: the normalizers are loaded, the task is among its 6 photos (≥ 1 s)
            Thread t =
                new Thread(
                    () -> {
                      try {
                        Thread.sleep(300);
                      } catch (InterruptedException e) {
                        return;
                      }
                      if (!ended.contains(id) && killed.compareAndSet(false, true)) {
                        sc.killTaskAttempt(id, true, "TaskRetryTest kills a task mid-job");
                      }
                    });
            t.setDaemon(true);
            t.start();
          }

          @Override
          public void onTaskEnd(SparkListenerTaskEnd end) {
            ended.add(end.taskInfo().taskId());
            if (end.reason() instanceof TaskKilled) {
              killedEnds.incrementAndGet();
            }
          }
        };
    Path parquet = tmp.resolve("out.parquet");
    sc.addSparkListener(killer);
    try {
      FacenormSpark.normalize(photos(spark, in), options).write().parquet(parquet.toString());
    } finally {
      for (int i = 0; i < 100 && killedEnds.get() == 0; i++) {
        Thread.sleep(100); // listener events arrive asynchronously
      }
      sc.removeSparkListener(killer);
    }
    assertThat(killed).isTrue();
    assertThat(killedEnds.get()).as("tasks that ended killed").isGreaterThanOrEqualTo(1);
    Dataset<Row> out = spark.read().parquet(parquet.toString());
    List<Row> rows = out.collectAsList();
    assertThat(rows).hasSize(PHOTOS);
    assertThat(rows.stream().map(r -> r.getString(0)).distinct().count()).isEqualTo(PHOTOS);
    assertThat(rows.stream().filter(r -> !r.isNullAt(4)).map(r -> r.getString(4)).toList())
        .isEmpty();
  }
}
