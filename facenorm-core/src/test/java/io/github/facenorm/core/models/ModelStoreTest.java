package io.github.facenorm.core.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lookup, checksums, installs and errors of the model store, on small made-up models. */
class ModelStoreTest {
  @TempDir Path dir;

  private static String sha(String content) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8)));
  }

  private static ModelId normalizer() throws Exception {
    return new ModelId(
        "normalizer/small",
        "0.1.0",
        "normalizer/small/0.1.0",
        List.of(
            new ModelFile("model.zip", sha("weights")),
            new ModelFile("card/README.md", sha("card"))),
        "scripts/fetch-normalizer.sh");
  }

  @Test
  void resolvesACachedModelAndChecksEveryFile() throws Exception {
    ModelStore store = ModelStore.at(dir.resolve("cache"));
    ModelId id = normalizer();
    assertThat(store.isCached(id)).isFalse();
    Path d = store.directory(id);
    assertThat(d).isEqualTo(dir.resolve("cache/normalizer/small/0.1.0"));
    Files.createDirectories(d.resolve("card"));
    Files.writeString(d.resolve("model.zip"), "weights");
    assertThatThrownBy(() -> store.resolve(id))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("card/README.md")
        .hasMessageContaining("normalizer/small@0.1.0")
        .hasMessageContaining("scripts/fetch-normalizer.sh");
    Files.writeString(d.resolve("card/README.md"), "card");
    LocalModel m = store.resolve(id);
    assertThat(m.mainFile()).isEqualTo(d.resolve("model.zip"));
    assertThat(m.file(id.files().get(1))).hasContent("card");

    Files.writeString(d.resolve("card/README.md"), "c4rd!"); // corrupt (and a new size)
    assertThatThrownBy(() -> store.resolve(id))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("README.md")
        .hasMessageContaining("SHA-256")
        .hasMessageContaining(sha("card"))
        .hasMessageContaining("scripts/fetch-normalizer.sh");
  }

  @Test
  void installCopiesVerifiedFilesAtomicallyAndRefusesWrongOnes() throws Exception {
    ModelStore store = ModelStore.at(dir.resolve("cache"));
    ModelId id = normalizer();
    Path src = dir.resolve("trained");
    Files.createDirectories(src.resolve("card"));
    Files.writeString(src.resolve("model.zip"), "weights");
    Files.writeString(src.resolve("card/README.md"), "not the card");
    assertThatThrownBy(() -> store.install(id, src))
        .hasMessageContaining("README.md")
        .hasMessageContaining("not installed");
    Files.writeString(src.resolve("card/README.md"), "card");
    LocalModel m = store.install(id, src);
    assertThat(m.mainFile()).hasContent("weights");
    try (Stream<Path> s = Files.walk(store.directory(id))) {
      assertThat(s.filter(p -> p.getFileName().toString().endsWith(".tmp"))).isEmpty();
    }
    assertThat(store.install(id, src)).isEqualTo(m); // idempotent
  }

  @Test
  void idsRejectPathsThatEscapeTheCacheAndMalformedHashes() throws Exception {
    String h = sha("x");
    assertThatThrownBy(() -> new ModelFile("../x", h)).hasMessageContaining("path");
    assertThatThrownBy(() -> new ModelFile("/etc/x", h)).hasMessageContaining("path");
    assertThatThrownBy(() -> new ModelFile("a//b", h)).hasMessageContaining("path");
    assertThatThrownBy(() -> new ModelFile("x", "abc")).hasMessageContaining("sha256");
    assertThat(new ModelFile("x", h.toUpperCase(java.util.Locale.ROOT)).sha256()).isEqualTo(h);
    List<ModelFile> one = List.of(new ModelFile("x", h));
    assertThatThrownBy(() -> new ModelId("n", "1", "../up", one, "f"))
        .hasMessageContaining("directory");
    assertThatThrownBy(() -> new ModelId("n m", "1", "d", one, "f")).hasMessageContaining("name");
    assertThatThrownBy(() -> new ModelId("n", "1", "d", List.of(), "f"))
        .hasMessageContaining("files");
    assertThatThrownBy(() -> new ModelId("n", "1", "d", List.of(one.get(0), one.get(0)), "f"))
        .hasMessageContaining("duplicate");
  }

  @Test
  void theCacheRootIsThePropertyThenTheEnvironmentThenHome() {
    String old = System.getProperty(ModelStore.CACHE_PROPERTY);
    try {
      System.setProperty(ModelStore.CACHE_PROPERTY, dir.toString());
      assertThat(ModelStore.defaultRoot()).isEqualTo(dir);
      assertThat(ModelStore.open().root()).isEqualTo(dir.toAbsolutePath().normalize());
      System.clearProperty(ModelStore.CACHE_PROPERTY);
      String env = System.getenv(ModelStore.CACHE_ENV);
      String home = System.getenv("HOME");
      Path expected =
          env != null && !env.isBlank()
              ? Path.of(env)
              : Path.of(
                  home != null && !home.isBlank() ? home : System.getProperty("user.home"),
                  ".cache",
                  "facenorm");
      assertThat(ModelStore.defaultRoot()).isEqualTo(expected);
    } finally {
      if (old == null) {
        System.clearProperty(ModelStore.CACHE_PROPERTY);
      } else {
        System.setProperty(ModelStore.CACHE_PROPERTY, old);
      }
    }
  }

  @Test
  void thePinListHoldsEveryPretrainedFileOnce() {
    List<ModelId> all = PretrainedModels.all();
    assertThat(all)
        .extracting(ModelId::name)
        .containsExactly(
            "dlib/shape_predictor_68_face_landmarks",
            "face-api/face_recognition_model",
            "face-api/face_landmark_68_model",
            "face-api/tiny_face_detector_model");
    ModelId dlib = PretrainedModels.get(PretrainedModels.DLIB_SHAPE_PREDICTOR_68);
    assertThat(dlib.directory()).isEqualTo("dlib");
    assertThat(dlib.mainFile().path()).isEqualTo("shape_predictor_68_face_landmarks.dat");
    assertThat(dlib.fetchHint()).isEqualTo("scripts/fetch-dlib-model.sh");
    assertThat(all.stream().mapToInt(m -> m.files().size()).sum()).isEqualTo(7);
    assertThatThrownBy(() -> PretrainedModels.get("nope"))
        .hasMessageContaining("nope")
        .hasMessageContaining("face-api/face_recognition_model");
  }
}
