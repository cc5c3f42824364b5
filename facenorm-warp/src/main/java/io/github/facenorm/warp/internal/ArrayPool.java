package io.github.facenorm.warp.internal;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * A small process-wide pool of primitive arrays for the warp's per-call buffers (the image read out
 * of its {@code INDArray}, the kernel's output before it is copied into one, the backward pass's
 * double-precision temporaries). Without it a FACE-224 forward call allocates and zeroes ~1.6 MB of
 * heap, and forward+backward ~8 MB, which the next young collection then has to clear.
 *
 * <p>An array is taken with {@link #floats} or {@link #doubles} and must be given back with {@link
 * #give} once nothing refers to it any more (in a {@code finally} block): a pooled array is handed
 * to the next caller as it was left, so taken arrays hold <b>arbitrary values</b> unless {@code
 * zeroed} is asked for. Arrays are matched by exact length. The pool keeps at most {@link
 * #MAX_BYTES} in all and never an array over {@link #MAX_ARRAY_BYTES}, so a server with many
 * threads or one huge image holds no more than that after the calls return.
 */
public final class ArrayPool {

  /** Bytes the pool keeps at most, over all idle arrays. */
  static final long MAX_BYTES = 64L << 20;

  /** The largest array the pool keeps (a 1024² RGB float image is 12 MiB). */
  static final long MAX_ARRAY_BYTES = 16L << 20;

  private static final ArrayDeque<float[]> FLOATS = new ArrayDeque<>();
  private static final ArrayDeque<double[]> DOUBLES = new ArrayDeque<>();
  private static long idleBytes;

  private ArrayPool() {}

  /**
   * A float array of exactly {@code length} elements.
   *
   * @param length elements
   * @param zeroed whether the elements must be 0 (otherwise they are arbitrary)
   * @return an array the caller owns until it gives it back
   */
  public static float[] floats(int length, boolean zeroed) {
    float[] a = null;
    synchronized (ArrayPool.class) {
      for (var it = FLOATS.iterator(); it.hasNext(); ) {
        float[] c = it.next();
        if (c.length == length) {
          it.remove();
          idleBytes -= 4L * length;
          a = c;
          break;
        }
      }
    }
    if (a == null) {
      return new float[length];
    }
    if (zeroed) {
      Arrays.fill(a, 0f);
    }
    return a;
  }

  /**
   * A double array of exactly {@code length} elements.
   *
   * @param length elements
   * @param zeroed whether the elements must be 0 (otherwise they are arbitrary)
   * @return an array the caller owns until it gives it back
   */
  public static double[] doubles(int length, boolean zeroed) {
    double[] a = null;
    synchronized (ArrayPool.class) {
      for (var it = DOUBLES.iterator(); it.hasNext(); ) {
        double[] c = it.next();
        if (c.length == length) {
          it.remove();
          idleBytes -= 8L * length;
          a = c;
          break;
        }
      }
    }
    if (a == null) {
      return new double[length];
    }
    if (zeroed) {
      Arrays.fill(a, 0.0);
    }
    return a;
  }

  /**
   * Gives arrays back (null elements are skipped). The caller must not use them afterwards.
   *
   * @param arrays {@code float[]} or {@code double[]} arrays taken from this pool or not
   */
  public static void give(Object... arrays) {
    for (Object a : arrays) {
      if (a instanceof float[] f) {
        keep(FLOATS, f, 4L * f.length);
      } else if (a instanceof double[] d) {
        keep(DOUBLES, d, 8L * d.length);
      }
    }
  }

  private static <T> void keep(ArrayDeque<T> idle, T array, long bytes) {
    if (bytes == 0 || bytes > MAX_ARRAY_BYTES) {
      return;
    }
    synchronized (ArrayPool.class) {
      for (T c : idle) {
        if (c == array) {
          throw new IllegalStateException("array given back twice");
        }
      }
      // evict the oldest idle arrays (of either type) until this one fits
      while (idleBytes + bytes > MAX_BYTES && !(FLOATS.isEmpty() && DOUBLES.isEmpty())) {
        if (!FLOATS.isEmpty()) {
          idleBytes -= 4L * FLOATS.removeFirst().length;
        } else {
          idleBytes -= 8L * DOUBLES.removeFirst().length;
        }
      }
      idle.addLast(array);
      idleBytes += bytes;
    }
  }

  /** Bytes held by idle arrays (for tests). */
  static synchronized long idleBytes() {
    return idleBytes;
  }

  /** Drops every idle array (for tests). */
  static synchronized void clear() {
    FLOATS.clear();
    DOUBLES.clear();
    idleBytes = 0;
  }
}
