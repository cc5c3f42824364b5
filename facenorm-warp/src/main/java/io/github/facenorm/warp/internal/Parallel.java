package io.github.facenorm.warp.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs index ranges on a shared pool of daemon threads; the calling thread does one share itself.
 */
public final class Parallel {

  /** The work of one contiguous range {@code [from, to)}. */
  @FunctionalInterface
  public interface RangeBody {
    /**
     * Processes indices {@code from} (inclusive) to {@code to} (exclusive).
     *
     * @param from first index
     * @param to one past the last index
     */
    void run(int from, int to);
  }

  private static final int CORES = Runtime.getRuntime().availableProcessors();

  private Parallel() {}

  /** The default thread count: the number of available processors. */
  public static int defaultThreads() {
    return CORES;
  }

  private static final class PoolHolder {
    static final ExecutorService POOL = Executors.newCachedThreadPool(new DaemonFactory());
  }

  private static final class DaemonFactory implements ThreadFactory {
    private final AtomicInteger count = new AtomicInteger();

    @Override
    public Thread newThread(Runnable r) {
      Thread t = new Thread(r, "facenorm-warp-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    }
  }

  /**
   * Splits {@code [0, count)} into at most {@code threads} contiguous ranges and runs them
   * concurrently, returning when all are done. Exceptions from a range are rethrown.
   *
   * @param count number of indices
   * @param threads maximum number of threads, at least 1
   * @param body the work
   */
  public static void forRange(int count, int threads, RangeBody body) {
    int parts = Math.max(1, Math.min(threads, count));
    if (parts == 1) {
      if (count > 0) {
        body.run(0, count);
      }
      return;
    }
    List<Future<?>> futures = new ArrayList<>(parts - 1);
    for (int p = 1; p < parts; p++) {
      int from = (int) ((long) count * p / parts);
      int to = (int) ((long) count * (p + 1) / parts);
      futures.add(PoolHolder.POOL.submit(() -> body.run(from, to)));
    }
    RuntimeException first = null;
    try {
      body.run(0, (int) ((long) count / parts));
    } catch (RuntimeException e) {
      first = e;
    }
    for (Future<?> f : futures) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for warp threads", e);
      } catch (ExecutionException e) {
        if (first == null) {
          Throwable cause = e.getCause();
          first =
              cause instanceof RuntimeException re
                  ? re
                  : new IllegalStateException("warp thread failed", cause);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
