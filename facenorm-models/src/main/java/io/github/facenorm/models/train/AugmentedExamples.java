package io.github.facenorm.models.train;

import io.github.facenorm.augment.AugmentedSample;
import io.github.facenorm.augment.DatasetReader;
import io.github.facenorm.core.FaceImage;
import io.github.facenorm.core.batch.BatchProgress;
import io.github.facenorm.core.internal.AtomicFiles;
import io.github.facenorm.core.internal.Sha256;
import io.github.facenorm.models.nets.FaceRecognitionNet;
import io.github.facenorm.models.normalize.FaceChip;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The samples of a {@code facenorm augment} dataset (paper Sec. 5: random morphs of the training
 * identities, composited onto real backgrounds) as training examples: each sample's rendered input
 * is cut to a {@link FaceChip} at its known landmarks and encoded once by the recognition net, like
 * a photo in the {@link PhotoCache}; the target is the sample's own texture and landmarks.
 *
 * <p>The encodings are cached per shard in {@code cacheDir} ({@code features-NNNNN.bin}: the
 * shard's SHA-256 from the dataset manifest, then per sample 256 pooled features and the 128-D
 * descriptor, then a SHA-256 of the file), written atomically, so an interrupted run resumes and a
 * dataset rewritten with other samples is re-encoded. Textures stay 8-bit in memory ({@code S·S·3}
 * bytes per sample, 49 KB at 128 px).
 */
public final class AugmentedExamples {

  private static final int MAGIC = 0x464e4146; // "FNAF"
  private static final int VERSION = 1;
  private static final int ENCODE_BATCH = 32;

  final int size;
  final float[][] features; // [A][256]
  final float[][] descriptors; // [A][128]
  final byte[][] textures; // [A][S*S*3]
  final float[][] landmarks; // [A][136]
  private final Set<String> identities;
  private final String fingerprint;
  private final Path dataset;

  private AugmentedExamples(
      Path dataset,
      int size,
      float[][] features,
      float[][] descriptors,
      byte[][] textures,
      float[][] landmarks,
      Set<String> identities,
      String fingerprint) {
    this.dataset = dataset;
    this.size = size;
    this.features = features;
    this.descriptors = descriptors;
    this.textures = textures;
    this.landmarks = landmarks;
    this.identities = identities;
    this.fingerprint = fingerprint;
  }

  /**
   * Reads a complete dataset and encodes its inputs (or reads the encodings from the cache).
   *
   * @param dataset a folder written by {@code facenorm augment} (complete: every planned shard)
   * @param cacheDir where the encodings are cached (created)
   * @param encoder the recognition net the photos were encoded with
   * @param log progress with rate and ETA
   * @return the examples, in sample order
   * @throws IOException if the dataset is incomplete or a shard is damaged (the message names it),
   *     or the cache cannot be written
   */
  public static AugmentedExamples load(
      Path dataset, Path cacheDir, FaceRecognitionNet encoder, PrintStream log) throws IOException {
    Objects.requireNonNull(encoder, "encoder");
    DatasetReader reader = DatasetReader.open(dataset);
    if (!reader.complete()) {
      throw new IOException(
          dataset
              + ": the augment dataset is incomplete ("
              + reader.count()
              + " of "
              + reader.plannedCount()
              + " samples): finish it with the same facenorm augment command first");
    }
    if (reader.width() != reader.height()) {
      throw new IOException(
          dataset + ": expected square samples, got " + reader.width() + "×" + reader.height());
    }
    Files.createDirectories(cacheDir);
    int n = Math.toIntExact(reader.count());
    float[][] feats = new float[n][];
    float[][] descs = new float[n][];
    byte[][] tex = new byte[n][];
    float[][] lms = new float[n][];
    Set<String> ids = new LinkedHashSet<>();
    MessageDigest all = Sha256.newDigest();
    long start = System.nanoTime();
    int encoded = 0;
    int k = 0;
    for (int s = 0; s < reader.shardCount(); s++) {
      List<AugmentedSample> samples = reader.readShard(s);
      String shardSha = reader.shardSha256(s);
      all.update(shardSha.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      Path file = cacheDir.resolve(String.format(Locale.ROOT, "features-%05d.bin", s));
      float[][][] enc = readCache(file, shardSha, samples.size());
      if (enc == null) {
        enc = encode(samples, encoder);
        writeCache(file, shardSha, enc);
        encoded += samples.size();
      }
      for (int i = 0; i < samples.size(); i++, k++) {
        AugmentedSample a = samples.get(i);
        feats[k] = enc[0][i];
        descs[k] = enc[1][i];
        tex[k] = a.textureRgb8();
        double[] xy = a.landmarks().toFlatArray();
        float[] l = new float[xy.length];
        for (int j = 0; j < xy.length; j++) {
          l[j] = (float) xy[j];
        }
        lms[k] = l;
        ids.add(a.idA());
        ids.add(a.idB());
      }
      double secs = (System.nanoTime() - start) / 1e9;
      if (encoded > 0) {
        int left = n - k;
        log.printf(
            Locale.ROOT,
            "augment examples: %d/%d (%.1f encoded/s, ETA %s)%n",
            k,
            n,
            encoded / secs,
            BatchProgress.duration(left / (encoded / secs)));
      }
    }
    log.printf(
        Locale.ROOT,
        "augment examples: %d samples of %d identities from %s (%d encoded now, the rest cached)%n",
        n,
        ids.size(),
        dataset,
        encoded);
    return new AugmentedExamples(
        dataset,
        reader.width(),
        feats,
        descs,
        tex,
        lms,
        Set.copyOf(ids),
        HexFormat.of().formatHex(all.digest()).substring(0, 16));
  }

  /** Examples from arrays (tests). */
  static AugmentedExamples of(
      Path dataset,
      int size,
      float[][] features,
      float[][] descriptors,
      byte[][] textures,
      float[][] landmarks,
      Set<String> identities) {
    return new AugmentedExamples(
        dataset, size, features, descriptors, textures, landmarks, Set.copyOf(identities), "test");
  }

  /** Samples. */
  public int count() {
    return features.length;
  }

  /** Side of the samples' square frame, px. */
  public int size() {
    return size;
  }

  /** The ids of the faces the samples were morphed from (person ids of the training targets). */
  public Set<String> identities() {
    return identities;
  }

  /** The dataset's folder. */
  public Path dataset() {
    return dataset;
  }

  /** The first 16 hex digits of a SHA-256 over the dataset's shard hashes. */
  public String fingerprint() {
    return fingerprint;
  }

  private static float[][][] encode(List<AugmentedSample> samples, FaceRecognitionNet encoder) {
    float[][] f = new float[samples.size()][];
    float[][] d = new float[samples.size()][];
    for (int i = 0; i < samples.size(); i += ENCODE_BATCH) {
      List<AugmentedSample> b = samples.subList(i, Math.min(samples.size(), i + ENCODE_BATCH));
      List<FaceImage> chips = new ArrayList<>(b.size());
      for (AugmentedSample a : b) {
        chips.add(FaceChip.cut(a.image(), a.landmarks()));
      }
      FaceRecognitionNet.Encodings e = encoder.encodeAll(chips);
      for (int j = 0; j < b.size(); j++) {
        f[i + j] = e.pooledFeatures()[j];
        d[i + j] = e.descriptors()[j];
      }
    }
    return new float[][][] {f, d};
  }

  private static void writeCache(Path file, String shardSha, float[][][] enc) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(MAGIC);
      out.writeInt(VERSION);
      out.writeUTF(shardSha);
      out.writeInt(enc[0].length);
      for (int i = 0; i < enc[0].length; i++) {
        for (float v : enc[0][i]) {
          out.writeFloat(v);
        }
        for (float v : enc[1][i]) {
          out.writeFloat(v);
        }
      }
    }
    byte[] body = bytes.toByteArray();
    byte[] sha = Sha256.newDigest().digest(body);
    byte[] whole = Arrays.copyOf(body, body.length + sha.length);
    System.arraycopy(sha, 0, whole, body.length, sha.length);
    AtomicFiles.write(file, whole);
  }

  /** The cached encodings, or null if there are none for this shard's bytes or they are damaged. */
  private static float[][][] readCache(Path file, String shardSha, int count) throws IOException {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    byte[] whole = Files.readAllBytes(file);
    if (whole.length < 32) {
      return null;
    }
    byte[] body = Arrays.copyOf(whole, whole.length - 32);
    byte[] sha = Arrays.copyOfRange(whole, whole.length - 32, whole.length);
    if (!MessageDigest.isEqual(sha, Sha256.newDigest().digest(body))) {
      return null; // damaged: encode again
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(body))) {
      if (in.readInt() != MAGIC
          || in.readInt() != VERSION
          || !in.readUTF().equals(shardSha)
          || in.readInt() != count) {
        return null; // another shard's encodings (the dataset was rewritten)
      }
      float[][] f = new float[count][FaceRecognitionNet.POOLED_SIZE];
      float[][] d = new float[count][FaceRecognitionNet.EMBEDDING_SIZE];
      for (int i = 0; i < count; i++) {
        for (int j = 0; j < f[i].length; j++) {
          f[i][j] = in.readFloat();
        }
        for (int j = 0; j < d[i].length; j++) {
          d[i][j] = in.readFloat();
        }
      }
      return new float[][][] {f, d};
    }
  }
}
