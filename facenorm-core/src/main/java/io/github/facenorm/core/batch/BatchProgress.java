package io.github.facenorm.core.batch;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Objects;

/** Receives progress from {@link BatchRunner}; calls are serialized (never concurrent). */
public interface BatchProgress {

  /**
   * Called once before the first item and after each item (processed, skipped or failed).
   *
   * @param status counts so far
   */
  void update(BatchStatus status);

  /**
   * Called when an item fails (after the {@link #update} that counts it); the run goes on.
   *
   * @param item the item
   * @param reason what went wrong
   */
  default void failed(BatchItem item, String reason) {}

  /**
   * A progress line for a command line: on a terminal, one line rewritten in place at most every
   * 250 ms (with carriage return and erase-line codes); otherwise plain lines, one every 10 s and
   * one at the end, so logs stay short and free of control codes. Failures are printed as they
   * come, one line each.
   *
   * @param err where to print, typically standard error
   * @param terminal whether {@code err} is a terminal
   * @param label what the lines start with, e.g. {@code facenorm prepare}
   * @return the printer; call {@link Printer#finish()} after the run
   */
  static Printer printer(PrintWriter err, boolean terminal, String label) {
    return new Printer(err, terminal, label, terminal ? 250_000_000L : 10_000_000_000L);
  }

  /** The progress line of {@link #printer}. */
  final class Printer implements BatchProgress {
    private final PrintWriter err;
    private final boolean terminal;
    private final String label;
    private final long intervalNanos;
    private long lastPrint = System.nanoTime();
    private BatchStatus last;
    private boolean lineOpen;

    Printer(PrintWriter err, boolean terminal, String label, long intervalNanos) {
      this.err = Objects.requireNonNull(err, "err");
      this.terminal = terminal;
      this.label = Objects.requireNonNull(label, "label");
      this.intervalNanos = intervalNanos;
    }

    @Override
    public void update(BatchStatus s) {
      last = s;
      long now = System.nanoTime();
      if ((s.done() == s.total() && s.total() > 0) || now - lastPrint > intervalNanos) {
        lastPrint = now;
        print(s);
      }
    }

    @Override
    public void failed(BatchItem item, String reason) {
      clear();
      err.println(label + ": " + item.name() + " failed (going on): " + reason);
      if (terminal && last != null) {
        print(last);
      }
      err.flush();
    }

    /** Ends the progress line. */
    public void finish() {
      if (lineOpen) {
        err.println();
        lineOpen = false;
      }
      err.flush();
    }

    private void clear() {
      if (terminal && lineOpen) {
        err.print("\r\033[K");
        lineOpen = false;
      }
    }

    private void print(BatchStatus s) {
      double eta = s.etaSeconds();
      String text =
          String.format(
              Locale.ROOT,
              "%s: %d/%d done (%d skipped, %d failed)  %.1f/s  ETA %s",
              label,
              s.done(),
              s.total(),
              s.skipped(),
              s.failed(),
              s.itemsPerSecond(),
              duration(eta));
      if (terminal) {
        clear();
        err.print(text);
        lineOpen = true;
      } else {
        err.println(text);
      }
      err.flush();
    }
  }

  /**
   * A duration for progress lines: {@code 42s}, {@code 3m05s}, {@code 1h02m}.
   *
   * @param seconds the duration; NaN, negative or infinite prints {@code --}
   * @return the text
   */
  public static String duration(double seconds) {
    if (!Double.isFinite(seconds) || seconds < 0) {
      return "--";
    }
    long s = Math.round(seconds);
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
  }
}
