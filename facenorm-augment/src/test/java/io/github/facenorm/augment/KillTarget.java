package io.github.facenorm.augment;

import io.github.facenorm.core.FaceImage;
import io.github.facenorm.core.MeanShape;
import java.nio.file.Path;

/**
 * Run in a separate JVM by {@link DatasetWriterTest} and killed with SIGKILL halfway: writes the
 * test dataset slowly (each face lookup sleeps), so the kill lands between shards or inside one.
 */
public final class KillTarget {

  private KillTarget() {}

  /**
   * Writes {@link DatasetWriterTest#writer} 's dataset.
   *
   * @param args the output folder
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    FaceSet fast = DatasetWriterTest.faces();
    FaceSet slow =
        new FaceSet() {
          @Override
          public int size() {
            return fast.size();
          }

          @Override
          public MorphFace face(int index) {
            try {
              Thread.sleep(60);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return fast.face(index);
          }

          @Override
          public int backgroundCount() {
            return fast.backgroundCount();
          }

          @Override
          public FaceImage background(int index) {
            return fast.background(index);
          }

          @Override
          public MeanShape meanShape() {
            return fast.meanShape();
          }
        };
    DatasetWriterTest.writer(Path.of(args[0]), 2).write(slow);
  }
}
