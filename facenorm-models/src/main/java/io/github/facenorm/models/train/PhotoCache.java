package io.github.facenorm.models.train;

import io.github.facenorm.core.AlignedFace;
import io.github.facenorm.core.FaceImage;
import io.github.facenorm.core.FacePreparer;
import io.github.facenorm.core.QualityReport;
import io.github.facenorm.core.batch.BatchProgress;
import io.github.facenorm.core.internal.AtomicFiles;
import io.github.facenorm.core.internal.Sha256;
import io.github.facenorm.models.nets.FaceRecognitionNet;
import io.github.facenorm.models.normalize.FaceChip;
import io.github.facenorm.models.normalize.ModelConfig;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * Stage one of training: every photo of the training collections landmarked (dlib), aligned to the
 * model's frame, cut to a {@link FaceChip} and encoded once, stored in checksummed chunk files of
 * {@value #CHUNK} photos. A killed run resumes at the first missing chunk; a chunk whose checksum
 * fails is named in the error.
 */
public final class PhotoCache {

  /** Photos per chunk file. */
  public static final int CHUNK = 256;

  private static final int MAGIC = 0x464e5043; // "FNPC"
  private static final int VERSION = 1;

  private PhotoCache() {}

  /**
   * A collection of photos, one folder per person.
   *
   * @param name short name, prefixed to person ids (e.g. {@code lfw})
   * @param root the folder holding one sub-folder per person
   * @param studio whether every photo is an evenly lit studio shot (a single photo may then be a
   *     person's target); otherwise a person needs {@code minPhotos} photos to be used
   */
  public record Collection(String name, Path root, boolean studio) {
    /** Checks the components. */
    public Collection {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(root, "root");
    }
  }

  /** One photo to cache. */
  record Source(Collection collection, String person, Path file) {}

  /**
   * Every photo of the collections, sorted: the cache depends only on the collections and the
   * frame, so runs with different target rules (e.g. {@code --min-photos}) can share it.
   *
   * @param collections the collections
   * @return the photos
   * @throws IOException if a folder cannot be listed or holds no photo
   */
  static List<Source> list(List<Collection> collections) throws IOException {
    List<Source> out = new ArrayList<>();
    for (Collection c : collections) {
      if (!Files.isDirectory(c.root())) {
        throw new IOException("data: " + c.root() + " is not a directory");
      }
      List<Path> people;
      try (Stream<Path> s = Files.list(c.root())) {
        people = s.filter(Files::isDirectory).sorted().toList();
      }
      for (Path p : people) {
        List<Path> photos;
        try (Stream<Path> s = Files.list(p)) {
          photos =
              s.filter(
                      f -> {
                        String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
                        return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png");
                      })
                  .sorted()
                  .toList();
        }
        if (photos.isEmpty()) {
          continue;
        }
        for (Path f : photos) {
          out.add(new Source(c, c.name() + "/" + p.getFileName(), f));
        }
      }
    }
    if (out.isEmpty()) {
      throw new IOException("data: no photo under " + collections);
    }
    return out;
  }

  /**
   * Builds (or completes) the cache.
   *
   * @param collections the photo collections
   * @param config the model whose frame is cut
   * @param preparer landmarks + quality filters (its own aligner is used for the filters)
   * @param encoder the recognition net
   * @param dir the cache folder (created)
   * @param threads worker threads for landmarking and alignment
   * @param log progress and failures
   * @return the records, in photo order
   * @throws IOException if the cache cannot be written, a chunk is corrupt, or the folder holds a
   *     cache of other photos or another frame
   */
  public static List<PhotoRecord> build(
      List<Collection> collections,
      ModelConfig config,
      FacePreparer preparer,
      FaceRecognitionNet encoder,
      Path dir,
      int threads,
      PrintStream log)
      throws IOException {
    List<Source> sources = list(collections);
    Files.createDirectories(dir);
    checkSources(dir, sources, config);
    int chunks = (sources.size() + CHUNK - 1) / CHUNK;
    List<PhotoRecord> all = new ArrayList<>(sources.size());
    long start = System.nanoTime();
    int made = 0;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (PrintStream failures =
        new PrintStream(
            Files.newOutputStream(
                dir.resolve("failures.csv"),
                java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND),
            true,
            StandardCharsets.UTF_8)) {
      for (int c = 0; c < chunks; c++) {
        Path file = dir.resolve(String.format(Locale.ROOT, "photos-%05d.bin", c));
        if (Files.exists(file)) {
          all.addAll(readChunk(file));
          continue;
        }
        List<Source> part = sources.subList(c * CHUNK, Math.min(sources.size(), (c + 1) * CHUNK));
        List<Future<Object>> jobs = new ArrayList<>();
        for (Source s : part) {
          jobs.add(pool.submit(() -> prepare(s, config, preparer)));
        }
        List<Prepared> ok = new ArrayList<>();
        for (int i = 0; i < part.size(); i++) {
          Object r;
          try {
            r = jobs.get(i).get();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
          } catch (java.util.concurrent.ExecutionException e) {
            r = String.valueOf(e.getCause());
          }
          if (r instanceof Prepared p) {
            ok.add(p);
          } else {
            String msg = part.get(i).file() + "," + String.valueOf(r).replace(',', ';');
            failures.println(msg);
            log.println("photo cache: skipped " + part.get(i).file() + ": " + r);
          }
        }
        List<PhotoRecord> records = encode(ok, encoder);
        writeChunk(file, records);
        all.addAll(records);
        made += part.size();
        double secs = (System.nanoTime() - start) / 1e9;
        int left = sources.size() - (c + 1) * CHUNK;
        log.printf(
            Locale.ROOT,
            "photo cache: photos %d/%d (%.1f photos/s, ETA %s)%n",
            Math.min(sources.size(), (c + 1) * CHUNK),
            sources.size(),
            made / secs,
            BatchProgress.duration(Math.max(0, left) / (made / secs)));
      }
    } finally {
      pool.shutdownNow();
    }
    return all;
  }

  private record Prepared(Source source, AlignedFace frame, FaceImage chip, QualityReport q) {}

  /** The file naming what a cache folder holds: SHA-256 of the frame and the photo list. */
  static final String SOURCES_FILE = "sources.sha256";

  /**
   * Records what the cache holds on first use and refuses a folder that holds the cache of other
   * photos or another frame: its chunks would silently pair photos with the wrong records.
   */
  private static void checkSources(Path dir, List<Source> sources, ModelConfig config)
      throws IOException {
    java.security.MessageDigest d = Sha256.newDigest();
    d.update(
        (config.name()
                + "\t"
                + config.frameSize()
                + "\t"
                + config.interocular()
                + "\t"
                + config.eyeHeight()
                + "\n")
            .getBytes(StandardCharsets.UTF_8));
    for (Source s : sources) {
      d.update(
          (s.collection().name()
                  + "\t"
                  + s.collection().studio()
                  + "\t"
                  + s.person()
                  + "\t"
                  + s.collection().root().relativize(s.file())
                  + "\n")
              .getBytes(StandardCharsets.UTF_8));
    }
    String want =
        Sha256.hex(d.digest()) + "  " + sources.size() + " photos, " + config.name() + "\n";
    Path file = dir.resolve(SOURCES_FILE);
    if (Files.exists(file)) {
      String have = Files.readString(file, StandardCharsets.UTF_8);
      if (!have.equals(want)) {
        throw new IOException(
            "photo cache "
                + dir
                + " holds other photos or another frame (its "
                + SOURCES_FILE
                + ": "
                + have.strip()
                + "; these collections: "
                + want.strip()
                + "): choose another --photo-cache or delete it");
      }
    } else {
      AtomicFiles.writeString(file, want);
    }
  }

  private static Object prepare(Source s, ModelConfig config, FacePreparer preparer) {
    try {
      FaceImage photo = FaceImage.read(s.file());
      FacePreparer.Prepared p = preparer.prepare(photo);
      AlignedFace frame = config.aligner().align(photo, p.photoLandmarks());
      FaceImage chip = FaceChip.cut(photo, p.photoLandmarks());
      return new Prepared(s, frame, chip, p.quality());
    } catch (Throwable t) { // NOPMD: one photo's failure, Errors included, must not end the run
      return io.github.facenorm.core.batch.BatchRunner.describe(t);
    }
  }

  private static List<PhotoRecord> encode(List<Prepared> ok, FaceRecognitionNet encoder) {
    List<PhotoRecord> out = new ArrayList<>(ok.size());
    for (int i = 0; i < ok.size(); i += 32) {
      List<Prepared> b = ok.subList(i, Math.min(ok.size(), i + 32));
      FaceRecognitionNet.Encodings e = encoder.encodeAll(b.stream().map(Prepared::chip).toList());
      for (int j = 0; j < b.size(); j++) {
        Prepared p = b.get(j);
        QualityReport q = p.q();
        out.add(
            new PhotoRecord(
                p.source().person(),
                p.source().collection().root().relativize(p.source().file()).toString(),
                p.source().collection().studio(),
                FaceImage.ofRgb8(
                    p.frame().image().width(),
                    p.frame().image().height(),
                    p.frame().image().toRgb8()),
                p.frame().landmarks(),
                q.pose().headPose().yaw(),
                q.expression().passed(),
                q.blur().passed(),
                q.monochrome().passed(),
                e.pooledFeatures()[j],
                e.descriptors()[j]));
      }
    }
    return out;
  }

  static void writeChunk(Path file, List<PhotoRecord> records) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(MAGIC);
      out.writeInt(VERSION);
      out.writeInt(records.size());
      for (PhotoRecord r : records) {
        r.write(out);
      }
    }
    byte[] body = bytes.toByteArray();
    CRC32 crc = new CRC32();
    crc.update(body);
    AtomicFiles.write(
        file,
        stream -> {
          DataOutputStream out = new DataOutputStream(stream);
          out.write(body);
          out.writeLong(crc.getValue());
          out.flush();
        });
  }

  static List<PhotoRecord> readChunk(Path file) throws IOException {
    byte[] all = Files.readAllBytes(file);
    if (all.length < 20) {
      throw new IOException(file + ": truncated photo cache chunk; delete it to rebuild");
    }
    CRC32 crc = new CRC32();
    crc.update(all, 0, all.length - 8);
    long stored = java.nio.ByteBuffer.wrap(all, all.length - 8, 8).getLong();
    if (stored != crc.getValue()) {
      throw new IOException(file + ": checksum mismatch (corrupt chunk); delete it to rebuild");
    }
    try (InputStream raw = new java.io.ByteArrayInputStream(all, 0, all.length - 8);
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw))) {
      if (in.readInt() != MAGIC || in.readInt() != VERSION) {
        throw new IOException(
            file + ": not a facenorm photo cache chunk (version " + VERSION + ")");
      }
      int n = in.readInt();
      List<PhotoRecord> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        out.add(PhotoRecord.read(in));
      }
      return out;
    }
  }
}
