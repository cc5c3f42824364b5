package io.github.facenorm.core.models;

import io.github.facenorm.core.internal.AtomicFiles;
import io.github.facenorm.core.internal.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Objects;

/**
 * The one place facenorm's pretrained assets are looked up: dlib's shape predictor, face-api's
 * weight manifests and shards, and the normalizer models to come. Every file of a model is checked
 * against its pinned SHA-256 ({@link ModelId#files()}) before a loader sees it; a missing or
 * corrupt file is an error naming the file and the command that fetches it.
 *
 * <p>The library never downloads: the fetch scripts ({@code scripts/fetch-models.sh}) bring the
 * pretrained files with the ordinary clients ({@code npm}, {@code apt-get}). Java writes to the
 * cache only through {@link #install}, one atomic file at a time.
 *
 * <p>One cache root for the scripts and the JVM ({@link #defaultRoot()}): the system property
 * {@value #CACHE_PROPERTY}, else the environment variable {@value #CACHE_ENV}, else {@code
 * $HOME/.cache/facenorm} (the environment's {@code HOME}, as the scripts use it, falling back to
 * {@code user.home}). Thread-safe.
 */
public final class ModelStore {

  /** System property naming the cache root; takes precedence over {@link #CACHE_ENV}. */
  public static final String CACHE_PROPERTY = "facenorm.cache";

  /** Environment variable naming the cache root (the fetch scripts read the same one). */
  public static final String CACHE_ENV = "FACENORM_CACHE";

  private final Path root;

  private ModelStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /**
   * The store at the default cache root, {@link #defaultRoot()} (read again at each call).
   *
   * @return the store
   */
  public static ModelStore open() {
    return new ModelStore(defaultRoot());
  }

  /**
   * A store at a given root.
   *
   * @param root the cache root (it need not exist yet)
   * @return the store
   */
  public static ModelStore at(Path root) {
    return new ModelStore(Objects.requireNonNull(root, "root"));
  }

  /**
   * The cache root: the system property {@value #CACHE_PROPERTY}, else the environment variable
   * {@value #CACHE_ENV}, else {@code $HOME/.cache/facenorm} (with {@code HOME} from the environment
   * as the fetch scripts use it, {@code user.home} when it is unset). Blank values count as unset.
   *
   * @return the root (it may not exist)
   */
  public static Path defaultRoot() {
    String dir = System.getProperty(CACHE_PROPERTY);
    if (dir == null || dir.isBlank()) {
      dir = System.getenv(CACHE_ENV);
    }
    if (dir != null && !dir.isBlank()) {
      return Paths.get(dir);
    }
    String home = System.getenv("HOME");
    if (home == null || home.isBlank()) {
      home = System.getProperty("user.home");
    }
    return Paths.get(home, ".cache", "facenorm");
  }

  /**
   * The cache root of this store.
   *
   * @return an absolute path
   */
  public Path root() {
    return root;
  }

  /**
   * Where a model's files live in this store.
   *
   * @param id the model
   * @return {@code <root>/<id.directory()>}
   */
  public Path directory(ModelId id) {
    return root.resolve(id.directory());
  }

  /**
   * Whether every file of a model is present (without checking hashes; {@link #resolve} checks).
   *
   * @param id the model
   * @return true if each file exists as a regular file
   */
  public boolean isCached(ModelId id) {
    Path dir = directory(id);
    for (ModelFile f : id.files()) {
      if (!Files.isRegularFile(dir.resolve(f.path()))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Finds a model and checks the SHA-256 of each of its files.
   *
   * @param id the model
   * @return where it is
   * @throws NoSuchFileException if a file is missing (the message names the file and {@link
   *     ModelId#fetchHint()})
   * @throws IOException if a file cannot be read or its SHA-256 is not the pinned one (the message
   *     names the file, both hashes and the fetch hint)
   */
  public LocalModel resolve(ModelId id) throws IOException {
    Objects.requireNonNull(id, "id");
    Path dir = directory(id);
    for (ModelFile f : id.files()) {
      Path file = dir.resolve(f.path());
      if (!Files.isRegularFile(file)) {
        throw new NoSuchFileException(
            file.toString(),
            null,
            id.coordinates()
                + " is not in the model cache "
                + root
                + ": run "
                + id.fetchHint()
                + " (or point -D"
                + CACHE_PROPERTY
                + " or "
                + CACHE_ENV
                + " at a cache that has it)");
      }
      String actual = Sha256.hex(file);
      if (!actual.equals(f.sha256())) {
        throw new IOException(
            file
                + ": SHA-256 "
                + actual
                + " is not the pinned "
                + f.sha256()
                + " of "
                + id.coordinates()
                + " (corrupt or replaced): delete it and run "
                + id.fetchHint());
      }
    }
    return new LocalModel(id, dir);
  }

  /**
   * Copies a model's files into the cache, each atomically ({@code source/<path>} to {@code
   * <root>/<directory>/<path>}), checking every SHA-256 before and after. Files already present
   * with the right hash are kept.
   *
   * @param id the model
   * @param source a directory with the model's files at their relative paths
   * @return the installed model
   * @throws IOException if a source file is missing or has the wrong hash, or a copy fails
   */
  public LocalModel install(ModelId id, Path source) throws IOException {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(source, "source");
    Path dir = directory(id);
    for (ModelFile f : id.files()) {
      Path from = source.resolve(f.path());
      String actual = Sha256.hex(from);
      if (!actual.equals(f.sha256())) {
        throw new IOException(
            from
                + ": SHA-256 "
                + actual
                + " is not the "
                + f.sha256()
                + " that "
                + id.coordinates()
                + " pins; not installed");
      }
      Path to = dir.resolve(f.path());
      if (Files.isRegularFile(to) && Sha256.hex(to).equals(f.sha256())) {
        continue;
      }
      Path parent = to.getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      AtomicFiles.copy(from, to);
    }
    return resolve(id);
  }

  @Override
  public String toString() {
    return "ModelStore[" + root + "]";
  }
}
