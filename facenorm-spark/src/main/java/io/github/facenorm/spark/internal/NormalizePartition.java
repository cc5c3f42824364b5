package io.github.facenorm.spark.internal;

import io.github.facenorm.core.FaceImage;
import io.github.facenorm.core.batch.BatchRunner;
import io.github.facenorm.core.internal.ImageCodec;
import io.github.facenorm.models.eval.NormalizationEvaluation;
import io.github.facenorm.models.normalize.NormalizedFace;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Iterator;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.TaskCompletionListener;

/**
 * The executor side of {@code FacenormSpark.normalize}: rows {@code (path, content)} in, one output
 * row per photo out, lazily (a partition is streamed, never held). A photo that fails in any way,
 * {@code Error}s included, becomes a row with its error, as a failed item of the command line's
 * batch runner does; only a task that Spark itself kills or interrupts ends early (its rows are
 * then dropped by Spark and the task runs again).
 */
public final class NormalizePartition implements MapPartitionsFunction<Row, Row> {

  private static final long serialVersionUID = 1L;

  /**
   * What the executors need besides the models.
   *
   * @param identityDistance whether to measure the input → output identity distance
   * @param maxPixels the pixel limit of a photo
   */
  public record Settings(boolean identityDistance, long maxPixels) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  private final Broadcast<ModelBundle> models;
  private final Settings settings;

  /**
   * The function.
   *
   * @param models the broadcast models
   * @param settings the settings
   */
  public NormalizePartition(Broadcast<ModelBundle> models, Settings settings) {
    this.models = models;
    this.settings = settings;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> photos) {
    NormalizeWorkers workers =
        NormalizeWorkers.of(models.value(), ThreadBudget.of(SparkEnv.get().conf()));
    NormalizeWorkers.Worker worker = workers.borrow();
    TaskContext task = TaskContext.get();
    if (task != null) {
      task.addTaskCompletionListener((TaskCompletionListener) ctx -> workers.release(worker));
    }
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return photos.hasNext();
      }

      @Override
      public Row next() {
        Row in = photos.next();
        return normalize(worker, in.getString(0), (byte[]) in.get(1), task);
      }
    };
  }

  private Row normalize(
      NormalizeWorkers.Worker worker, String path, byte[] content, TaskContext task) {
    try {
      if (content == null) {
        throw new IllegalArgumentException(path + ": no content");
      }
      ImageCodec.Decoded d = ImageCodec.decode(Path.of(path), content, settings.maxPixels());
      FaceImage photo = FaceImage.of(d.width(), d.height(), d.rgb());
      NormalizedFace face;
      Double distance = null;
      if (settings.identityDistance()) {
        NormalizationEvaluation.Measured m =
            NormalizationEvaluation.measure(worker.normalizer(), worker.net(), photo, "", path);
        face = m.face();
        distance = m.measure().distance();
      } else {
        face = worker.normalizer().normalize(photo);
      }
      byte[] png = ImageCodec.encode(face.image().toBufferedImage(), "png");
      return RowFactory.create(path, png, face.landmarks().toFlatArray(), distance, null);
    } catch (Throwable t) { // NOPMD: one photo's failure, Errors included, must not end the job
      if (task != null && (task.isInterrupted() || Thread.currentThread().isInterrupted())) {
        throw t instanceof RuntimeException r ? r : new IllegalStateException("task killed", t);
      }
      String reason = BatchRunner.describe(t);
      return RowFactory.create(
          path, null, null, null, reason.contains(path) ? reason : path + ": " + reason);
    }
  }
}
