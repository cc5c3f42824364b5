package io.github.facenorm.models.cli;

import io.github.facenorm.core.FaceImage;
import io.github.facenorm.models.normalize.FaceNormalizer;
import io.github.facenorm.models.normalize.NormalizedFace;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code facenorm normalize <photo|dir>... -o <out>}: the library's main job over files. Contract
 * (checked from outside the repository): {@code <out>/<path relative to the given dir, extension
 * replaced>.png} (a file argument: its base name); failures on stderr and in {@code
 * <out>/failures.csv} (path, reason), skipped; exit 0 when at least one photo is normalized (now or
 * by an earlier run), 1 when none, 2 on bad arguments; atomic writes; existing outputs skipped.
 */
@Command(
    name = "normalize",
    mixinStandardHelpOptions = true,
    description = {
      "Turn face photos into front-facing, evenly lit, neutral-expression faces (Cole et al. 2017).",
      "Writes <out>/<path relative to the given folder>.png (a file argument: <out>/<name>.png)."
          + " Photos that fail are reported and listed in <out>/failures.csv; existing outputs are"
          + " kept (re-running resumes). Exit 0 if any photo was normalized, 1 if none, 2 on bad"
          + " arguments."
    })
final class NormalizeCommand implements Callable<Integer> {

  /** The failures file in the output folder. */
  static final String FAILURES = "failures.csv";

  @Parameters(arity = "1..*", paramLabel = "PHOTO|DIR", description = "photos or folders of photos")
  List<Path> inputs;

  @Option(
      names = {"-o", "--out"},
      required = true,
      description = "output folder")
  Path out;

  @Option(names = "--model", description = "a model folder from facenorm train (default: shipped)")
  Path model;

  @Option(
      names = "--grid",
      paramLabel = "FILE.png",
      description = "also write a contact sheet: aligned input beside its normalized face")
  Path grid;

  private record Job(Path photo, Path output, String shown) {}

  @Override
  public Integer call() throws Exception {
    PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new IllegalArgumentException("-o: " + out + " is a file, expected a folder");
    }
    if (grid != null && !grid.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")) {
      throw new IllegalArgumentException("--grid: expected a .png file name, got " + grid);
    }
    List<Job> jobs = new ArrayList<>();
    for (Path in : inputs) {
      if (Files.isDirectory(in)) {
        try (Stream<Path> s = Files.walk(in)) {
          for (Path p :
              s.filter(Files::isRegularFile).filter(NormalizeCommand::isImage).sorted().toList()) {
            if (p.startsWith(out.toAbsolutePath())
                || p.toAbsolutePath().startsWith(out.toAbsolutePath())) {
              continue;
            }
            Path rel = in.relativize(p);
            jobs.add(new Job(p, out.resolve(withPng(rel.toString())), p.toString()));
          }
        }
      } else if (Files.isRegularFile(in)) {
        jobs.add(new Job(in, out.resolve(withPng(in.getFileName().toString())), in.toString()));
      } else {
        throw new IllegalArgumentException(in + ": no such photo or folder");
      }
    }
    if (jobs.isEmpty()) {
      throw new IllegalArgumentException("no .jpg, .jpeg or .png photos in " + inputs);
    }
    Files.createDirectories(out);
    FaceNormalizer.Builder b = FaceNormalizer.builder();
    if (model != null) {
      b.model(model);
    }
    FaceNormalizer normalizer = b.build();
    List<String> failures = new ArrayList<>();
    List<BufferedImage[]> sheet = new ArrayList<>();
    int done = 0;
    int skipped = 0;
    long start = System.nanoTime();
    for (int i = 0; i < jobs.size(); i++) {
      Job j = jobs.get(i);
      Files.deleteIfExists(tmp(j.output()));
      if (Files.isRegularFile(j.output()) && Files.size(j.output()) > 0 && grid == null) {
        skipped++;
        continue;
      }
      try {
        NormalizedFace face;
        FaceImage photo = FaceImage.read(j.photo());
        face = normalizer.normalize(photo);
        if (!(Files.isRegularFile(j.output()) && Files.size(j.output()) > 0)) {
          Files.createDirectories(j.output().getParent());
          writePng(face.image().toBufferedImage(), j.output());
          done++;
        } else {
          skipped++;
        }
        if (grid != null) {
          FaceImage aligned =
              normalizer.model().config().aligner().align(photo, face.photoLandmarks()).image();
          sheet.add(
              new BufferedImage[] {aligned.toBufferedImage(), face.image().toBufferedImage()});
        }
      } catch (Exception | OutOfMemoryError | StackOverflowError e) {
        String reason = e.getMessage() == null ? e.toString() : e.getMessage();
        err.println("facenorm normalize: " + j.shown() + ": " + reason);
        failures.add(csv(j.shown()) + "," + csv(reason));
        writeFailures(failures);
      }
      int n = i + 1;
      if (n % 10 == 0 || n == jobs.size()) {
        double secs = (System.nanoTime() - start) / 1e9;
        double rate = (done + failures.size()) / secs;
        err.printf(
            Locale.ROOT,
            "facenorm normalize: %d/%d photos (%d new, %d kept, %d failed) %.1f photos/s, ETA %s%n",
            n,
            jobs.size(),
            done,
            skipped,
            failures.size(),
            rate,
            rate > 0 ? String.format(Locale.ROOT, "%.0fs", (jobs.size() - n) / rate) : "?");
      }
    }
    if (failures.isEmpty()) {
      Files.deleteIfExists(out.resolve(FAILURES));
    }
    if (grid != null && !sheet.isEmpty()) {
      writeGrid(sheet, grid);
    }
    err.printf(
        Locale.ROOT,
        "facenorm normalize: %d normalized, %d already there, %d failed -> %s%n",
        done,
        skipped,
        failures.size(),
        out);
    return done + skipped > 0 ? 0 : 1;
  }

  private static boolean isImage(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png");
  }

  private static String withPng(String rel) {
    int dot = rel.lastIndexOf('.');
    int slash = Math.max(rel.lastIndexOf('/'), rel.lastIndexOf('\\'));
    return (dot > slash ? rel.substring(0, dot) : rel) + ".png";
  }

  private static Path tmp(Path p) {
    return p.resolveSibling(p.getFileName() + ".tmp");
  }

  private static void writePng(BufferedImage img, Path file) throws IOException {
    Path t = tmp(file);
    if (!ImageIO.write(img, "png", t.toFile())) {
      throw new IOException("no PNG writer");
    }
    Files.move(t, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private void writeFailures(List<String> lines) throws IOException {
    Path f = out.resolve(FAILURES);
    Path t = tmp(f);
    Files.writeString(t, "path,reason\n" + String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    Files.move(t, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static String csv(String s) {
    String one = s.replace('\n', ' ').replace('\r', ' ');
    return one.contains(",") || one.contains("\"") ? "\"" + one.replace("\"", "\"\"") + "\"" : one;
  }

  /** Pairs (input, output) side by side, two pairs per row. */
  static void writeGrid(List<BufferedImage[]> pairs, Path file) throws IOException {
    int s = pairs.get(0)[1].getWidth();
    int cols = Math.min(2, pairs.size());
    int rows = (pairs.size() + cols - 1) / cols;
    int gap = 4;
    int w = cols * (2 * s + 3 * gap);
    int h = rows * (s + gap) + gap;
    BufferedImage g = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D gr = g.createGraphics();
    gr.setColor(Color.WHITE);
    gr.fillRect(0, 0, w, h);
    for (int i = 0; i < pairs.size(); i++) {
      int x = (i % cols) * (2 * s + 3 * gap) + gap;
      int y = (i / cols) * (s + gap) + gap;
      gr.drawImage(pairs.get(i)[0], x, y, s, s, null);
      gr.drawImage(pairs.get(i)[1], x + s + gap, y, s, s, null);
    }
    gr.dispose();
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    writePng(g, file);
  }
}
