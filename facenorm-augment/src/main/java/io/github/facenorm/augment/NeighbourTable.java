package io.github.facenorm.augment;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The {@code k} nearest neighbours of every face under the paper's distance (Sec. 5.1, Eq. 2):
 * {@code d(A, B) = λ‖L_A − L_B‖ + ‖T_A − T_B‖}, with {@code L} the 68 landmarks in pixels and
 * {@code T} the texture with values in {@code [0, 1]}, both as flat vectors and Euclidean norms.
 *
 * <p>Exact: every pair is measured, no approximate search; a face is not its own neighbour;
 * neighbours are ordered by distance, ties by index. The distances of all pairs come from Gram
 * matrices ({@code ‖a‖² + ‖b‖² − 2 a·b}, in double precision, by ND4J's matrix product, so it needs
 * an ND4J backend at run time) together with a rigorous bound on their rounding error; wherever
 * that bound leaves the order of two candidates open, both are measured directly ({@code Σ (a −
 * b)²} in double) and sorted by that. So the table is the one a direct measurement of every pair
 * gives, whatever the thread count or BLAS; the reported distances are exact for the pairs measured
 * directly and within that bound (about 1e-3 for 128² textures) for the others. Rows are resolved
 * by {@code threads} workers; the matrix products use ND4J's own threads. {@link #computeCached}
 * keeps tables in a folder, keyed by the SHA-256 of the inputs and parameters. Immutable.
 */
public final class NeighbourTable {

  /** The paper's neighbourhood size. */
  public static final int DEFAULT_K = 200;

  /** The paper's landmark weight λ. */
  public static final double DEFAULT_LAMBDA = 10.0;

  private static final int MAGIC = 0x464e4e54; // "FNNT"
  private static final int VERSION = 1;

  private final int k;
  private final double lambda;
  private final int[] indices; // [n, k]
  private final double[] distances; // [n, k]
  private final int size;

  private NeighbourTable(int size, int k, double lambda, int[] indices, double[] distances) {
    this.size = size;
    this.k = k;
    this.lambda = lambda;
    this.indices = indices;
    this.distances = distances;
  }

  /**
   * Computes the table for a face set.
   *
   * @param faces the faces (their landmarks and textures)
   * @param k the neighbourhood size, at least 1; capped at {@code size − 1}
   * @param lambda the landmark weight λ, ≥ 0
   * @param threads worker threads, at least 1
   * @return the table
   */
  public static NeighbourTable compute(FaceSet faces, int k, double lambda, int threads) {
    Objects.requireNonNull(faces, "faces");
    float[][][] lt = vectors(faces);
    return compute(lt[0], lt[1], k, lambda, threads);
  }

  /**
   * Computes the table from flat vectors.
   *
   * @param landmarks {@code [n][136]} (or any common length) landmark vectors
   * @param textures {@code [n][D]} texture vectors
   * @param k the neighbourhood size, at least 1; capped at {@code n − 1}
   * @param lambda the landmark weight λ, ≥ 0
   * @param threads worker threads, at least 1
   * @return the table
   * @throws IllegalArgumentException if there are fewer than 2 faces or the lengths differ
   */
  public static NeighbourTable compute(
      float[][] landmarks, float[][] textures, int k, double lambda, int threads) {
    int n = checkInputs(landmarks, textures, k, lambda, threads);
    int kk = Math.min(k, n - 1);
    double[] nl = norms(landmarks);
    double[] nt = norms(textures);
    if ((long) n * textures[0].length > Integer.MAX_VALUE) {
      // Beyond one Java array: measure every pair directly (slower, same table).
      return computeDirect(landmarks, textures, k, lambda, threads);
    }
    double el = errorScale(landmarks[0].length);
    double et = errorScale(textures[0].length);
    double maxL = maxOf(nl);
    double maxT = maxOf(nt);
    int[] idx = new int[n * kk];
    double[] dist = new double[n * kk];
    // Rows per Gram block: about 16 M doubles of Gram at a time.
    int block = (int) Math.max(1, Math.min(n, (16L << 20) / n));
    try (INDArray xl = matrix(landmarks);
        INDArray xt = matrix(textures)) {
      for (int b = 0; b < n; b += block) {
        int rows = Math.min(block, n - b);
        double[] gl = gram(xl, b, rows);
        double[] gt = gram(xt, b, rows);
        final int b0 = b;
        AtomicInteger next = new AtomicInteger();
        runParallel(
            () -> {
              double[] approx = new double[n];
              double[] hd = new double[kk];
              int[] hi = new int[kk];
              int r;
              while ((r = next.getAndIncrement()) < rows) {
                int i = b0 + r;
                for (int j = 0; j < n; j++) {
                  double sl = nl[i] + nl[j] - 2 * gl[r * n + j];
                  double st = nt[i] + nt[j] - 2 * gt[r * n + j];
                  approx[j] = lambda * Math.sqrt(Math.max(0, sl)) + Math.sqrt(Math.max(0, st));
                }
                double delta =
                    lambda * Math.sqrt(el * (nl[i] + maxL)) + Math.sqrt(et * (nt[i] + maxT));
                resolveRow(landmarks, textures, lambda, i, approx, delta, kk, hd, hi, idx, dist);
              }
            },
            threads);
      }
    }
    return new NeighbourTable(n, kk, lambda, idx, dist);
  }

  /**
   * The exact top k of row {@code i} from approximate distances whose error is at most {@code
   * delta}: every face whose approximate distance is within {@code 2 delta} of the k-th smallest is
   * a candidate (no other can be nearer than the k-th); candidates are sorted by approximate
   * distance, and runs of them closer than {@code 2 delta} to each other, whose order the
   * approximation cannot settle, are measured exactly and sorted by (distance, index).
   */
  private static void resolveRow(
      float[][] landmarks,
      float[][] textures,
      double lambda,
      int i,
      double[] approx,
      double delta,
      int kk,
      double[] hd,
      int[] hi,
      int[] idx,
      double[] dist) {
    int n = approx.length;
    int size = 0;
    for (int j = 0; j < n; j++) {
      if (j == i) {
        continue;
      }
      if (size < kk) {
        hd[size] = approx[j];
        hi[size] = j;
        siftUp(hd, hi, size++);
      } else if (worse(hd[0], hi[0], approx[j], j)) {
        hd[0] = approx[j];
        hi[0] = j;
        siftDown(hd, hi, kk);
      }
    }
    double cut = hd[0] + 2 * delta;
    List<double[]> cand = new ArrayList<>();
    for (int j = 0; j < n; j++) {
      if (j != i && approx[j] <= cut) {
        cand.add(new double[] {approx[j], j});
      }
    }
    cand.sort((x, y) -> x[0] != y[0] ? Double.compare(x[0], y[0]) : Double.compare(x[1], y[1]));
    int m = cand.size();
    int start = 0;
    while (start < m) {
      int end = start + 1;
      while (end < m && cand.get(end)[0] - cand.get(end - 1)[0] <= 2 * delta) {
        end++;
      }
      if (end - start > 1) {
        for (int q = start; q < end; q++) {
          double[] c = cand.get(q);
          c[0] = exactDistance(landmarks, textures, lambda, i, (int) c[1]);
        }
        cand.subList(start, end)
            .sort((x, y) -> x[0] != y[0] ? Double.compare(x[0], y[0]) : Double.compare(x[1], y[1]));
      }
      start = end;
    }
    for (int q = 0; q < kk; q++) {
      idx[i * kk + q] = (int) cand.get(q)[1];
      dist[i * kk + q] = cand.get(q)[0];
    }
  }

  private static double exactDistance(
      float[][] landmarks, float[][] textures, double lambda, int i, int j) {
    return lambda * Math.sqrt(squared(landmarks[i], landmarks[j]))
        + Math.sqrt(squared(textures[i], textures[j]));
  }

  private static double squared(float[] x, float[] y) {
    double s0 = 0;
    double s1 = 0;
    int t = 0;
    for (; t + 1 < x.length; t += 2) {
      double e0 = (double) x[t] - y[t];
      double e1 = (double) x[t + 1] - y[t + 1];
      s0 += e0 * e0;
      s1 += e1 * e1;
    }
    for (; t < x.length; t++) {
      double e = (double) x[t] - y[t];
      s0 += e * e;
    }
    return s0 + s1;
  }

  private static double[] norms(float[][] v) {
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      double s = 0;
      for (float x : v[i]) {
        s += (double) x * x;
      }
      out[i] = s;
    }
    return out;
  }

  private static double maxOf(double[] v) {
    double m = 0;
    for (double x : v) {
      m = Math.max(m, x);
    }
    return m;
  }

  /**
   * A bound factor on the rounding error of {@code ‖a‖² + ‖b‖² − 2 a·b} computed in double over
   * {@code dim} terms (any summation order, with or without FMA): {@code γ = (dim + 2) u / (1 −
   * (dim + 2) u)} per norm, times 4 for safety; the error is at most {@code factor · (‖a‖² + ‖b‖²)}
   * (using {@code |a·b| ≤ (‖a‖² + ‖b‖²) / 2}).
   */
  private static double errorScale(int dim) {
    double u = Math.ulp(1.0) / 2;
    double g = (dim + 2) * u / (1 - (dim + 2) * u);
    return 4 * 2 * g;
  }

  private static INDArray matrix(float[][] v) {
    int n = v.length;
    int d = v[0].length;
    INDArray m = Nd4j.create(DataType.DOUBLE, n, d);
    double[] row = new double[d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        row[j] = v[i][j];
      }
      try (INDArray r = Nd4j.createFromArray(row)) {
        m.putRow(i, r);
      }
    }
    return m;
  }

  /** Rows {@code [b, b + rows)} of {@code X Xᵀ}, row-major {@code [rows, n]}. */
  private static double[] gram(INDArray x, int b, int rows) {
    try (INDArray g =
        x.get(NDArrayIndex.interval(b, b + rows), NDArrayIndex.all()).mmul(x.transpose())) {
      return g.dup('c').data().asDouble();
    }
  }

  /**
   * The same table by direct measurement of every pair (no Gram matrix): the slow, obvious
   * reference the tests compare {@link #compute} with.
   */
  static NeighbourTable computeDirect(
      float[][] landmarks, float[][] textures, int k, double lambda, int threads) {
    int n = checkInputs(landmarks, textures, k, lambda, threads);
    int kk = Math.min(k, n - 1);
    int[] idx = new int[n * kk];
    double[] dist = new double[n * kk];
    AtomicInteger next = new AtomicInteger();
    int block = 8;
    Runnable work =
        () -> {
          double[] ld = new double[block * n];
          double[] td = new double[block * n];
          int b;
          while ((b = next.getAndAdd(block)) < n) {
            int rows = Math.min(block, n - b);
            squaredDistances(landmarks, b, rows, ld);
            squaredDistances(textures, b, rows, td);
            double[] hd = new double[kk];
            int[] hi = new int[kk];
            for (int r = 0; r < rows; r++) {
              int i = b + r;
              int size = 0;
              for (int j = 0; j < n; j++) {
                if (j == i) {
                  continue;
                }
                double d = lambda * Math.sqrt(ld[r * n + j]) + Math.sqrt(td[r * n + j]);
                if (size < kk) {
                  hd[size] = d;
                  hi[size] = j;
                  siftUp(hd, hi, size++);
                } else if (worse(hd[0], hi[0], d, j)) {
                  hd[0] = d;
                  hi[0] = j;
                  siftDown(hd, hi, kk);
                }
              }
              // Pop the max-heap from the back: nearest first.
              for (int q = kk - 1; q >= 0; q--) {
                idx[i * kk + q] = hi[0];
                dist[i * kk + q] = hd[0];
                hd[0] = hd[q];
                hi[0] = hi[q];
                siftDown(hd, hi, q);
              }
            }
          }
        };
    runParallel(work, threads);
    return new NeighbourTable(n, kk, lambda, idx, dist);
  }

  /** Whether (d1, i1) ranks after (d2, i2): farther, or as far with a larger index. */
  private static boolean worse(double d1, int i1, double d2, int i2) {
    return d1 > d2 || (d1 == d2 && i1 > i2);
  }

  private static void siftUp(double[] hd, int[] hi, int k) {
    while (k > 0) {
      int p = (k - 1) / 2;
      if (!worse(hd[k], hi[k], hd[p], hi[p])) {
        return;
      }
      swap(hd, hi, k, p);
      k = p;
    }
  }

  private static void siftDown(double[] hd, int[] hi, int size) {
    int k = 0;
    while (true) {
      int l = 2 * k + 1;
      if (l >= size) {
        return;
      }
      int c = l + 1 < size && worse(hd[l + 1], hi[l + 1], hd[l], hi[l]) ? l + 1 : l;
      if (!worse(hd[c], hi[c], hd[k], hi[k])) {
        return;
      }
      swap(hd, hi, k, c);
      k = c;
    }
  }

  private static void swap(double[] hd, int[] hi, int a, int b) {
    double td = hd[a];
    hd[a] = hd[b];
    hd[b] = td;
    int ti = hi[a];
    hi[a] = hi[b];
    hi[b] = ti;
  }

  /**
   * Elements per chunk: a block of rows' chunks stays in cache while every other row streams by.
   */
  private static final int CHUNK = 1024;

  /**
   * Squared distances of rows {@code [b, b + rows)} to all rows, into {@code out[r * n + j]}: the
   * vectors are walked in chunks, each chunk's sum split over four accumulators (a fixed order, so
   * the result does not depend on threads).
   */
  private static void squaredDistances(float[][] v, int b, int rows, double[] out) {
    int n = v.length;
    int len = v[0].length;
    java.util.Arrays.fill(out, 0, rows * n, 0);
    for (int t0 = 0; t0 < len; t0 += CHUNK) {
      int t1 = Math.min(len, t0 + CHUNK);
      for (int j = 0; j < n; j++) {
        float[] y = v[j];
        for (int r = 0; r < rows; r++) {
          float[] x = v[b + r];
          double s0 = 0;
          double s1 = 0;
          double s2 = 0;
          double s3 = 0;
          int t = t0;
          for (; t + 3 < t1; t += 4) {
            double e0 = (double) x[t] - y[t];
            double e1 = (double) x[t + 1] - y[t + 1];
            double e2 = (double) x[t + 2] - y[t + 2];
            double e3 = (double) x[t + 3] - y[t + 3];
            s0 += e0 * e0;
            s1 += e1 * e1;
            s2 += e2 * e2;
            s3 += e3 * e3;
          }
          for (; t < t1; t++) {
            double e = (double) x[t] - y[t];
            s0 += e * e;
          }
          out[r * n + j] += (s0 + s1) + (s2 + s3);
        }
      }
    }
  }

  private static void runParallel(Runnable work, int threads) {
    if (threads == 1) {
      work.run();
      return;
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        fs.add(pool.submit(work));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while computing the neighbour table", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("neighbour table worker failed", e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * The table for a face set, read from {@code cacheDir} when a table for exactly these inputs and
   * parameters is there, otherwise computed and stored there (atomically).
   *
   * @param faces the faces
   * @param k the neighbourhood size
   * @param lambda λ
   * @param threads worker threads
   * @param cacheDir a folder (created if missing)
   * @return the table
   * @throws IOException if the cache cannot be read or written
   */
  public static NeighbourTable computeCached(
      FaceSet faces, int k, double lambda, int threads, Path cacheDir) throws IOException {
    Objects.requireNonNull(faces, "faces");
    Objects.requireNonNull(cacheDir, "cacheDir");
    float[][][] lt = vectors(faces);
    int n = checkInputs(lt[0], lt[1], k, lambda, threads);
    byte[] key = key(lt[0], lt[1], Math.min(k, n - 1), lambda);
    Path file =
        cacheDir.resolve("neighbours-" + HexFormat.of().formatHex(key).substring(0, 32) + ".bin");
    if (Files.isRegularFile(file)) {
      NeighbourTable t = read(file, key);
      if (t != null) {
        return t;
      }
    }
    NeighbourTable t = compute(lt[0], lt[1], k, lambda, threads);
    Files.createDirectories(cacheDir);
    io.github.facenorm.core.internal.AtomicFiles.write(file, t.toBytes(key));
    return t;
  }

  private static float[][][] vectors(FaceSet faces) {
    int n = faces.size();
    float[][] l = new float[n][];
    float[][] t = new float[n][];
    for (int i = 0; i < n; i++) {
      MorphFace f = faces.face(i);
      double[] xy = f.landmarks().toFlatArray();
      l[i] = new float[xy.length];
      for (int j = 0; j < xy.length; j++) {
        l[i][j] = (float) xy[j];
      }
      t[i] = f.texture().toArray();
    }
    return new float[][][] {l, t};
  }

  private static int checkInputs(
      float[][] landmarks, float[][] textures, int k, double lambda, int threads) {
    Objects.requireNonNull(landmarks, "landmarks");
    Objects.requireNonNull(textures, "textures");
    int n = landmarks.length;
    if (n < 2) {
      throw new IllegalArgumentException("landmarks: expected at least 2 faces, got " + n);
    }
    if (textures.length != n) {
      throw new IllegalArgumentException(
          "textures: expected " + n + " vectors (one per face), got " + textures.length);
    }
    for (int i = 0; i < n; i++) {
      if (landmarks[i].length != landmarks[0].length) {
        throw new IllegalArgumentException(
            "landmarks: vector "
                + i
                + " has length "
                + landmarks[i].length
                + ", expected "
                + landmarks[0].length);
      }
      if (textures[i].length != textures[0].length) {
        throw new IllegalArgumentException(
            "textures: vector "
                + i
                + " has length "
                + textures[i].length
                + ", expected "
                + textures[0].length);
      }
    }
    if (k < 1) {
      throw new IllegalArgumentException("k: expected at least 1, got " + k);
    }
    if (!(lambda >= 0) || Double.isInfinite(lambda)) {
      throw new IllegalArgumentException("lambda: expected a finite value ≥ 0, got " + lambda);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads: expected at least 1, got " + threads);
    }
    return n;
  }

  private static byte[] key(float[][] l, float[][] t, int k, double lambda) {
    MessageDigest md = io.github.facenorm.core.internal.Sha256.newDigest();
    ByteBuffer head = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
    head.putInt(VERSION).putInt(l.length).putInt(k).putDouble(lambda);
    head.putInt(l[0].length).putInt(t[0].length);
    md.update(head.array(), 0, head.position());
    for (float[][] vs : List.of(l, t)) {
      ByteBuffer buf = ByteBuffer.allocate(vs[0].length * 4).order(ByteOrder.LITTLE_ENDIAN);
      for (float[] v : vs) {
        buf.clear();
        buf.asFloatBuffer().put(v);
        md.update(buf.array());
      }
    }
    return md.digest();
  }

  private byte[] toBytes(byte[] key) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(MAGIC);
      out.writeInt(VERSION);
      out.write(key);
      out.writeInt(size);
      out.writeInt(k);
      out.writeDouble(lambda);
      for (int v : indices) {
        out.writeInt(v);
      }
      for (double v : distances) {
        out.writeDouble(v);
      }
    }
    return bytes.toByteArray();
  }

  /** Reads a cached table; null if it was made for other inputs; IOException if corrupt. */
  private static NeighbourTable read(Path file, byte[] key) throws IOException {
    try (InputStream s = Files.newInputStream(file);
        DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(s))) {
      if (in.readInt() != MAGIC || in.readInt() != VERSION) {
        throw new IOException(file + ": not a neighbour table of this version");
      }
      byte[] k2 = in.readNBytes(key.length);
      if (!Arrays.equals(k2, key)) {
        return null;
      }
      int n = in.readInt();
      int k = in.readInt();
      double lambda = in.readDouble();
      int[] idx = new int[n * k];
      double[] dist = new double[n * k];
      for (int i = 0; i < idx.length; i++) {
        idx[i] = in.readInt();
        if (idx[i] < 0 || idx[i] >= n) {
          throw new IOException(file + ": neighbour index " + idx[i] + " out of [0, " + n + ")");
        }
      }
      for (int i = 0; i < dist.length; i++) {
        dist[i] = in.readDouble();
      }
      if (in.read() != -1) {
        throw new IOException(file + ": trailing bytes after the table");
      }
      return new NeighbourTable(n, k, lambda, idx, dist);
    } catch (java.io.EOFException e) {
      throw new IOException(file + ": truncated neighbour table", e);
    }
  }

  /** The number of faces. */
  public int size() {
    return size;
  }

  /** The neighbourhood size (the requested {@code k} capped at {@code size − 1}). */
  public int k() {
    return k;
  }

  /** The landmark weight λ the distances were computed with. */
  public double lambda() {
    return lambda;
  }

  /**
   * The neighbours of one face, nearest first.
   *
   * @param face in {@code [0, size())}
   * @return a copy, {@code k} indices
   */
  public int[] neighbours(int face) {
    Objects.checkIndex(face, size);
    return Arrays.copyOfRange(indices, face * k, (face + 1) * k);
  }

  /**
   * One neighbour.
   *
   * @param face in {@code [0, size())}
   * @param rank in {@code [0, k())}, 0 the nearest
   * @return its index
   */
  public int neighbour(int face, int rank) {
    Objects.checkIndex(face, size);
    Objects.checkIndex(rank, k);
    return indices[face * k + rank];
  }

  /**
   * The distance to one neighbour.
   *
   * @param face in {@code [0, size())}
   * @param rank in {@code [0, k())}
   * @return {@code d(face, neighbour(face, rank))}
   */
  public double distance(int face, int rank) {
    Objects.checkIndex(face, size);
    Objects.checkIndex(rank, k);
    return distances[face * k + rank];
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "NeighbourTable{faces=%d, k=%d, λ=%s}", size, k, lambda);
  }
}
