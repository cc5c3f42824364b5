package io.github.facenorm.core.batch;

import io.github.facenorm.core.internal.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link BatchStep} over many items, for every batch command ({@code prepare}, {@code
 * normalize}, {@code augment}, {@code evaluate}).
 *
 * <ul>
 *   <li><b>Outputs</b>: item {@code a/one.jpg} writes {@code <out>/a/one<ext>} for each of the
 *       step's {@link BatchStep#outputExtensions() extensions}, each atomically (a temporary file,
 *       then a rename), the sidecar (the last extension) last.
 *   <li><b>Resume</b>: an item whose output files all exist and are non-empty is not processed
 *       again; its value is read back ({@link BatchStep#resume}). A zero-byte output, a missing
 *       sidecar or a sidecar the step cannot read means the item is processed again. Temporary
 *       files a killed run left in the output folder are removed first.
 *   <li><b>Failures</b>: whatever one item throws, {@link Error}s such as {@link OutOfMemoryError}
 *       and {@link StackOverflowError} included, is recorded as that item's failure, reported to
 *       {@link BatchProgress#failed} and listed in {@value #FAILURES_FILE} ({@code path,reason});
 *       the run goes on. Only a failure of the run itself (the output folder is a file or cannot be
 *       written) stops it, with an {@link IOException} saying so.
 *   <li><b>Threads</b>: items run on a fixed pool; progress calls are made from the calling thread.
 * </ul>
 *
 * <p>Immutable and thread-safe.
 *
 * @param <R> the step's value type
 */
public final class BatchRunner<R> {

  /** Name of the failures CSV written in the output folder. */
  public static final String FAILURES_FILE = "failures.csv";

  private static final Logger LOG = LoggerFactory.getLogger(BatchRunner.class);

  /** Stack size of the worker threads: deep recursion in one item fails that item, not the JVM. */
  private static final long WORKER_STACK_BYTES = 16L << 20;

  private final BatchStep<R> step;
  private final int threads;

  private BatchRunner(BatchStep<R> step, int threads) {
    this.step = step;
    this.threads = threads;
  }

  /**
   * A runner of the given step.
   *
   * @param step what to do to each item
   * @param threads items processed in parallel, at least 1
   * @param <R> the step's value type
   * @return the runner
   */
  public static <R> BatchRunner<R> of(BatchStep<R> step, int threads) {
    Objects.requireNonNull(step, "step");
    if (threads < 1) {
      throw new IllegalArgumentException("threads: expected at least 1, got " + threads);
    }
    List<String> ext = step.outputExtensions();
    if (ext == null || ext.isEmpty()) {
      throw new IllegalArgumentException("step: expected at least one output extension");
    }
    return new BatchRunner<>(step, threads);
  }

  /**
   * Runs the step over the items.
   *
   * @param items the items ({@link BatchInputs#list})
   * @param outDir the output folder (created if needed)
   * @param progress receives counts and failures; may be null
   * @return one outcome per item, the time, the failures file
   * @throws IOException if the output folder is a file, cannot be created or written, or the
   *     failures file cannot be written (a single item's problems are recorded, not thrown)
   * @throws IllegalArgumentException if two items would write the same outputs
   */
  public BatchSummary<R> run(List<BatchItem> items, Path outDir, BatchProgress progress)
      throws IOException {
    Objects.requireNonNull(items, "items");
    Objects.requireNonNull(outDir, "outDir");
    BatchProgress listener = progress != null ? progress : s -> {};
    BatchInputs.checkDistinct(items);
    prepareOutputFolder(outDir);
    int orphans = AtomicFiles.removeTemporaries(outDir);
    if (orphans > 0) {
      LOG.info("{}: removed {} temporary files left by an interrupted run", outDir, orphans);
    }
    long t0 = System.nanoTime();
    int n = items.size();
    List<BatchOutcome<R>> outcomes = new ArrayList<>(Collections.nCopies(n, null));
    int done = 0;
    int skipped = 0;
    int failed = 0;
    listener.update(new BatchStatus(0, n, 0, 0, 0));
    ExecutorService pool = Executors.newFixedThreadPool(threads, workerThreads());
    try {
      ExecutorCompletionService<Indexed<R>> ecs = new ExecutorCompletionService<>(pool);
      for (int i = 0; i < n; i++) {
        final int k = i;
        ecs.submit(() -> new Indexed<>(k, one(items.get(k), outDir)));
      }
      for (int i = 0; i < n; i++) {
        Indexed<R> r = ecs.take().get();
        BatchOutcome<R> o = r.outcome();
        outcomes.set(r.index(), o);
        done++;
        if (o.skipped()) {
          skipped++;
        }
        if (!o.ok()) {
          failed++;
        }
        listener.update(new BatchStatus(done, n, skipped, failed, System.nanoTime() - t0));
        if (!o.ok()) {
          LOG.debug("{}: {}", o.item().source(), o.error());
          listener.failed(o.item(), o.error());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted after " + done + " of " + n + " items", e);
    } catch (ExecutionException e) {
      // one() catches every Throwable, so this is a bug in the runner itself.
      throw new IllegalStateException("batch runner failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    Path csv = outDir.resolve(FAILURES_FILE);
    AtomicFiles.write(csv, failuresCsv(outcomes).getBytes(StandardCharsets.UTF_8));
    return new BatchSummary<>(outcomes, seconds, csv);
  }

  private record Indexed<R>(int index, BatchOutcome<R> outcome) {}

  /** Processes or skips one item; never throws. */
  private BatchOutcome<R> one(BatchItem item, Path outDir) {
    try {
      List<String> ext = step.outputExtensions();
      List<Path> outputs = new ArrayList<>(ext.size());
      boolean complete = true;
      for (String e : ext) {
        Path p = item.output(outDir, e);
        outputs.add(p);
        complete &= Files.isRegularFile(p) && Files.size(p) > 0;
      }
      if (complete) {
        try {
          R value = step.resume(item, outputs);
          if (value != null) {
            return new BatchOutcome<>(item, value, true, null);
          }
        } catch (Exception e) {
          LOG.info("{}: cannot read back its outputs ({}); processing it again", item.name(), e);
        }
      }
      BatchStep.Result<R> result = step.process(item);
      if (result == null || result.value() == null || result.files().size() != ext.size()) {
        throw new IllegalStateException(
            "the step returned "
                + (result == null ? "nothing" : result.files().size() + " files")
                + " for "
                + ext.size()
                + " outputs "
                + ext);
      }
      Path parent = outputs.get(0).toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      for (int i = 0; i < ext.size(); i++) {
        AtomicFiles.write(outputs.get(i), result.files().get(i));
      }
      return new BatchOutcome<>(item, result.value(), false, null);
    } catch (Throwable t) { // NOPMD: one item's failure, Errors included, must not end the batch
      return new BatchOutcome<>(item, null, false, describe(t));
    }
  }

  /**
   * A one-line reason for a failure: the message, with the exception's name when the message alone
   * would not say what happened (Errors, file-system errors whose message is only a path, no
   * message).
   *
   * @param t what was thrown
   * @return the reason
   */
  public static String describe(Throwable t) {
    String m = t.getMessage();
    boolean bare = m == null || m.isBlank();
    if (bare) {
      return t.getClass().getSimpleName();
    }
    String oneLine = m.strip().replace('\n', ' ').replace('\r', ' ');
    if (t instanceof Error || t instanceof FileSystemException) {
      return t.getClass().getSimpleName() + ": " + oneLine;
    }
    return oneLine;
  }

  /**
   * Creates the output folder if needed and checks that files can be written in it; {@link #run}
   * does this first, commands may call it before loading models so a bad output path fails fast.
   *
   * @param outDir the output folder
   * @throws IOException if it is a file, cannot be created or cannot be written in, with a message
   *     saying which
   */
  public static void prepareOutputFolder(Path outDir) throws IOException {
    if (Files.exists(outDir) && !Files.isDirectory(outDir)) {
      throw new IOException("output folder " + outDir + " is a file, not a folder");
    }
    try {
      Files.createDirectories(outDir);
    } catch (IOException e) {
      throw new IOException(
          "cannot create the output folder " + outDir + " (" + describe(e) + ")", e);
    }
    Path probe = outDir.resolve(".facenorm-write-check." + ProcessHandle.current().pid() + ".tmp");
    try {
      Files.write(probe, new byte[0]);
      Files.delete(probe);
    } catch (IOException e) {
      throw new IOException(
          "cannot write in the output folder " + outDir + " (" + describe(e) + ")", e);
    }
  }

  private static String failuresCsv(List<? extends BatchOutcome<?>> outcomes) {
    StringBuilder b = new StringBuilder("path,reason\n");
    for (BatchOutcome<?> o : outcomes) {
      if (!o.ok()) {
        b.append(csvField(o.item().source().toString()))
            .append(',')
            .append(csvField(o.error()))
            .append('\n');
      }
    }
    return b.toString();
  }

  /**
   * One CSV field: quoted (quotes doubled) when it holds a comma, quote or line break.
   *
   * @param s the text
   * @return the field
   */
  public static String csvField(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"").replace('\n', ' ').replace('\r', ' ') + '"';
  }

  private static ThreadFactory workerThreads() {
    AtomicInteger count = new AtomicInteger();
    return r -> {
      Thread t =
          new Thread(null, r, "facenorm-batch-" + count.incrementAndGet(), WORKER_STACK_BYTES);
      t.setDaemon(true);
      return t;
    };
  }

  /** The step. */
  public BatchStep<R> step() {
    return step;
  }

  /** Items processed in parallel. */
  public int threads() {
    return threads;
  }

  @Override
  public String toString() {
    return "BatchRunner{step=" + step + ", threads=" + threads + "}";
  }
}
