package io.github.facenorm.spark.internal;

import io.github.facenorm.core.dlib.DlibShapePredictor;
import io.github.facenorm.core.internal.AtomicFiles;
import io.github.facenorm.core.internal.Sha256;
import io.github.facenorm.core.models.LocalModel;
import io.github.facenorm.core.models.ModelFile;
import io.github.facenorm.core.models.ModelId;
import io.github.facenorm.core.models.ModelStore;
import io.github.facenorm.models.nets.FaceApiModels;
import io.github.facenorm.models.normalize.NormalizerModel;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Every model file a normalize job needs, as bytes with their SHA-256, so that a Spark broadcast
 * carries them to executors that have no model cache: the pretrained detector, landmarker and
 * recognition net (from the driver's {@link ModelStore}, checked against their pinned SHA-256), and
 * a trained normalizer model folder when one is used instead of the shipped one (the shipped model
 * travels in the facenorm-models jar). {@link #materialize} writes them into a fresh model store on
 * the executor, checking each file's SHA-256 again.
 */
public final class ModelBundle implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Folder of the normalizer model inside a materialized bundle. */
  static final String NORMALIZER_DIR = "normalizer";

  /** One file: where it goes under the store root, its SHA-256 and its bytes. */
  record Entry(String path, String sha256, byte[] bytes) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  private final List<Entry> entries;
  private final boolean hasNormalizer;
  private final String digest;

  private ModelBundle(List<Entry> entries, boolean hasNormalizer) {
    this.entries = List.copyOf(entries);
    this.hasNormalizer = hasNormalizer;
    MessageDigest md = Sha256.newDigest();
    for (Entry e : entries) {
      md.update(
          (e.path() + " " + e.sha256() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    this.digest = HexFormat.of().formatHex(md.digest());
  }

  /** The pretrained models a normalizer with the default detector, landmarker and encoder loads. */
  static List<ModelId> pretrained() {
    return List.of(
        DlibShapePredictor.modelId(),
        FaceApiModels.modelId(FaceApiModels.TINY_FACE_DETECTOR),
        FaceApiModels.modelId(FaceApiModels.FACE_RECOGNITION));
  }

  /**
   * Reads the bundle on the driver.
   *
   * @param store where the pretrained models are (each file is checked against its pinned SHA-256)
   * @param normalizerDir a trained model folder, or null for the shipped model
   * @return the bundle
   * @throws IOException if a model is missing or corrupt (the message says how to fetch it)
   */
  public static ModelBundle read(ModelStore store, Path normalizerDir) throws IOException {
    Objects.requireNonNull(store, "store");
    List<Entry> entries = new ArrayList<>();
    for (ModelId id : pretrained()) {
      LocalModel m = store.resolve(id);
      for (ModelFile f : id.files()) {
        byte[] bytes = Files.readAllBytes(m.file(f));
        String sha = Sha256.hex(bytes);
        if (!sha.equals(f.sha256())) { // replaced since resolve() checked it
          throw new IOException(
              m.file(f) + ": SHA-256 " + sha + " is not the pinned " + f.sha256());
        }
        entries.add(new Entry(id.directory() + "/" + f.path(), sha, bytes));
      }
    }
    if (normalizerDir != null) {
      NormalizerModel.load(normalizerDir); // checks the folder's own checksums, fails early
      for (String name :
          List.of(
              NormalizerModel.CONFIG_FILE,
              NormalizerModel.WEIGHTS_FILE,
              NormalizerModel.CHECKSUM_FILE)) {
        byte[] bytes = Files.readAllBytes(normalizerDir.resolve(name));
        entries.add(new Entry(NORMALIZER_DIR + "/" + name, Sha256.hex(bytes), bytes));
      }
    }
    return new ModelBundle(entries, normalizerDir != null);
  }

  /** SHA-256 over the files' names and SHA-256s: the same models give the same digest. */
  public String digest() {
    return digest;
  }

  /** Total bytes of the files. */
  public long bytes() {
    long n = 0;
    for (Entry e : entries) {
      n += e.bytes().length;
    }
    return n;
  }

  /**
   * Writes the files under a new temporary folder (deleted when the JVM exits), checking each
   * file's SHA-256 against the driver's.
   *
   * @return the materialized bundle
   */
  public Materialized materialize() {
    try {
      Path root = Files.createTempDirectory("facenorm-models-");
      root.toFile().deleteOnExit();
      for (Entry e : entries) {
        String sha = Sha256.hex(e.bytes());
        if (!sha.equals(e.sha256())) {
          throw new IOException(
              e.path() + ": received with SHA-256 " + sha + ", the driver sent " + e.sha256());
        }
        Path file = root.resolve(e.path());
        // deleted in the reverse order of registration: folders before the files in them
        for (Path p = root; !p.equals(file); p = p.resolve(file.getName(p.getNameCount()))) {
          if (!Files.isDirectory(p)) {
            Files.createDirectory(p);
            p.toFile().deleteOnExit();
          }
        }
        AtomicFiles.write(file, e.bytes());
        file.toFile().deleteOnExit();
      }
      return new Materialized(
          ModelStore.at(root), hasNormalizer ? root.resolve(NORMALIZER_DIR) : null);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the broadcast models: " + e.getMessage(), e);
    }
  }

  /**
   * A bundle written to local disk.
   *
   * @param store the pretrained models
   * @param normalizerDir the trained normalizer folder, or null for the shipped model
   */
  public record Materialized(ModelStore store, Path normalizerDir) {}
}
