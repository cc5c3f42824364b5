package io.github.facenorm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.facenorm.cli.FuzzTally.Outcome;
import io.github.facenorm.core.FaceImage;
import io.github.facenorm.core.dlib.DlibShapePredictor;
import io.github.facenorm.core.internal.Json;
import io.github.facenorm.core.internal.Limits;
import io.github.facenorm.core.models.ModelFile;
import io.github.facenorm.core.models.ModelId;
import io.github.facenorm.core.models.ModelStore;
import io.github.facenorm.core.models.PretrainedModels;
import io.github.facenorm.models.nets.FaceApiModels;
import io.github.facenorm.models.nets.TfjsWeights;
import io.github.facenorm.models.nets.WeightTensor;
import io.github.facenorm.warp.FacenormKernels;
import io.github.facenorm.warp.PolyharmonicSpline;
import io.github.facenorm.warp.SplineWarp;
import io.github.facenorm.warp.internal.WarpSpec;
import io.github.facenorm.warp.internal.graph.WarpBackend;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The reliability fuzz suite (issue 19): seeded generators over images, point files, {@code warp}
 * arguments and model caches. Every case must end in a clear error that names the input and the
 * problem (and, from the command line, no stack trace and a non-zero exit) or in a correct result
 * checked against an independent expectation; anything else fails the test.
 *
 * <p>Counts by family and class go to {@code target/fuzz-counts.txt}. The default run is small
 * (about 300 cases, a few seconds); {@code -Dfacenorm.fuzz.scale=20} multiplies the random cases,
 * {@code -Dfacenorm.fuzz.seed=N} changes them.
 */
class ReliabilityFuzzTest {

  static final long SEED = Long.getLong("facenorm.fuzz.seed", 19L);
  static final int SCALE = Integer.getInteger("facenorm.fuzz.scale", 1);
  static final FuzzTally TALLY = new FuzzTally();

  /**
   * facenorm's executioner where ND4J has not started yet in this JVM, so the graph cases run on
   * both backends (when an earlier test class started ND4J, they run on the native ops only).
   */
  @BeforeAll
  static void kernels() {
    FacenormKernels.install();
  }

  @AfterAll
  static void writeCounts() throws IOException {
    Path file = Paths.get(System.getProperty("basedir", ".")).resolve("target/fuzz-counts.txt");
    TALLY.write(file, SEED, SCALE);
    System.out.print(TALLY.table(SEED, SCALE));
  }

  /** What one command-line run printed and returned. */
  record Run(int status, String out, String err) {
    boolean hasTrace() {
      return err.contains("\tat ")
          || err.contains("Exception in thread")
          || err.contains("Caused by:")
          || out.contains("\tat ");
    }
  }

  static Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = FacenormCli.run(new PrintWriter(out), new PrintWriter(err), false, args);
    return new Run(status, out.toString(), err.toString());
  }

  /**
   * Classifies a command-line run that must fail: a non-zero exit, no trace, a message naming one
   * of the given inputs, nothing written.
   */
  static void expectCliError(String family, String label, Run r, Path output, String... names) {
    String problem = null;
    if (r.status() == 0) {
      problem = "exit 0 on bad input; stdout: " + r.out().strip();
    } else if (r.hasTrace()) {
      problem = "stack trace: " + r.err();
    } else if (!mentionsAny(r.err(), names)) {
      problem = "message names none of " + List.of(names) + ": " + r.err().strip();
    } else if (output != null && Files.exists(output) && !Files.isDirectory(output)) {
      problem = "wrote " + output + " although it failed";
    }
    TALLY.add(family, label, problem == null ? Outcome.CLEAR_ERROR : Outcome.OTHER, problem);
  }

  private static boolean mentionsAny(String text, String... names) {
    for (String n : names) {
      if (text.contains(n)) {
        return true;
      }
    }
    return false;
  }

  /** Classifies a library call that must fail with an exception whose message names the input. */
  static void expectApiError(String family, String label, String name, Supplier<Object> call) {
    String problem;
    try {
      Object v = call.get();
      problem = "no error, returned " + v;
    } catch (Wrapped w) {
      Throwable t = w.getCause();
      String m = String.valueOf(t.getMessage());
      problem =
          m.contains(name) && m.length() > name.length() + 8
              ? null
              : "unclear " + t.getClass().getSimpleName() + ": " + m;
    } catch (Throwable t) { // NOPMD: anything unexpected is this case's outcome
      String m = String.valueOf(t.getMessage());
      boolean clear =
          !(t instanceof Error)
              && !(t instanceof NullPointerException)
              && !(t instanceof ClassCastException)
              && !(t instanceof IndexOutOfBoundsException)
              && m.contains(name)
              && m.length() > name.length() + 8;
      problem = clear ? null : "unclear " + t.getClass().getName() + ": " + m;
    }
    TALLY.add(family, label, problem == null ? Outcome.CLEAR_ERROR : Outcome.OTHER, problem);
  }

  /** A checked exception carried out of a {@link Supplier}. */
  static final class Wrapped extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Wrapped(Throwable cause) {
      super(cause);
    }
  }

  interface IoCall {
    Object call() throws Exception;
  }

  static Supplier<Object> io(IoCall c) {
    return () -> {
      try {
        return c.call();
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Exception e) {
        throw new Wrapped(e);
      }
    };
  }

  static void correct(String family, String label, String problemOrNull) {
    TALLY.add(
        family, label, problemOrNull == null ? Outcome.CORRECT : Outcome.OTHER, problemOrNull);
  }

  // ------------------------------------------------------------------------------------ images

  @Test
  void images(@TempDir Path dir) throws IOException {
    String fam = "images";
    Random r = new Random(SEED);
    int n = 0;
    for (int round = 0; round < SCALE; round++) {
      for (String kind : FuzzInputs.KINDS) {
        FuzzInputs.Sample s = FuzzInputs.valid(kind, r);
        String ext = s.png() ? ".png" : ".jpg";
        Path f = Files.write(dir.resolve("img" + n++ + ext), s.bytes());
        checkDecodes(fam, s.label(), f, s);
        checkCliDecodes(fam, "cli " + s.label(), f, s, dir);
        // trailing bytes after the image: still the same image
        Path tail = Files.write(dir.resolve("tail" + n++ + ext), FuzzInputs.trailing(s.bytes(), r));
        checkDecodes(fam, s.label() + " + trailing bytes", tail, s);
        for (int k = 0; k < 2; k++) {
          Path cut =
              Files.write(dir.resolve("cut" + n++ + ext), FuzzInputs.truncated(s.bytes(), r));
          expectImageError(fam, s.label() + " truncated", cut, dir, k == 0);
        }
        if (s.png()) {
          for (int k = 0; k < 2; k++) {
            Path flip =
                Files.write(dir.resolve("flip" + n++ + ext), FuzzInputs.flipped(s.bytes(), r));
            expectImageError(fam, s.label() + " bit flip", flip, dir, k == 0);
          }
        }
        int side = 8000 + r.nextInt(50_000);
        Path big =
            Files.write(dir.resolve("big" + n++ + ext), FuzzInputs.inflated(s.bytes(), side, side));
        expectImageError(fam, s.label() + " header says " + side + "²", big, dir, true);
      }
    }
    Path empty = Files.write(dir.resolve("empty.png"), new byte[0]);
    expectImageError(fam, "empty file", empty, dir, true);
    Path text = Files.writeString(dir.resolve("text.jpg"), "not an image at all\n");
    expectImageError(fam, "text named .jpg", text, dir, true);
    Path cmyk = Files.write(dir.resolve("cmyk.jpg"), FuzzInputs.cmykJpeg(r));
    expectImageError(fam, "CMYK JPEG", cmyk, dir, true);
    for (int k = 0; k < 2 * SCALE; k++) {
      Path rp = Files.write(dir.resolve("rnd" + k + ".png"), FuzzInputs.randomWithMagic(true, r));
      expectImageError(fam, "random bytes behind the PNG magic", rp, dir, k == 0);
      Path rj = Files.write(dir.resolve("rnd" + k + ".jpg"), FuzzInputs.randomWithMagic(false, r));
      expectImageError(fam, "random bytes behind the JPEG magic", rj, dir, k == 0);
    }
    Path folder = Files.createDirectories(dir.resolve("folder.png"));
    expectImageError(fam, "a folder", folder, dir, true);
    expectImageError(fam, "a missing file", dir.resolve("missing.png"), dir, true);
    assertThat(TALLY.others(fam)).isEmpty();
  }

  private static void checkDecodes(String fam, String label, Path f, FuzzInputs.Sample s) {
    String problem;
    try {
      FaceImage img = FaceImage.read(f);
      problem = sameImage(img, s);
    } catch (Throwable t) { // NOPMD
      problem = "a valid image failed: " + t;
    }
    correct(fam, label, problem);
  }

  private static String sameImage(FaceImage img, FuzzInputs.Sample s) {
    if (img.width() != s.width() || img.height() != s.height()) {
      return "size "
          + img.width()
          + "×"
          + img.height()
          + ", expected "
          + s.width()
          + "×"
          + s.height();
    }
    float[] got = img.toArray();
    double d =
        s.tolerance() < 1e-3
            ? FuzzInputs.maxAbsDiff(got, s.rgb())
            : FuzzInputs.meanAbsDiff(got, s.rgb());
    return d <= s.tolerance()
        ? null
        : String.format(Locale.ROOT, "pixels differ by %.4f (tolerance %.4f)", d, s.tolerance());
  }

  /** {@code facenorm warp image out.png} (the demonstration swirl) decodes a valid image. */
  private static void checkCliDecodes(
      String fam, String label, Path f, FuzzInputs.Sample s, Path dir) throws IOException {
    Path out = dir.resolve("out-" + f.getFileName() + ".png");
    Run run = cli("warp", f.toString(), out.toString());
    String problem = null;
    if (run.status() != 0) {
      if (run.hasTrace() || !run.err().contains(f.toString())) {
        problem = "exit " + run.status() + ": " + run.err();
      } else {
        // A clear refusal of a valid input is not a wrong result, but say so in the counts.
        TALLY.add(fam, label, Outcome.CLEAR_ERROR, null);
        return;
      }
    } else {
      FaceImage o = FaceImage.read(out);
      if (o.width() != s.width() || o.height() != s.height()) {
        problem =
            "output " + o.width() + "×" + o.height() + " for a " + s.width() + "×" + s.height();
      }
    }
    correct(fam, label, problem);
  }

  private static void expectImageError(String fam, String label, Path f, Path dir, boolean viaCli) {
    expectApiError(fam, label, f.toString(), io(() -> FaceImage.read(f)));
    if (viaCli) {
      Path out = dir.resolve("out-bad-" + f.getFileName() + ".png");
      expectCliError(
          fam, "cli " + label, cli("warp", f.toString(), out.toString()), out, f.toString());
    }
  }

  // ------------------------------------------------------------------------------- point files

  /** The fixed 64 × 48 photo the point-file and argument cases warp. */
  private static Path photo(Path dir) throws IOException {
    Path p = dir.resolve("photo.png");
    if (!Files.exists(p)) {
      FaceImage.of(64, 48, FuzzInputs.picture(64, 48, new Random(1))).write(p);
    }
    return p;
  }

  /** Distinct points, not collinear, inside the 64 × 48 photo. */
  private static double[][] goodPoints(Random r, int n) {
    List<double[]> pts = new ArrayList<>();
    pts.add(new double[] {5, 5});
    pts.add(new double[] {58, 6});
    pts.add(new double[] {30, 42});
    while (pts.size() < n) {
      double[] p = {2 + 60 * r.nextDouble(), 2 + 44 * r.nextDouble()};
      if (r.nextBoolean()) {
        p[0] = Math.rint(p[0]);
        p[1] = Math.rint(p[1]);
      }
      boolean far = true;
      for (double[] q : pts) {
        far &= Math.hypot(p[0] - q[0], p[1] - q[1]) >= 3;
      }
      if (far) {
        pts.add(p);
      }
    }
    return pts.toArray(new double[0][]);
  }

  private static String num(double v, Random r) {
    return switch (r.nextInt(4)) {
      case 0 -> Double.toString(v);
      case 1 -> String.format(Locale.ROOT, "%.3f", v);
      case 2 -> String.format(Locale.ROOT, "%.6e", v);
      default -> v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    };
  }

  /** Writes points in a random one of the formats {@code warp} reads; returns the file. */
  private static Path writePoints(Path dir, String base, double[][] pts, Random r)
      throws IOException {
    StringBuilder b = new StringBuilder();
    String ext;
    switch (r.nextInt(6)) {
      case 0 -> {
        ext = ".csv";
        for (double[] p : pts) {
          b.append(num(p[0], r)).append(',').append(num(p[1], r)).append('\n');
        }
      }
      case 1 -> {
        ext = ".csv";
        b.append("x,y\n");
        for (double[] p : pts) {
          b.append(num(p[0], r)).append(" , ").append(num(p[1], r)).append("\r\n");
        }
      }
      case 2 -> {
        ext = ".txt";
        for (double[] p : pts) {
          b.append(num(p[0], r)).append("  \t").append(num(p[1], r)).append('\n');
        }
      }
      case 3 -> {
        ext = ".tem";
        b.append(pts.length).append('\n');
        for (double[] p : pts) {
          b.append(num(p[0], r)).append('\t').append(num(p[1], r)).append('\n');
        }
        b.append("1\n0 1\n");
      }
      case 4 -> {
        ext = ".json";
        b.append('[');
        for (int i = 0; i < pts.length; i++) {
          b.append(i == 0 ? "" : ", ")
              .append('[')
              .append(Json.number(pts[i][0]))
              .append(", ")
              .append(Json.number(pts[i][1]))
              .append(']');
        }
        b.append(']');
      }
      default -> {
        ext = ".json";
        b.append("{\"photo\": \"a.jpg\", \"landmarks\": [");
        for (int i = 0; i < pts.length; i++) {
          b.append(i == 0 ? "" : ",")
              .append("\n  [")
              .append(Json.number(pts[i][0]))
              .append(", ")
              .append(Json.number(pts[i][1]))
              .append(']');
        }
        b.append("]}");
      }
    }
    return Files.writeString(dir.resolve(base + ext), b);
  }

  @Test
  void pointFiles(@TempDir Path dir) throws IOException {
    String fam = "point files";
    Random r = new Random(SEED + 1);
    Path in = photo(dir);
    FaceImage photo = FaceImage.read(in);
    int n = 0;
    for (int k = 0; k < 12 * SCALE; k++) {
      // the same points on both sides: the warp is the identity, whatever the format
      double[][] pts = goodPoints(r, 3 + r.nextInt(30));
      Path a = writePoints(dir, "from" + n, pts, r);
      Path b = writePoints(dir, "to" + n, pts, r);
      Path out = dir.resolve("o" + n++ + ".png");
      Run run =
          cli("warp", in.toString(), out.toString(), "--from", a.toString(), "--to", b.toString());
      correct(
          fam,
          "identity " + a.getFileName() + " " + b.getFileName(),
          identityProblem(run, out, photo));
    }
    for (int k = 0; k < 4 * SCALE; k++) {
      // a translation: order 1 and 2 splines reproduce it exactly without boundary points
      double[][] pts = goodPoints(r, 4 + r.nextInt(10));
      int dx = r.nextInt(7) - 3;
      int dy = r.nextInt(7) - 3;
      double[][] moved = new double[pts.length][];
      for (int i = 0; i < pts.length; i++) {
        moved[i] = new double[] {pts[i][0] + dx, pts[i][1] + dy};
      }
      Path a = writePoints(dir, "from" + n, pts, r);
      Path b = writePoints(dir, "to" + n, moved, r);
      Path out = dir.resolve("o" + n++ + ".png");
      String order = Integer.toString(1 + r.nextInt(2));
      Run run =
          cli(
              "warp",
              in.toString(),
              out.toString(),
              "--from",
              a.toString(),
              "--to",
              b.toString(),
              "--boundary-points",
              "0",
              "--order",
              order);
      correct(
          fam,
          "translation by (" + dx + ", " + dy + "), order " + order,
          translationProblem(run, out, photo, dx, dy));
    }
    List<String[]> broken = new ArrayList<>();
    broken.add(
        new String[] {"decimal commas", ".txt", "282,5\t316,0\n300,5\t316,0\n290,0\t330,5\n"});
    broken.add(
        new String[] {"decimal commas (tem)", ".tem", "3\n282,5\t16,0\n30,5\t16,0\n20,0\t30,5\n"});
    broken.add(new String[] {"hex floats", ".csv", "0x1p3,4\n10,20\n30,5\n"});
    broken.add(new String[] {"suffixed numbers", ".csv", "1.5f,2\n10,20\n30,5\n"});
    broken.add(new String[] {"NaN", ".csv", "NaN,2\n10,20\n30,5\n"});
    broken.add(new String[] {"Infinity", ".txt", "Infinity 2\n10 20\n30 5\n"});
    broken.add(new String[] {"a point at 1e19", ".csv", "1e19,5\n10,20\n30,5\n"});
    broken.add(new String[] {"a point far outside", ".csv", "500,5\n10,20\n30,5\n"});
    broken.add(new String[] {"three fields", ".csv", "1,2,3\n10,20\n30,5\n"});
    broken.add(new String[] {"empty", ".csv", ""});
    broken.add(new String[] {"header only", ".csv", "x,y\n"});
    broken.add(new String[] {"tem count not a number", ".tem", "three\n1\t2\n"});
    broken.add(new String[] {"tem count huge", ".tem", "999999999\n1\t2\n3\t4\n5\t9\n"});
    broken.add(new String[] {"tem count past the lines", ".tem", "5\n1\t2\n3\t4\n5\t9\n"});
    broken.add(new String[] {"tem count 0", ".tem", "0\n"});
    broken.add(new String[] {"JSON depth bomb", ".json", FuzzInputs.nested(200_000)});
    broken.add(new String[] {"JSON truncated", ".json", "[[1, 2], [3, 4"});
    broken.add(new String[] {"JSON wrong type", ".json", "{\"landmarks\": \"x\"}"});
    broken.add(new String[] {"JSON short point", ".json", "[[1, 2], [3], [5, 6]]"});
    broken.add(new String[] {"JSON string coordinate", ".json", "[[1, \"2\"], [3, 4], [5, 6]]"});
    broken.add(new String[] {"JSON without landmarks", ".json", "{\"other\": [[1, 2]]}"});
    broken.add(new String[] {"JSON empty array", ".json", "[]"});
    broken.add(new String[] {"JSON overflowing number", ".json", "[[1e400, 2], [3, 4], [5, 6]]"});
    broken.add(
        new String[] {
          "JSON duplicate key", ".json", "{\"landmarks\": [[1, 2]], \"landmarks\": [[1, 2]]}"
        });
    broken.add(new String[] {"JSON trailing garbage", ".json", "[[1, 2], [3, 4], [5, 6]] x"});
    broken.add(new String[] {"collinear points", ".csv", "5,10\n20,10\n40,10\n60,10\n"});
    broken.add(new String[] {"two points", ".csv", "5,10\n20,30\n"});
    broken.add(new String[] {"one point repeated", ".csv", "5,10\n5,10\n5,10\n5,10\n"});
    StringBuilder many = new StringBuilder();
    for (int i = 0; i <= Limits.DEFAULT_MAX_POINTS; i++) {
      many.append(i % 64).append(',').append((i / 64) % 48).append('\n');
    }
    broken.add(new String[] {"more points than the limit", ".csv", many.toString()});
    for (int k = 0; k < 3 * SCALE; k++) {
      byte[] junk = new byte[1 + r.nextInt(3000)];
      r.nextBytes(junk);
      broken.add(
          new String[] {
            "random bytes",
            k % 2 == 0 ? ".csv" : ".json",
            new String(junk, StandardCharsets.ISO_8859_1)
          });
    }
    for (int k = 0; k < 3 * SCALE; k++) {
      // a good file with one random character replaced by a random printable one
      double[][] pts = goodPoints(r, 5 + r.nextInt(10));
      Path good = writePoints(dir, "mut" + n++, pts, r);
      String t = Files.readString(good);
      int at = r.nextInt(t.length());
      String chars = "xX;:,.-+eE \t[]{}\"'#@!";
      char c = chars.charAt(r.nextInt(chars.length()));
      broken.add(
          new String[] {
            "mutated " + good.getFileName() + " at " + at,
            ext(good),
            t.substring(0, at) + c + t.substring(at + 1)
          });
    }
    for (String[] b : broken) {
      Path f = dir.resolve("bad" + n++ + b[1]);
      if (b[0].equals("random bytes")) {
        Files.write(f, b[2].getBytes(StandardCharsets.ISO_8859_1));
      } else {
        Files.writeString(f, b[2]);
      }
      Path out = dir.resolve("o" + n + ".png");
      // Without boundary points too few, collinear or repeated points leave the spline singular.
      Run run =
          cli(
              "warp",
              in.toString(),
              out.toString(),
              "--from",
              f.toString(),
              "--to",
              f.toString(),
              "--boundary-points",
              b[0].startsWith("mutated") ? "2" : "0");
      if (b[0].startsWith("mutated") && run.status() == 0) {
        // a mutation can leave a valid file (a digit for a digit, a space for a tab): then the
        // result must be the identity it asks for
        correct(fam, b[0] + " (still valid)", identityProblem(run, out, photo));
        continue;
      }
      expectCliError(fam, b[0], run, out, f.toString());
    }
    assertThat(TALLY.others(fam)).isEmpty();
  }

  private static String ext(Path p) {
    String s = p.getFileName().toString();
    return s.substring(s.lastIndexOf('.'));
  }

  private static String identityProblem(Run run, Path out, FaceImage photo) {
    if (run.status() != 0 || run.hasTrace()) {
      return "exit " + run.status() + ": " + run.err().strip();
    }
    try {
      FaceImage o = FaceImage.read(out);
      if (!out.toString().endsWith(".png")) {
        double d = FuzzInputs.meanAbsDiff(o.toArray(), photo.toArray());
        return d <= 0.01 ? null : "the identity warp (JPEG output) changed pixels by " + d;
      }
      double d = FuzzInputs.maxAbsDiff(o.toArray(), photo.toArray());
      return d <= 0.5 / 255 ? null : "the identity warp changed pixels by " + d;
    } catch (IOException e) {
      return "unreadable output: " + e.getMessage();
    }
  }

  private static String translationProblem(Run run, Path out, FaceImage photo, int dx, int dy) {
    if (run.status() != 0 || run.hasTrace()) {
      return "exit " + run.status() + ": " + run.err().strip();
    }
    try {
      FaceImage o = FaceImage.read(out);
      double worst = 0;
      for (int y = 0; y < 48; y++) {
        for (int x = 0; x < 64; x++) {
          int sx = x - dx;
          int sy = y - dy;
          if (sx < 0 || sy < 0 || sx > 63 || sy > 47) {
            continue;
          }
          for (int c = 0; c < 3; c++) {
            worst = Math.max(worst, Math.abs(o.get(x, y, c) - photo.get(sx, sy, c)));
          }
        }
      }
      return worst <= 1.0 / 255 ? null : "translated pixels differ by " + worst;
    } catch (IOException e) {
      return "unreadable output: " + e.getMessage();
    }
  }

  // ------------------------------------------------------------------------- warp arguments

  @Test
  void warpArguments(@TempDir Path dir) throws IOException {
    String fam = "warp arguments";
    Random r = new Random(SEED + 2);
    Path png = photo(dir);
    FaceImage photo = FaceImage.read(png);
    Path jpg = dir.resolve("photo.jpg");
    photo.write(jpg);
    Path text = Files.writeString(dir.resolve("text.png"), "hello");
    Path folder = Files.createDirectories(dir.resolve("folder"));
    Path pts = writePoints(dir, "pts", goodPoints(new Random(5), 12), new Random(6));
    // value, valid?, token the error must name
    String[][] inputs = {
      {png.toString(), "1", ""},
      {jpg.toString(), "1", ""},
      {dir.resolve("missing.png").toString(), "0", "missing.png"},
      {folder.toString(), "0", folder.toString()},
      {text.toString(), "0", text.toString()}
    };
    String[][] outputs = {
      {"o.png", "1", ""},
      {"o.jpg", "1", ""},
      {"o.jpeg", "1", ""},
      {"o.bmp", "0", "o.bmp"},
      {"o", "0", "o"},
      {"no/such/o.png", "0", "no/such"},
      {"folder", "0", "folder"}
    };
    String[][] orders = {
      {null, "1", ""},
      {"1", "1", ""},
      {"2", "1", ""},
      {"3", "1", ""},
      {"0", "0", "--order"},
      {"-1", "0", "--order"},
      {"x", "0", "--order"},
      {"99999999999", "0", "--order"},
      {"7", "0", "--order"},
      {"40", "0", "--order"},
      {"100", "0", "--order"}
    };
    String[][] boundaries = {
      {null, "1", ""},
      {"0", "1", ""},
      {"1", "1", ""},
      {"8", "1", ""},
      {"-1", "0", "--boundary-points"},
      {"1025", "0", "--boundary-points"},
      {"100000", "0", "--boundary-points"},
      {"2147483647", "0", "--boundary-points"},
      {"1e3", "0", "--boundary-points"}
    };
    String[][] lambdas = {
      {null, "1", ""},
      {"0", "1", ""},
      {"0.01", "1", ""},
      {"1e300", "1", ""},
      {"-1", "0", "--regularization"},
      {"NaN", "0", "--regularization"},
      {"Infinity", "0", "--regularization"},
      {"abc", "0", "--regularization"}
    };
    String[][] points = {
      {"same", "1", ""},
      {"same", "1", ""},
      {"from only", "0", "--from"},
      {"missing", "0", "nope.csv"}
    };
    String[][] extras = {
      {null, "1", ""},
      {null, "1", ""},
      {"--json-points=bad", "0", "--json-points"},
      {"--frobnicate", "0", "--frobnicate"},
      {"extra", "0", "extra"}
    };
    for (int k = 0; k < 40 * SCALE; k++) {
      String[] in = pick(inputs, r);
      String[] outName = pick(outputs, r);
      String[] order = pick(orders, r);
      String[] bp = pick(boundaries, r);
      String[] lambda = pick(lambdas, r);
      String[] pt = pick(points, r);
      String[] extra = pick(extras, r);
      Path out = dir.resolve("args" + k).resolve(outName[0]);
      Files.createDirectories(dir.resolve("args" + k).resolve("folder"));
      List<String> args = new ArrayList<>(List.of("warp", in[0], out.toString()));
      add(args, "--order", order[0]);
      add(args, "--boundary-points", bp[0]);
      add(args, "--regularization", lambda[0]);
      switch (pt[0]) {
        case "same" -> args.addAll(List.of("--from", pts.toString(), "--to", pts.toString()));
        case "from only" -> args.addAll(List.of("--from", pts.toString()));
        default ->
            args.addAll(
                List.of("--from", dir.resolve("nope.csv").toString(), "--to", pts.toString()));
      }
      if (extra[0] != null) {
        args.add(extra[0]);
      }
      String[][] parts = {in, outName, order, bp, lambda, pt, extra};
      List<String> tokens = new ArrayList<>();
      for (String[] p : parts) {
        if (p[1].equals("0")) {
          tokens.add(p[2]);
        }
      }
      if (tokens.contains("extra")) {
        tokens.add("Unmatched argument");
      }
      String label = String.join(" ", args.subList(1, args.size())).replace(dir.toString(), "");
      Run run = cli(args.toArray(new String[0]));
      if (tokens.isEmpty()) {
        correct(
            fam,
            label,
            in[0].endsWith(".png")
                ? identityProblem(run, out, photo)
                : jpegIdentity(run, out, jpg));
      } else {
        expectCliError(
            fam, label, run, Files.isDirectory(out) ? null : out, tokens.toArray(new String[0]));
      }
    }
    Run help = cli("warp", "--help");
    correct(
        fam,
        "--help",
        help.status() == 0 && help.out().contains("--boundary-points") ? null : "help: " + help);
    assertThat(TALLY.others(fam)).isEmpty();
  }

  private static String jpegIdentity(Run run, Path out, Path jpg) {
    try {
      return identityProblem(run, out, FaceImage.read(jpg));
    } catch (IOException e) {
      return e.toString();
    }
  }

  /** One entry of a pool; four times in five a valid one, so that whole valid runs occur. */
  private static String[] pick(String[][] pool, Random r) {
    if (r.nextInt(5) > 0) {
      List<String[]> valid = new ArrayList<>();
      for (String[] p : pool) {
        if (p[1].equals("1")) {
          valid.add(p);
        }
      }
      return valid.get(r.nextInt(valid.size()));
    }
    return pool[r.nextInt(pool.length)];
  }

  private static void add(List<String> args, String option, String value) {
    if (value != null) {
      args.add(option);
      args.add(value);
    }
  }

  // --------------------------------------------------------------- near-singular spline systems

  /**
   * Class 1: dest points a hair apart (1e-4 … 1e-12 px) with different moves, with λ = 0 or a tiny
   * λ, and orders past the supported range, from the command line and the library: each must be a
   * clear error naming the points (or the order), never a warp of 1e12-pixel flows with exit 0.
   */
  @Test
  void nearSingularSplines(@TempDir Path dir) throws IOException {
    String fam = "near-singular";
    Random r = new Random(SEED + 3);
    Path in = photo(dir);
    double[] gaps = {1e-4, 1e-6, 1e-8, 1e-10, 1e-12};
    String[] lambdas = {null, "0", "1e-12", "1e-9"};
    for (int k = 0; k < 12 * SCALE; k++) {
      double[][] from = goodPoints(r, 6 + r.nextInt(20));
      double[][] to = new double[from.length][];
      for (int i = 0; i < from.length; i++) {
        to[i] = from[i].clone();
      }
      int i = r.nextInt(from.length);
      int j = (i + 1 + r.nextInt(from.length - 1)) % from.length;
      double gap = gaps[r.nextInt(gaps.length)];
      double angle = 2 * Math.PI * r.nextDouble();
      to[j] = new double[] {to[i][0] + gap * Math.cos(angle), to[i][1] + gap * Math.sin(angle)};
      Path a = exactPoints(dir, "nsf" + k, from);
      Path b = exactPoints(dir, "nst" + k, to);
      Path out = dir.resolve("ns" + k + ".png");
      List<String> args =
          new ArrayList<>(
              List.of(
                  "warp",
                  in.toString(),
                  out.toString(),
                  "--from",
                  a.toString(),
                  "--to",
                  b.toString()));
      add(args, "--order", Integer.toString(1 + r.nextInt(3)));
      add(args, "--regularization", lambdas[r.nextInt(lambdas.length)]);
      String label =
          String.format(
              Locale.ROOT,
              "--to points %d and %d %.0e px apart, %s",
              i,
              j,
              gap,
              String.join(" ", args.subList(7, args.size())));
      expectSingular(fam, "cli " + label, cli(args.toArray(new String[0])), out, b.toString());
    }
    for (String order : new String[] {"7", "12", "40", "100"}) { // MAX_ORDER is 6
      Path out = dir.resolve("order" + order + ".png");
      Run run = cli("warp", in.toString(), out.toString(), "--order", order);
      expectCliError(fam, "cli --order " + order, run, out, "--order");
      expectApiError(
          fam,
          "SplineWarp order " + order,
          "order",
          () -> SplineWarp.builder().order(Integer.parseInt(order)).build());
    }
    // the library: interpolation with near-duplicate centers and different values
    for (int k = 0; k < 8 * SCALE; k++) {
      int n = 5 + r.nextInt(10);
      double[][][] c = new double[1][n][];
      double[][][] v = new double[1][n][];
      for (int p = 0; p < n; p++) {
        c[0][p] = new double[] {200 * r.nextDouble(), 200 * r.nextDouble()};
        v[0][p] = new double[] {10 * r.nextDouble()};
      }
      double gap = gaps[r.nextInt(gaps.length)];
      c[0][1] = new double[] {c[0][0][0] + gap, c[0][0][1]};
      v[0][1] = new double[] {v[0][0][0] + 1 + r.nextDouble()};
      double lambda = r.nextBoolean() ? 0 : 1e-12;
      int order = 1 + r.nextInt(3);
      expectApiError(
          fam,
          String.format(Locale.ROOT, "interpolate gap %.0e, λ %s, order %d", gap, lambda, order),
          "centers 0",
          () ->
              PolyharmonicSpline.builder()
                  .order(order)
                  .regularization(lambda)
                  .build()
                  .fit(Nd4j.createFromArray(c), Nd4j.createFromArray(v)));
    }
    assertThat(TALLY.others(fam)).isEmpty();
  }

  /** A must-fail run whose message names the points file and says what is wrong with them. */
  private static void expectSingular(String fam, String label, Run run, Path out, String file) {
    String problem = null;
    if (run.status() == 0) {
      problem = "exit 0 on near-singular points; stdout: " + run.out().strip();
    } else if (run.hasTrace()) {
      problem = "stack trace: " + run.err();
    } else if (!run.err().contains(file)
        || !(run.err().contains("too close") || run.err().contains("numerically singular"))) {
      problem = "message names neither the file nor the problem: " + run.err().strip();
    } else if (Files.exists(out)) {
      problem = "wrote " + out + " although it failed";
    }
    TALLY.add(fam, label, problem == null ? Outcome.CLEAR_ERROR : Outcome.OTHER, problem);
  }

  /** Points as {@code x,y} lines in full precision (a 1e-12 px gap survives). */
  private static Path exactPoints(Path dir, String base, double[][] pts) throws IOException {
    StringBuilder b = new StringBuilder();
    for (double[] p : pts) {
      b.append(p[0]).append(',').append(p[1]).append('\n');
    }
    return Files.writeString(dir.resolve(base + ".csv"), b);
  }

  // --------------------------------------------------------------------------------- graph ops

  /**
   * Class 6: the warp's graph forms refuse what the eager warp refuses, on both backends (the fused
   * ops where facenorm's executioner runs, the native-op composition everywhere): NaN/Inf images
   * and points, coinciding and too close dest points, with a message naming the argument.
   */
  @Test
  void graphOps() {
    String fam = "graph ops";
    Random r = new Random(SEED + 4);
    List<WarpBackend> backends = new ArrayList<>();
    backends.add(WarpBackend.nativeOps());
    if (FacenormKernels.isActive()) {
      backends.add(WarpBackend.fused());
    }
    for (int k = 0; k < 12 * SCALE; k++) {
      for (WarpBackend backend : backends) {
        int h = 6 + r.nextInt(10);
        int w = 6 + r.nextInt(10);
        int n = 3 + r.nextInt(6);
        double[] img = new double[h * w * 2];
        for (int i = 0; i < img.length; i++) {
          img[i] = r.nextDouble();
        }
        double[] src = new double[n * 2];
        for (int p = 0; p < n; p++) {
          src[2 * p] = 1 + (w - 3) * r.nextDouble();
          src[2 * p + 1] = 1 + (h - 3) * r.nextDouble();
        }
        double[] dst = src.clone();
        for (int i = 0; i < dst.length; i++) {
          dst[i] += r.nextDouble() - 0.5;
        }
        String name;
        int kind = r.nextInt(6);
        switch (kind) {
          case 0 -> {
            img[r.nextInt(img.length)] = Double.NaN;
            name = "image";
          }
          case 1 -> {
            img[r.nextInt(img.length)] = Double.NEGATIVE_INFINITY;
            name = "image";
          }
          case 2 -> {
            dst[r.nextInt(dst.length)] = Double.NaN;
            name = "dest";
          }
          case 3 -> {
            src[r.nextInt(src.length)] = Double.POSITIVE_INFINITY;
            name = "source";
          }
          case 4 -> {
            dst[2] = dst[0];
            dst[3] = dst[1];
            name = "coincide";
          }
          default -> {
            dst[2] = dst[0] + gapOf(r);
            dst[3] = dst[1];
            name = "too close";
          }
        }
        boolean asFloat = r.nextBoolean();
        INDArray image = Nd4j.create(img, new long[] {1, h, w, 2}, 'c');
        INDArray source = Nd4j.create(src, new long[] {1, n, 2}, 'c');
        INDArray dest = Nd4j.create(dst, new long[] {1, n, 2}, 'c');
        if (asFloat) {
          image = image.castTo(DataType.FLOAT);
        }
        INDArray fi = image;
        SplineWarp warp = SplineWarp.builder().order(1 + r.nextInt(2)).build();
        String label = backend + " " + name + (asFloat ? " FLOAT" : " DOUBLE") + " case " + k;
        expectApiError(
            fam,
            label,
            name,
            () -> {
              SameDiff sd = SameDiff.create();
              SDVariable out =
                  backend
                      .sparseWarp(
                          sd,
                          "warped",
                          sd.constant("image", fi),
                          sd.constant("source", source),
                          sd.var("dest", dest),
                          new WarpSpec(
                              warp.order(), 0, 0, io.github.facenorm.warp.PointOrder.XY, 1),
                          false)[0];
              return sd.output(java.util.Map.of(), out.name()).get(out.name());
            });
      }
    }
    assertThat(TALLY.others(fam)).isEmpty();
  }

  private static double gapOf(Random r) {
    return new double[] {1e-6, 1e-8, 1e-12}[r.nextInt(3)];
  }

  // ----------------------------------------------------------------------------- model caches

  @Test
  void modelCaches(@TempDir Path dir) throws IOException {
    String fam = "model caches";
    Random r = new Random(SEED + 3);
    ModelStore real = ModelStore.open();
    int n = 0;
    for (ModelId id : PretrainedModels.all()) {
      boolean cached = real.isCached(id);
      boolean dlib = id.name().startsWith("dlib/");
      if (cached && (!dlib || SCALE > 1 || id.files().size() == 1)) {
        Path root = dir.resolve("ok" + n++);
        linkAll(real, id, ModelStore.at(root));
        String problem;
        try {
          Object v = load(ModelStore.at(root), id);
          problem = v == null ? "loaded nothing" : null;
        } catch (Throwable t) { // NOPMD
          problem = "the pinned files failed to load: " + t;
        }
        correct(fam, id.name() + " as pinned", problem);
      }
      for (ModelFile f : id.files()) {
        String[] kinds = {
          "missing", "empty", "random", "folder", "json bomb", "truncated", "flipped", "swapped"
        };
        for (String kind : kinds) {
          if (!cached
              && (kind.equals("truncated") || kind.equals("flipped") || kind.equals("swapped"))) {
            continue;
          }
          if (kind.equals("flipped") && dlib && SCALE == 1) {
            continue; // copying 96 MB per case is for the large run
          }
          for (int rep = 0;
              rep < (kind.equals("flipped") || kind.equals("truncated") ? SCALE : 1);
              rep++) {
            Path root = dir.resolve("c" + n++);
            ModelStore store = ModelStore.at(root);
            if (cached) {
              linkAll(real, id, store);
            } else {
              Files.createDirectories(store.directory(id));
            }
            Path target = store.directory(id).resolve(f.path());
            Files.deleteIfExists(target);
            Files.createDirectories(target.getParent());
            Path original = real.directory(id).resolve(f.path());
            switch (kind) {
              case "missing" -> {}
              case "empty" -> Files.write(target, new byte[0]);
              case "random" -> {
                byte[] b = new byte[1 + r.nextInt(4096)];
                r.nextBytes(b);
                Files.write(target, b);
              }
              case "folder" -> Files.createDirectories(target);
              case "json bomb" -> Files.writeString(target, FuzzInputs.nested(200_000));
              case "truncated" -> {
                long size = Files.size(original);
                byte[] head = new byte[(int) Math.min(size - 1, r.nextInt(1 << 20))];
                try (var in = Files.newInputStream(original)) {
                  in.readNBytes(head, 0, head.length);
                }
                Files.write(target, head);
              }
              case "flipped" -> {
                byte[] b = Files.readAllBytes(original);
                b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
                Files.write(target, b);
              }
              default -> {
                // another pinned file of the same kind in its place
                Path other = otherFile(real, id, f);
                if (other == null) {
                  continue;
                }
                Files.createSymbolicLink(target, other);
              }
            }
            String name = target.toString();
            expectApiError(
                fam, id.name() + " " + f.path() + " " + kind, name, io(() -> load(store, id)));
          }
        }
      }
    }
    tfjsManifests(fam, dir.resolve("tfjs"), r);
    dlibFiles(fam, dir.resolve("dlibfiles"), r, real);
    assertThat(TALLY.others(fam)).isEmpty();
  }

  private static Object load(ModelStore store, ModelId id) throws IOException {
    if (id.name().startsWith("dlib/")) {
      return DlibShapePredictor.load(store);
    }
    return FaceApiModels.load(store, id.name().substring("face-api/".length()));
  }

  private static void linkAll(ModelStore from, ModelId id, ModelStore to) throws IOException {
    Files.createDirectories(to.directory(id));
    for (ModelFile f : id.files()) {
      Path t = to.directory(id).resolve(f.path());
      Files.createDirectories(t.getParent());
      Files.createSymbolicLink(t, from.directory(id).resolve(f.path()).toAbsolutePath());
    }
  }

  private static Path otherFile(ModelStore real, ModelId id, ModelFile f) {
    for (ModelId o : PretrainedModels.all()) {
      if (o.equals(id) || !real.isCached(o)) {
        continue;
      }
      for (ModelFile of : o.files()) {
        if (ext(Path.of(of.path())).equals(ext(Path.of(f.path())))) {
          return real.directory(o).resolve(of.path()).toAbsolutePath();
        }
      }
    }
    return null;
  }

  /** The unpinned tfjs reader on a small valid manifest and on broken ones. */
  private static void tfjsManifests(String fam, Path dir, Random r) throws IOException {
    Files.createDirectories(dir);
    ByteBuffer bin = ByteBuffer.allocate(6 * 4 + 4).order(ByteOrder.LITTLE_ENDIAN);
    float[] a = {1.5f, -2f, 0.25f, 3f, 4f, -5f};
    for (float v : a) {
      bin.putFloat(v);
    }
    bin.put(new byte[] {0, 1, 2, (byte) 255});
    Files.write(dir.resolve("w.bin"), bin.array());
    String good =
        "[{\"paths\": [\"w.bin\"], \"weights\": [{\"name\": \"a\", \"shape\": [2, 3], \"dtype\":"
            + " \"float32\"}, {\"name\": \"b\", \"shape\": [4], \"dtype\": \"float32\","
            + " \"quantization\": {\"dtype\": \"uint8\", \"scale\": 0.5, \"min\": -1}}]}]";
    Path m = Files.writeString(dir.resolve("good.json"), good);
    String problem;
    try {
      TfjsWeights w = TfjsWeights.read(m);
      WeightTensor ta = w.tensors().get("a");
      WeightTensor tb = w.tensors().get("b");
      problem =
          java.util.Arrays.equals(ta.values(), a)
                  && java.util.Arrays.equals(tb.values(), new float[] {-1f, -0.5f, 0f, 126.5f})
              ? null
              : "values " + ta + " " + tb;
    } catch (Throwable t) { // NOPMD
      problem = "a valid manifest failed: " + t;
    }
    correct(fam, "tfjs manifest valid", problem);
    List<String[]> bad = new ArrayList<>();
    bad.add(new String[] {"not JSON", "hello"});
    bad.add(new String[] {"depth bomb", FuzzInputs.nested(200_000)});
    bad.add(new String[] {"object", "{}"});
    bad.add(new String[] {"huge shape", good.replace("[2, 3]", "[100000, 100000, 100000]")});
    bad.add(
        new String[] {
          "overflowing shape", good.replace("[2, 3]", "[4294967296, 4294967296, 4294967296, 4]")
        });
    bad.add(new String[] {"negative dimension", good.replace("[2, 3]", "[-2, -3]")});
    bad.add(new String[] {"fractional dimension", good.replace("[2, 3]", "[2.5, 3]")});
    bad.add(new String[] {"unknown dtype", good.replace("\"float32\"}", "\"complex64\"}")});
    bad.add(new String[] {"shard escapes", good.replace("w.bin", "../../etc/passwd")});
    bad.add(new String[] {"shard missing", good.replace("w.bin", "nope.bin")});
    bad.add(new String[] {"too few bytes", good.replace("[4]", "[5]")});
    bad.add(new String[] {"too many bytes", good.replace("[4]", "[3]")});
    bad.add(new String[] {"duplicate name", good.replace("\"name\": \"b\"", "\"name\": \"a\"")});
    bad.add(new String[] {"bad quantization", good.replace("\"scale\": 0.5", "\"scale\": \"x\"")});
    bad.add(new String[] {"no paths", good.replace("\"paths\": [\"w.bin\"], ", "")});
    for (int k = 0; k < 6 * SCALE; k++) {
      int at = r.nextInt(good.length());
      String chars = "[]{}\",:0-9xe ";
      char c = chars.charAt(r.nextInt(chars.length()));
      bad.add(
          new String[] {"mutated at " + at, good.substring(0, at) + c + good.substring(at + 1)});
    }
    int n = 0;
    for (String[] b : bad) {
      Path f = Files.writeString(dir.resolve("m" + n++ + ".json"), b[1]);
      if (b[0].startsWith("mutated")) {
        try {
          TfjsWeights.read(f);
          continue; // the mutation left a valid manifest (a digit for a digit): not a case
        } catch (Throwable t) { // NOPMD: classified below
        }
      }
      expectApiError(fam, "tfjs manifest " + b[0], f.toString(), io(() -> TfjsWeights.read(f)));
    }
  }

  /** The unpinned dlib reader on random bytes and on prefixes of the real file. */
  private static void dlibFiles(String fam, Path dir, Random r, ModelStore real)
      throws IOException {
    Files.createDirectories(dir);
    for (int k = 0; k < 3 * SCALE; k++) {
      byte[] b = new byte[r.nextInt(5000)];
      r.nextBytes(b);
      Path f = Files.write(dir.resolve("r" + k + ".dat"), b);
      expectApiError(fam, "dlib random bytes", f.toString(), io(() -> DlibShapePredictor.load(f)));
    }
    Path dat = DlibShapePredictor.defaultModelPath();
    if (!Files.isRegularFile(dat)) {
      return;
    }
    for (int k = 0; k < 3 * SCALE; k++) {
      byte[] head = new byte[r.nextInt(1 << 20)];
      try (var in = Files.newInputStream(dat)) {
        in.readNBytes(head, 0, head.length);
      }
      Path f = Files.write(dir.resolve("t" + k + ".dat"), head);
      expectApiError(
          fam,
          "dlib truncated to " + head.length,
          f.toString(),
          io(() -> DlibShapePredictor.load(f)));
    }
  }
}
