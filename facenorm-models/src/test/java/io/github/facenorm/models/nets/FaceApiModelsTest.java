package io.github.facenorm.models.nets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.facenorm.core.models.ModelFile;
import io.github.facenorm.core.models.ModelId;
import io.github.facenorm.core.models.ModelStore;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The weights' place in the model store, and the errors when they are absent or corrupt. */
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

  @Test
  void everyFileIsPinnedAndACorruptShardIsAnErrorNamingIt() throws Exception {
    for (String model :
        new String[] {
          FaceApiModels.FACE_RECOGNITION,
          FaceApiModels.FACE_LANDMARK_68,
          FaceApiModels.TINY_FACE_DETECTOR
        }) {
      ModelId id = FaceApiModels.modelId(model);
      assertThat(id.files())
          .extracting(ModelFile::path)
          .containsExactly(model + "-weights_manifest.json", model + ".bin");
      assertThat(id.directory()).isEqualTo("face-api/1.7.15");
      assertThat(id.fetchHint()).isEqualTo("scripts/fetch-face-api.sh");
    }
    ModelStore store = ModelStore.at(dir);
    Path d = store.directory(FaceApiModels.modelId(FaceApiModels.TINY_FACE_DETECTOR));
    Files.createDirectories(d);
    Files.writeString(d.resolve("tiny_face_detector_model-weights_manifest.json"), "[]");
    Files.write(d.resolve("tiny_face_detector_model.bin"), new byte[] {1, 2, 3});
    assertThatThrownBy(() -> FaceApiModels.load(store, FaceApiModels.TINY_FACE_DETECTOR))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("tiny_face_detector_model-weights_manifest.json")
        .hasMessageContaining("SHA-256")
        .hasMessageContaining("scripts/fetch-face-api.sh");
  }

  @Test
  void aFlippedBitInTheRealWeightsIsCaughtAtLoad() throws Exception {
    TestSupport.assumeModel(FaceApiModels.TINY_FACE_DETECTOR);
    ModelId id = FaceApiModels.modelId(FaceApiModels.TINY_FACE_DETECTOR);
    ModelStore copy = ModelStore.at(dir.resolve("copy"));
    copy.install(id, ModelStore.open().directory(id)); // verifies the real files on the way
    assertThat(FaceApiModels.load(copy, FaceApiModels.TINY_FACE_DETECTOR).tensors()).isNotEmpty();
    Path bin = copy.directory(id).resolve("tiny_face_detector_model.bin");
    byte[] bytes = Files.readAllBytes(bin);
    bytes[bytes.length / 2] ^= 0x10;
    Files.write(bin, bytes);
    assertThatThrownBy(() -> FaceApiModels.load(copy, FaceApiModels.TINY_FACE_DETECTOR))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("tiny_face_detector_model.bin")
        .hasMessageContaining("SHA-256");
  }
}
