package io.github.facenorm.models.nets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache location and the message when the weights are absent. */
class FaceApiModelsTest {
  @TempDir Path dir;

  @Test
  void systemPropertyChoosesTheCacheAndAbsentModelsSayHowToFetchThem() {
    String old = System.getProperty("facenorm.cache");
    try {
      System.setProperty("facenorm.cache", dir.toString());
      assertThat(FaceApiModels.directory()).isEqualTo(dir.resolve("face-api").resolve("1.7.15"));
      assertThat(FaceApiModels.isAvailable(FaceApiModels.FACE_RECOGNITION)).isFalse();
      assertThatThrownBy(() -> FaceRecognitionNet.load())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("scripts/fetch-face-api.sh")
          .hasMessageContaining(dir.toString());
    } finally {
      if (old == null) {
        System.clearProperty("facenorm.cache");
      } else {
        System.setProperty("facenorm.cache", old);
      }
    }
  }
}
