package io.github.facenorm.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts of the fuzz suite's outcomes by input family and class: a clear error naming the input and
 * the problem, a correct result, or anything else (the suite requires 0 of those). Written to
 * {@code target/fuzz-counts.txt} and to standard output.
 */
final class FuzzTally {

  /** How one case ended. */
  enum Outcome {
    CLEAR_ERROR,
    CORRECT,
    OTHER
  }

  private final Map<String, int[]> counts = new TreeMap<>();
  private final List<String> others = new ArrayList<>();

  synchronized void add(String family, String label, Outcome o, String detail) {
    counts.computeIfAbsent(family, k -> new int[3])[o.ordinal()]++;
    if (o == Outcome.OTHER) {
      others.add(family + " / " + label + ": " + detail);
    }
  }

  synchronized List<String> others(String family) {
    List<String> out = new ArrayList<>();
    for (String s : others) {
      if (s.startsWith(family + " / ")) {
        out.add(s);
      }
    }
    return out;
  }

  synchronized String table(long seed, int scale) {
    StringBuilder b =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "facenorm fuzz suite: seed %d, scale %d%n%-14s %12s %8s %6s %6s%n",
                seed,
                scale,
                "family",
                "clear error",
                "correct",
                "other",
                "total"));
    int[] sum = new int[3];
    for (Map.Entry<String, int[]> e : counts.entrySet()) {
      int[] c = e.getValue();
      b.append(
          String.format(
              Locale.ROOT,
              "%-14s %12d %8d %6d %6d%n",
              e.getKey(),
              c[0],
              c[1],
              c[2],
              c[0] + c[1] + c[2]));
      for (int i = 0; i < 3; i++) {
        sum[i] += c[i];
      }
    }
    b.append(
        String.format(
            Locale.ROOT,
            "%-14s %12d %8d %6d %6d%n",
            "all",
            sum[0],
            sum[1],
            sum[2],
            sum[0] + sum[1] + sum[2]));
    for (String s : others) {
      b.append("OTHER ").append(s).append('\n');
    }
    return b.toString();
  }

  synchronized void write(Path file, long seed, int scale) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, table(seed, scale), StandardCharsets.UTF_8);
  }
}
