package io.github.facenorm.core;

import io.github.facenorm.core.internal.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prepares training photos (paper Sec. 6.1) that are already cropped around one face, such as LFW
 * deep-funneled (250 × 250) or FRL London (675 × 675): no face detector is run. For each photo:
 *
 * <ol>
 *   <li>a face box: a given one ({@link Builder#faceBox}), else a square of side {@link
 *       Builder#boxFraction} × the shorter image side centered at {@link Builder#boxCenter};
 *   <li>the 68 landmarks inside it, then {@link Builder#refinements} times again in a box placed
 *       from those landmarks the way dlib's HOG detector frames a face (side 2.8 × the landmarks'
 *       RMS radius, center 0.14 of that radius above their centroid, fitted on dlib's own HOG
 *       boxes), because the landmarker was trained on HOG boxes;
 *   <li>alignment ({@link Aligner}) and the quality filters ({@link QualityFilters}).
 * </ol>
 *
 * <p>On the 12 photos of the dlib goldens (FRL London and LFW), the landmarks found this way are
 * within 1 % of the interocular distance (mean point error) of those dlib finds in its own HOG
 * boxes. The refinement is what makes the initial box uncritical: with a box fraction of 0.3 or
 * 0.55 instead of 0.4 the error is 4–5 % without it and 1.2 % with one pass.
 *
 * <p>{@link #prepare(FaceImage)} does this in memory. {@link #prepareAll} does it for a list of
 * files and writes, under the output directory, mirroring the photos' paths relative to the input
 * root: {@code <name>.png} (the aligned crop) and {@code <name>.json} (box, photo → crop transform,
 * landmarks in the crop and in the photo, the measurements), then {@value #MEASUREMENTS_FILE} (one
 * row per photo: measurements, verdicts, or the error) and {@value #MEAN_SHAPE_FILE} (the mean
 * aligned landmarks of the photos that passed every filter). Every file is written atomically (a
 * temporary file, then a move). The run is resumable: a photo whose {@code .png} and {@code .json}
 * both exist is not processed again; its measurements are read back and judged with the current
 * thresholds. A photo that cannot be read or aligned is reported through {@link Progress#failed}
 * and listed in the CSV, and the run goes on. Immutable and thread-safe.
 */
public final class FacePreparer {

  /** Name of the measurements CSV written by {@link #prepareAll}. */
  public static final String MEASUREMENTS_FILE = "filters.csv";

  /** Name of the mean-landmarks CSV written by {@link #prepareAll}. */
  public static final String MEAN_SHAPE_FILE = "mean_landmarks.csv";

  /** Box side over the landmarks' RMS radius, for dlib's HOG boxes. */
  static final double HOG_BOX_SIDE = 2.8;

  /** Box center above the landmarks' centroid, in RMS radii, for dlib's HOG boxes. */
  static final double HOG_BOX_RAISE = 0.14;

  private static final Logger LOG = LoggerFactory.getLogger(FacePreparer.class);

  private static final String CSV_HEADER =
      "photo,status,yaw_deg,pitch_deg,roll_deg,sharpness,colorfulness,mouth_opening,mouth_width,"
          + "pose_ok,blur_ok,color_ok,expression_ok,passed,message";

  private final LandmarkDetector detector;
  private final Aligner aligner;
  private final QualityFilters filters;
  private final FaceBox faceBox;
  private final double boxFraction;
  private final double boxCenterX;
  private final double boxCenterY;
  private final int refinements;
  private final int threads;

  private FacePreparer(Builder b) {
    this.detector = b.detector;
    this.aligner = b.aligner;
    this.filters = b.filters;
    this.faceBox = b.faceBox;
    this.boxFraction = b.boxFraction;
    this.boxCenterX = b.boxCenterX;
    this.boxCenterY = b.boxCenterY;
    this.refinements = b.refinements;
    this.threads = b.threads;
  }

  /**
   * A builder; the landmark detector is required.
   *
   * @param detector the landmarker, e.g. {@link io.github.facenorm.core.dlib.DlibShapePredictor}
   * @return a new builder
   */
  public static Builder builder(LandmarkDetector detector) {
    return new Builder(detector);
  }

  /** Receives progress from {@link #prepareAll}; calls are serialized (never concurrent). */
  public interface Progress {

    /**
     * Called after each photo (processed, skipped or failed) and once before the first.
     *
     * @param status counts so far
     */
    void update(Status status);

    /**
     * Called when a photo fails (after the {@link #update} that counts it); the run goes on.
     *
     * @param photo the photo's path relative to the input root
     * @param message what went wrong
     */
    default void failed(String photo, String message) {}
  }

  /**
   * Counts during a run.
   *
   * @param done photos finished (processed, skipped or failed)
   * @param total photos in the run
   * @param skipped photos whose outputs already existed
   * @param failed photos that could not be read or aligned
   * @param passed photos that passed every filter (skipped ones included)
   * @param elapsedNanos time since the run started
   */
  public record Status(
      int done, int total, int skipped, int failed, int passed, long elapsedNanos) {

    /** Photos actually processed (not skipped) per second so far. */
    public double photosPerSecond() {
      return elapsedNanos > 0 ? (done - skipped) / (elapsedNanos / 1e9) : 0;
    }

    /** Estimated seconds to finish at the current rate, or NaN before any photo was processed. */
    public double etaSeconds() {
      double rate = photosPerSecond();
      return rate > 0 ? (total - done) / rate : Double.NaN;
    }
  }

  /**
   * One photo prepared in memory.
   *
   * @param box the final face box the landmarks were found in
   * @param photoLandmarks the landmarks in the photo
   * @param aligned the aligned crop, its landmarks and the photo → crop transform
   * @param quality the filter measurements and verdicts
   */
  public record Prepared(
      FaceBox box, Landmarks photoLandmarks, AlignedFace aligned, QualityReport quality) {}

  /**
   * One row of the measurements: a photo's report, or the error that stopped it.
   *
   * @param photo the path relative to the input root, with {@code /} separators
   * @param quality the report, null if the photo failed
   * @param alignedLandmarks the landmarks in the crop, null if the photo failed
   * @param error what went wrong, null if it did not
   */
  public record Outcome(
      String photo, QualityReport quality, Landmarks alignedLandmarks, String error) {

    /** Whether the photo was read and aligned. */
    public boolean ok() {
      return error == null;
    }
  }

  /**
   * The result of {@link #prepareAll}.
   *
   * @param outcomes one per photo, sorted by photo path
   * @param skipped photos whose outputs already existed
   * @param seconds wall time of the run
   * @param measurements the CSV written
   * @param meanShape mean aligned landmarks of the photos that passed every filter, null if none
   */
  public record Summary(
      List<Outcome> outcomes, int skipped, double seconds, Path measurements, MeanShape meanShape) {

    /** Photos in the run. */
    public int total() {
      return outcomes.size();
    }

    /** Photos that failed. */
    public int failed() {
      return (int) outcomes.stream().filter(o -> !o.ok()).count();
    }

    /** Photos that passed the pose filter. */
    public int passedPose() {
      return count(q -> q.pose().passed());
    }

    /** Photos that passed the blur filter. */
    public int passedBlur() {
      return count(q -> q.blur().passed());
    }

    /** Photos that passed the monochrome filter. */
    public int passedMonochrome() {
      return count(q -> q.monochrome().passed());
    }

    /** Photos that passed the expression filter. */
    public int passedExpression() {
      return count(q -> q.expression().passed());
    }

    /** Photos that passed every filter. */
    public int passed() {
      return count(QualityReport::passed);
    }

    /** Photos processed (not skipped) per second. */
    public double photosPerSecond() {
      return seconds > 0 ? (total() - skipped) / seconds : 0;
    }

    private int count(java.util.function.Predicate<QualityReport> p) {
      return (int) outcomes.stream().filter(o -> o.ok() && p.test(o.quality())).count();
    }
  }

  /**
   * The initial face box of a photo: the configured box, or the centered square.
   *
   * @param photo the photo
   * @return the box
   */
  public FaceBox initialBox(FaceImage photo) {
    Objects.requireNonNull(photo, "photo");
    if (faceBox != null) {
      return faceBox;
    }
    double side = boxFraction * Math.min(photo.width(), photo.height());
    double cx = boxCenterX * photo.width();
    double cy = boxCenterY * photo.height();
    return new FaceBox(cx - side / 2, cy - side / 2, side, side);
  }

  /**
   * A dlib-HOG-like box around landmarks: side {@code 2.8 r}, centered {@code 0.14 r} above their
   * centroid, {@code r} their RMS distance to the centroid.
   *
   * @param landmarks the points
   * @return the box
   */
  public static FaceBox boxAround(Landmarks landmarks) {
    Objects.requireNonNull(landmarks, "landmarks");
    double mx = 0;
    double my = 0;
    for (int i = 0; i < Landmarks.COUNT; i++) {
      mx += landmarks.x(i);
      my += landmarks.y(i);
    }
    mx /= Landmarks.COUNT;
    my /= Landmarks.COUNT;
    double ss = 0;
    for (int i = 0; i < Landmarks.COUNT; i++) {
      double dx = landmarks.x(i) - mx;
      double dy = landmarks.y(i) - my;
      ss += dx * dx + dy * dy;
    }
    double r = Math.sqrt(ss / Landmarks.COUNT);
    if (!(r > 0)) {
      throw new IllegalArgumentException(
          "landmarks: all 68 points coincide at (" + mx + ", " + my + ")");
    }
    double side = HOG_BOX_SIDE * r;
    double cy = my - HOG_BOX_RAISE * r;
    return new FaceBox(mx - side / 2, cy - side / 2, side, side);
  }

  /**
   * Prepares one photo in memory: box, landmarks (with refinement), alignment, filters.
   *
   * @param photo the photo, already cropped around one face
   * @return the result
   * @throws IllegalArgumentException if the photo is smaller than 2 × 2 or the landmarks are
   *     implausible (eyes closer than 2 px, or the face's center outside the photo)
   */
  public Prepared prepare(FaceImage photo) {
    Objects.requireNonNull(photo, "photo");
    if (photo.width() < 2 || photo.height() < 2) {
      throw new IllegalArgumentException(
          "photo: expected at least 2 × 2 pixels, got " + photo.width() + " × " + photo.height());
    }
    FaceBox box = initialBox(photo);
    Landmarks lm = detect(photo, box);
    for (int i = 0; i < refinements; i++) {
      box = boxAround(lm);
      lm = detect(photo, box);
    }
    checkPlausible(photo, lm);
    AlignedFace aligned = aligner.align(photo, lm);
    return new Prepared(box, lm, aligned, filters.check(aligned));
  }

  private Landmarks detect(FaceImage photo, FaceBox box) {
    Landmarks lm = detector.detect(photo, box);
    if (lm == null) {
      throw new IllegalArgumentException("no landmarks found in the face box " + box);
    }
    return lm;
  }

  private static void checkPlausible(FaceImage photo, Landmarks lm) {
    Landmarks.Point r = lm.rightEyeCenter();
    Landmarks.Point l = lm.leftEyeCenter();
    double d = Math.hypot(l.x() - r.x(), l.y() - r.y());
    double cx = 0.5 * (r.x() + l.x());
    double cy = 0.5 * (r.y() + l.y());
    if (!(d >= 2) || cx < 0 || cy < 0 || cx > photo.width() - 1 || cy > photo.height() - 1) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "no plausible face: eye centers (%.1f, %.1f) and (%.1f, %.1f) in a %d × %d photo",
              r.x(),
              r.y(),
              l.x(),
              l.y(),
              photo.width(),
              photo.height()));
    }
  }

  /**
   * The photos to prepare: every {@code .jpg}, {@code .jpeg} and {@code .png} under a directory
   * (recursively, sorted by relative path), or the lines of a list file (one path per line,
   * relative to the list's directory or absolute; blank lines and lines starting with {@code #}
   * skipped).
   *
   * @param dirOrList a directory or a text file
   * @param exclude a directory to leave out (the output directory, if it is inside the input), or
   *     null
   * @return the photos, in a deterministic order
   * @throws IOException if the input cannot be read
   */
  public static List<Path> listPhotos(Path dirOrList, Path exclude) throws IOException {
    Objects.requireNonNull(dirOrList, "dirOrList");
    if (Files.isDirectory(dirOrList)) {
      Path root = dirOrList.toAbsolutePath().normalize();
      Path ex = exclude == null ? null : exclude.toAbsolutePath().normalize();
      try (Stream<Path> s = Files.walk(root)) {
        return s.filter(Files::isRegularFile)
            .filter(p -> ex == null || !p.startsWith(ex))
            .filter(p -> isPhotoName(p.getFileName().toString()))
            .sorted(Comparator.comparing(p -> relativeName(root, p)))
            .toList();
      }
    }
    if (!Files.isRegularFile(dirOrList)) {
      throw new IOException(dirOrList + ": neither a directory of photos nor a list file");
    }
    Path base = rootOf(dirOrList);
    List<Path> out = new ArrayList<>();
    for (String line : Files.readAllLines(dirOrList, StandardCharsets.UTF_8)) {
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("#")) {
        continue;
      }
      out.add(base.resolve(t).normalize());
    }
    return out;
  }

  /**
   * The directory photo names are taken relative to: the directory itself, or a list file's
   * directory.
   *
   * @param dirOrList the input given to {@link #listPhotos}
   * @return the root
   */
  public static Path rootOf(Path dirOrList) {
    Path abs = dirOrList.toAbsolutePath().normalize();
    return Files.isDirectory(abs) ? abs : abs.getParent();
  }

  private static boolean isPhotoName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return !n.startsWith(".") && (n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png"));
  }

  private static String relativeName(Path root, Path photo) {
    Path abs = photo.toAbsolutePath().normalize();
    Path rel = abs.startsWith(root) ? root.relativize(abs) : abs.getFileName();
    return rel.toString().replace('\\', '/');
  }

  /**
   * Prepares photos and writes the outputs described in the class comment.
   *
   * @param photos the photos ({@link #listPhotos})
   * @param root the directory that output names are relative to ({@link #rootOf})
   * @param outDir the output directory (created if needed)
   * @param progress receives counts and failures; may be null
   * @return the outcomes and counts
   * @throws IOException if the output directory or the CSVs cannot be written (a single photo's
   *     problems are reported, not thrown)
   * @throws IllegalArgumentException if two photos would get the same output name
   */
  public Summary prepareAll(List<Path> photos, Path root, Path outDir, Progress progress)
      throws IOException {
    Objects.requireNonNull(photos, "photos");
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(outDir, "outDir");
    Progress listener = progress != null ? progress : s -> {};
    Path absRoot = root.toAbsolutePath().normalize();
    List<String> names = new ArrayList<>(photos.size());
    Map<String, Path> seen = new HashMap<>();
    for (Path p : photos) {
      String name = relativeName(absRoot, p);
      Path prev = seen.put(stripExtension(name), p);
      if (prev != null) {
        throw new IllegalArgumentException(
            "photos: " + prev + " and " + p + " would both be written as " + stripExtension(name));
      }
      names.add(name);
    }
    Files.createDirectories(outDir);
    long t0 = System.nanoTime();
    int n = photos.size();
    Outcome[] outcomes = new Outcome[n];
    int done = 0;
    int skipped = 0;
    int failed = 0;
    int passed = 0;
    listener.update(new Status(0, n, 0, 0, 0, 0));
    ExecutorService pool = Executors.newFixedThreadPool(threads, daemonThreads());
    try {
      ExecutorCompletionService<Object[]> ecs = new ExecutorCompletionService<>(pool);
      for (int i = 0; i < n; i++) {
        final int k = i;
        ecs.submit(() -> new Object[] {k, one(photos.get(k), names.get(k), outDir)});
      }
      for (int i = 0; i < n; i++) {
        Future<Object[]> f = ecs.take();
        Object[] r = f.get();
        int k = (Integer) r[0];
        Object[] res = (Object[]) r[1];
        Outcome o = (Outcome) res[0];
        outcomes[k] = o;
        done++;
        if ((Boolean) res[1]) {
          skipped++;
        }
        if (!o.ok()) {
          failed++;
        } else if (o.quality().passed()) {
          passed++;
        }
        listener.update(new Status(done, n, skipped, failed, passed, System.nanoTime() - t0));
        if (!o.ok()) {
          LOG.info("{}: {}", o.photo(), o.error());
          listener.failed(o.photo(), o.error());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted after " + done + " of " + n + " photos", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof UncheckedIOException u) {
        throw u.getCause();
      }
      if (c instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException("preparing photos failed: " + c, c);
    } finally {
      pool.shutdownNow();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    List<Outcome> sorted =
        Stream.of(outcomes).sorted(Comparator.comparing(Outcome::photo)).toList();
    Path csv = outDir.resolve(MEASUREMENTS_FILE);
    writeAtomically(csv, measurementsCsv(sorted));
    MeanShape.Accumulator acc = MeanShape.accumulator();
    for (Outcome o : sorted) {
      if (o.ok() && o.quality().passed()) {
        acc.add(o.alignedLandmarks());
      }
    }
    MeanShape mean = acc.count() > 0 ? acc.mean() : null;
    if (mean != null) {
      writeAtomically(outDir.resolve(MEAN_SHAPE_FILE), landmarksCsv(mean.landmarks()));
    }
    return new Summary(sorted, skipped, seconds, csv, mean);
  }

  /** Processes or skips one photo: {Outcome, Boolean skipped}. */
  private Object[] one(Path photo, String name, Path outDir) {
    String stem = stripExtension(name);
    Path png = outDir.resolve(stem + ".png");
    Path json = outDir.resolve(stem + ".json");
    if (Files.isRegularFile(png) && Files.isRegularFile(json)) {
      try {
        return new Object[] {readOutcome(name, json), true};
      } catch (IOException | RuntimeException e) {
        LOG.info("{}: cannot read back {} ({}); preparing it again", name, json, e.getMessage());
      }
    }
    Prepared p;
    try {
      FaceImage img = FaceImage.read(photo);
      p = prepare(img);
      Path parent = png.getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (IOException | RuntimeException e) {
      return new Object[] {new Outcome(name, null, null, describe(e)), false};
    }
    try {
      p.aligned().image().write(png);
      writeAtomically(json, toJson(name, p));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Object[] {new Outcome(name, p.quality(), p.aligned().landmarks(), null), false};
  }

  private static String describe(Exception e) {
    String m = e.getMessage();
    return (m == null || m.isBlank()) ? e.getClass().getSimpleName() : m;
  }

  private static String stripExtension(String name) {
    int slash = name.lastIndexOf('/');
    int dot = name.lastIndexOf('.');
    return dot > slash + 1 ? name.substring(0, dot) : name;
  }

  private static ThreadFactory daemonThreads() {
    AtomicInteger count = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "facenorm-prepare-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  private static void writeAtomically(Path file, String text) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
    try {
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static String toJson(String name, Prepared p) {
    StringBuilder b = new StringBuilder(8192);
    b.append("{\n  \"photo\": ").append(Json.quote(name)).append(",\n");
    FaceBox box = p.box();
    b.append("  \"box\": {\"left\": ")
        .append(Json.number(box.left()))
        .append(", \"top\": ")
        .append(Json.number(box.top()))
        .append(", \"width\": ")
        .append(Json.number(box.width()))
        .append(", \"height\": ")
        .append(Json.number(box.height()))
        .append("},\n");
    SimilarityTransform t = p.aligned().transform();
    b.append("  \"transform\": {\"a\": ")
        .append(Json.number(t.a()))
        .append(", \"b\": ")
        .append(Json.number(t.b()))
        .append(", \"tx\": ")
        .append(Json.number(t.tx()))
        .append(", \"ty\": ")
        .append(Json.number(t.ty()))
        .append("},\n");
    FaceImage img = p.aligned().image();
    b.append("  \"size\": [").append(img.width()).append(", ").append(img.height()).append("],\n");
    QualityReport q = p.quality();
    HeadPose hp = q.pose().headPose();
    b.append("  \"measurements\": {")
        .append("\"yaw\": ")
        .append(Json.number(hp.yaw()))
        .append(", \"pitch\": ")
        .append(Json.number(hp.pitch()))
        .append(", \"roll\": ")
        .append(Json.number(hp.roll()))
        .append(", \"sharpness\": ")
        .append(Json.number(q.blur().sharpness()))
        .append(", \"colorfulness\": ")
        .append(Json.number(q.monochrome().colorfulness()))
        .append(", \"mouthOpening\": ")
        .append(Json.number(q.expression().mouthOpening()))
        .append(", \"mouthWidth\": ")
        .append(Json.number(q.expression().mouthWidth()))
        .append("},\n");
    b.append("  \"landmarks\": ");
    appendPoints(b, p.aligned().landmarks());
    b.append(",\n  \"photoLandmarks\": ");
    appendPoints(b, p.photoLandmarks());
    b.append("\n}\n");
    return b.toString();
  }

  private static void appendPoints(StringBuilder b, Landmarks l) {
    b.append('[');
    for (int i = 0; i < Landmarks.COUNT; i++) {
      b.append(i == 0 ? "" : ", ")
          .append('[')
          .append(Json.number(l.x(i)))
          .append(", ")
          .append(Json.number(l.y(i)))
          .append(']');
    }
    b.append(']');
  }

  private Outcome readOutcome(String name, Path json) throws IOException {
    Object root = Json.parse(Files.readString(json, StandardCharsets.UTF_8));
    if (!(root instanceof Map<?, ?> m) || !(m.get("measurements") instanceof Map<?, ?> q)) {
      throw new IOException(json + ": no \"measurements\" object");
    }
    HeadPose pose = new HeadPose(num(q, "yaw"), num(q, "pitch"), num(q, "roll"));
    QualityReport report =
        filters.judge(
            pose,
            num(q, "sharpness"),
            num(q, "colorfulness"),
            num(q, "mouthOpening"),
            num(q, "mouthWidth"));
    if (!(m.get("landmarks") instanceof List<?> pts) || pts.size() != Landmarks.COUNT) {
      throw new IOException(json + ": \"landmarks\" is not a list of 68 points");
    }
    double[] xy = new double[2 * Landmarks.COUNT];
    for (int i = 0; i < Landmarks.COUNT; i++) {
      if (!(pts.get(i) instanceof List<?> pt)
          || pt.size() != 2
          || !(pt.get(0) instanceof Double x)
          || !(pt.get(1) instanceof Double y)) {
        throw new IOException(json + ": landmark " + i + " is not [x, y]");
      }
      xy[2 * i] = x;
      xy[2 * i + 1] = y;
    }
    return new Outcome(name, report, Landmarks.of(xy), null);
  }

  private static double num(Map<?, ?> m, String key) throws IOException {
    if (!(m.get(key) instanceof Double d)) {
      throw new IOException("measurement \"" + key + "\" missing or not a number");
    }
    return d;
  }

  private static String measurementsCsv(List<Outcome> rows) {
    StringBuilder b = new StringBuilder(CSV_HEADER).append('\n');
    for (Outcome o : rows) {
      b.append(csvField(o.photo())).append(',');
      if (!o.ok()) {
        b.append("error,,,,,,,,,,,,,").append(csvField(o.error())).append('\n');
        continue;
      }
      QualityReport q = o.quality();
      HeadPose p = q.pose().headPose();
      b.append(q.passed() ? "passed" : "rejected")
          .append(
              String.format(
                  Locale.ROOT,
                  ",%.3f,%.3f,%.3f,%.2f,%.5f,%.4f,%.4f,%b,%b,%b,%b,%b,",
                  p.yaw(),
                  p.pitch(),
                  p.roll(),
                  q.blur().sharpness(),
                  q.monochrome().colorfulness(),
                  q.expression().mouthOpening(),
                  q.expression().mouthWidth(),
                  q.pose().passed(),
                  q.blur().passed(),
                  q.monochrome().passed(),
                  q.expression().passed(),
                  q.passed()))
          .append('\n');
    }
    return b.toString();
  }

  private static String landmarksCsv(Landmarks l) {
    StringBuilder b = new StringBuilder("x,y\n");
    for (int i = 0; i < Landmarks.COUNT; i++) {
      b.append(Json.number(l.x(i))).append(',').append(Json.number(l.y(i))).append('\n');
    }
    return b.toString();
  }

  private static String csvField(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"").replace('\n', ' ') + '"';
  }

  /** The aligner. */
  public Aligner aligner() {
    return aligner;
  }

  /** The quality filters. */
  public QualityFilters filters() {
    return filters;
  }

  @Override
  public String toString() {
    return "FacePreparer{detector="
        + detector
        + ", "
        + aligner
        + ", "
        + filters
        + ", box="
        + (faceBox != null
            ? faceBox.toString()
            : String.format(
                Locale.ROOT,
                "centered %.3f of the shorter side at (%.3f W, %.3f H)",
                boxFraction,
                boxCenterX,
                boxCenterY))
        + ", refinements="
        + refinements
        + ", threads="
        + threads
        + "}";
  }

  /** Builds {@link FacePreparer}s; every setter checks its argument. */
  public static final class Builder {
    private final LandmarkDetector detector;
    private Aligner aligner = Aligner.builder().build();
    private QualityFilters filters = QualityFilters.builder().build();
    private FaceBox faceBox;
    private double boxFraction = 0.4;
    private double boxCenterX = 0.5;
    private double boxCenterY = 0.53;
    private int refinements = 1;
    private int threads = Runtime.getRuntime().availableProcessors();

    private Builder(LandmarkDetector detector) {
      this.detector = Objects.requireNonNull(detector, "detector");
    }

    /**
     * The aligner (default: the paper's, {@link Aligner#builder()}).
     *
     * @param aligner the aligner
     * @return this builder
     */
    public Builder aligner(Aligner aligner) {
      this.aligner = Objects.requireNonNull(aligner, "aligner");
      return this;
    }

    /**
     * The quality filters (default thresholds: {@link QualityFilters#builder()}).
     *
     * @param filters the filters
     * @return this builder
     */
    public Builder filters(QualityFilters filters) {
      this.filters = Objects.requireNonNull(filters, "filters");
      return this;
    }

    /**
     * A fixed face box for every photo, in photo pixels (default: none, use the centered box).
     *
     * @param box the box, or null for the centered one
     * @return this builder
     */
    public Builder faceBox(FaceBox box) {
      this.faceBox = box;
      return this;
    }

    /**
     * Side of the centered box as a fraction of the photo's shorter side (default 0.4: dlib's HOG
     * boxes are 0.42–0.50 of LFW deep-funneled photos and 0.32–0.38 of FRL London ones; the
     * refinement pass removes most of the difference).
     *
     * @param fraction in {@code (0, 2]}
     * @return this builder
     */
    public Builder boxFraction(double fraction) {
      if (!(fraction > 0 && fraction <= 2)) {
        throw new IllegalArgumentException(
            "boxFraction: expected a fraction of the shorter side in (0, 2], got " + fraction);
      }
      this.boxFraction = fraction;
      return this;
    }

    /**
     * Center of the centered box as fractions of the photo's width and height (default (0.5, 0.53):
     * faces in these sets sit slightly below the middle).
     *
     * @param fx x over W, in {@code [0, 1]}
     * @param fy y over H, in {@code [0, 1]}
     * @return this builder
     */
    public Builder boxCenter(double fx, double fy) {
      if (!(fx >= 0 && fx <= 1 && fy >= 0 && fy <= 1)) {
        throw new IllegalArgumentException(
            "boxCenter: expected fractions of W and H in [0, 1], got (" + fx + ", " + fy + ")");
      }
      this.boxCenterX = fx;
      this.boxCenterY = fy;
      return this;
    }

    /**
     * How many times to re-run the landmarker in a box placed from its previous landmarks (default
     * 1; 0 keeps the first landmarks).
     *
     * @param passes 0..10
     * @return this builder
     */
    public Builder refinements(int passes) {
      if (passes < 0 || passes > 10) {
        throw new IllegalArgumentException("refinements: expected 0..10, got " + passes);
      }
      this.refinements = passes;
      return this;
    }

    /**
     * Photos prepared in parallel (default: available processors).
     *
     * @param threads at least 1
     * @return this builder
     */
    public Builder threads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads: expected at least 1, got " + threads);
      }
      this.threads = threads;
      return this;
    }

    /**
     * Builds the immutable preparer.
     *
     * @return the preparer
     */
    public FacePreparer build() {
      return new FacePreparer(this);
    }
  }
}
