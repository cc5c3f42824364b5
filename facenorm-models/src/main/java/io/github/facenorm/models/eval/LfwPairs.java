package io.github.facenorm.models.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reader of LFW's pair lists. Two layouts, told apart by the header line:
 *
 * <ul>
 *   <li>View 1 ({@code pairsDevTrain.txt}, {@code pairsDevTest.txt}): a header {@code N}, then
 *       {@code N} same-person lines {@code name i j}, then {@code N} different-person lines {@code
 *       name1 i name2 j};
 *   <li>View 2 ({@code pairs.txt}): a header {@code S N}, then {@code S} sets of {@code N} same
 *       lines followed by {@code N} different lines.
 * </ul>
 *
 * <p>Fields are separated by tabs or spaces; photo numbers are 1-based; blank lines are ignored.
 * Pairs come back in file order. Any deviation (a wrong field count, a number that is not a
 * positive integer, too few or too many lines) is an error whose message names the source, the line
 * number and what was expected.
 */
public final class LfwPairs {
  private LfwPairs() {}

  /**
   * Reads a pair list.
   *
   * @param file the pairs file (UTF-8)
   * @return the pairs in file order
   * @throws IOException if the file cannot be read
   * @throws IllegalArgumentException if the file is not a valid pair list
   */
  public static List<VerificationPair> read(Path file) throws IOException {
    return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
  }

  /**
   * Parses the lines of a pair list.
   *
   * @param lines the file's lines
   * @param source a name for error messages (usually the file name)
   * @return the pairs in file order
   * @throws IllegalArgumentException if the lines are not a valid pair list
   */
  public static List<VerificationPair> parse(List<String> lines, String source) {
    List<Integer> refs = new ArrayList<>(); // indices of the non-blank lines
    for (int i = 0; i < lines.size(); i++) {
      if (!strip(lines.get(i), i).isEmpty()) {
        refs.add(i);
      }
    }
    if (refs.isEmpty()) {
      throw new IllegalArgumentException(
          source + ": empty pairs file (expected a header 'N' or 'S N')");
    }
    int headerIndex = refs.get(0);
    String[] header = fields(strip(lines.get(headerIndex), headerIndex));
    int sets;
    int perSet;
    if (header.length == 1) {
      sets = 1;
      perSet = positive(header[0], source, headerIndex, "the pair count N of the header");
    } else if (header.length == 2) {
      sets = positive(header[0], source, headerIndex, "the set count S of the header 'S N'");
      perSet = positive(header[1], source, headerIndex, "the pair count N of the header 'S N'");
    } else {
      throw error(
          source,
          headerIndex,
          "expected a header 'N' (View 1) or 'S N' (View 2), got " + header.length + " fields",
          lines.get(headerIndex));
    }
    long expected = 2L * sets * perSet;
    if (refs.size() - 1 != expected) {
      throw new IllegalArgumentException(
          source
              + ": the header '"
              + strip(lines.get(headerIndex), headerIndex)
              + "' announces "
              + expected
              + " pair lines ("
              + sets
              + (sets == 1 ? " set" : " sets")
              + " of "
              + perSet
              + " same + "
              + perSet
              + " different), found "
              + (refs.size() - 1));
    }
    List<VerificationPair> pairs = new ArrayList<>((int) expected);
    int k = 1;
    for (int s = 0; s < sets; s++) {
      for (int half = 0; half < 2; half++) {
        boolean same = half == 0;
        for (int p = 0; p < perSet; p++, k++) {
          int li = refs.get(k);
          pairs.add(pair(lines.get(li), li, same, s, sets, source));
        }
      }
    }
    return Collections.unmodifiableList(pairs);
  }

  /**
   * The distinct photos of some pairs, in order of first appearance.
   *
   * @param pairs the pairs
   * @return the photos, each once
   */
  public static List<PhotoId> photos(List<VerificationPair> pairs) {
    Set<PhotoId> set = new LinkedHashSet<>();
    for (VerificationPair p : pairs) {
      set.add(p.first());
      set.add(p.second());
    }
    return List.copyOf(set);
  }

  /**
   * A deterministic, balanced subset: the same-person pairs numbered 0, n, 2n, ... among the
   * same-person pairs, and likewise among the different-person pairs, in input order.
   *
   * @param pairs the pairs
   * @param stride keep one pair in {@code stride}; 1 keeps them all
   * @return the subset
   */
  public static List<VerificationPair> everyNth(List<VerificationPair> pairs, int stride) {
    if (stride < 1) {
      throw new IllegalArgumentException("stride: expected >= 1, got " + stride);
    }
    List<VerificationPair> out = new ArrayList<>();
    int same = 0;
    int different = 0;
    for (VerificationPair p : pairs) {
      int k = p.same() ? same++ : different++;
      if (k % stride == 0) {
        out.add(p);
      }
    }
    return Collections.unmodifiableList(out);
  }

  private static VerificationPair pair(
      String raw, int li, boolean same, int set, int sets, String source) {
    String[] f = fields(strip(raw, li));
    String where = sets == 1 ? "" : " of set " + (set + 1);
    if (same) {
      if (f.length != 3) {
        throw error(
            source,
            li,
            "expected a same-person pair 'name i j'" + where + ", got " + f.length + " fields",
            raw);
      }
      return new VerificationPair(
          photo(f[0], f[1], source, li, raw), photo(f[0], f[2], source, li, raw), true);
    }
    if (f.length != 4) {
      throw error(
          source,
          li,
          "expected a different-person pair 'name1 i name2 j'"
              + where
              + ", got "
              + f.length
              + " fields",
          raw);
    }
    return new VerificationPair(
        photo(f[0], f[1], source, li, raw), photo(f[2], f[3], source, li, raw), false);
  }

  private static PhotoId photo(String name, String number, String source, int li, String raw) {
    int n = positive(number, source, li, "a 1-based photo number");
    try {
      return new PhotoId(name, n);
    } catch (IllegalArgumentException e) {
      throw error(source, li, e.getMessage(), raw);
    }
  }

  private static int positive(String s, String source, int li, String what) {
    int v;
    try {
      v = Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          source + ":" + (li + 1) + ": expected " + what + ", got '" + s + "'", e);
    }
    if (v < 1) {
      throw new IllegalArgumentException(
          source + ":" + (li + 1) + ": expected " + what + " (>= 1), got " + v);
    }
    return v;
  }

  private static String strip(String line, int index) {
    String l = line;
    if (index == 0 && !l.isEmpty() && l.charAt(0) == '\uFEFF') {
      l = l.substring(1);
    }
    return l.strip();
  }

  private static String[] fields(String stripped) {
    return stripped.split("[\\t ]+");
  }

  private static IllegalArgumentException error(String source, int li, String msg, String raw) {
    return new IllegalArgumentException(
        source + ":" + (li + 1) + ": " + msg + ": '" + raw.strip() + "'");
  }
}
