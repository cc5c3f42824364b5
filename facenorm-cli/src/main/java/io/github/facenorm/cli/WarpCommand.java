package io.github.facenorm.cli;

import io.github.facenorm.core.FaceImage;
import io.github.facenorm.core.internal.Limits;
import io.github.facenorm.warp.PolyharmonicSpline;
import io.github.facenorm.warp.SplineWarp;
import io.github.facenorm.warp.WarpResult;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code facenorm warp}: warps a photo with the polyharmonic spline so that source points move to
 * dest points, e.g. one FRL London face onto another's landmark geometry.
 */
@Command(
    name = "warp",
    mixinStandardHelpOptions = true,
    description = {
      "Warp a photo so that --from points move to --to points (in pixels: 'x,y' lines, a"
          + " WebMorph .tem, or the .json facenorm prepare writes; the first min(n_from, n_to)"
          + " points are paired). Without points, applies a demonstration swirl around the image"
          + " center."
    })
final class WarpCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", description = "input photo (JPEG, PNG)")
  Path input;

  @Parameters(
      index = "1",
      description = "output image (.png, .jpg or .jpeg: the format follows), written atomically")
  Path output;

  @Option(names = "--from", description = "source points in the input photo")
  Path from;

  @Option(names = "--to", description = "where the source points go in the output")
  Path to;

  @Option(
      names = "--json-points",
      defaultValue = "landmarks",
      description =
          "which points of a prepare .json to use: landmarks (in the aligned crop) or"
              + " photoLandmarks (in the original photo) (default ${DEFAULT-VALUE})")
  String jsonPoints;

  @Option(
      names = "--order",
      defaultValue = "1",
      description =
          "spline order: 1 (the paper's), 2 (thin plate), … up to "
              + PolyharmonicSpline.MAX_ORDER
              + " (default ${DEFAULT-VALUE})")
  int order;

  @Option(
      names = "--boundary-points",
      defaultValue = "2",
      description = "zero-flow points per image edge (default ${DEFAULT-VALUE})")
  int boundaryPoints;

  @Option(
      names = "--regularization",
      defaultValue = "0",
      description = "smoothing λ ≥ 0 (default ${DEFAULT-VALUE})")
  double regularization;

  @Override
  public Integer call() throws Exception {
    if ((from == null) != (to == null)) {
      throw new IllegalArgumentException("--from and --to go together: give both or neither");
    }
    String lower = String.valueOf(output.getFileName()).toLowerCase(Locale.ROOT);
    if (!(lower.endsWith(".png") || lower.endsWith(".jpg") || lower.endsWith(".jpeg"))) {
      throw new IllegalArgumentException(
          output + ": unsupported output format; name it .png, .jpg or .jpeg");
    }
    if (Files.isDirectory(output)) {
      throw new IllegalArgumentException(output + ": is a folder; give an output file name");
    }
    Path outDir = output.toAbsolutePath().getParent();
    if (outDir != null && !Files.isDirectory(outDir)) {
      throw new java.nio.file.NoSuchFileException(outDir.toString(), null, "no such folder");
    }
    if (!jsonPoints.equals("landmarks") && !jsonPoints.equals("photoLandmarks")) {
      throw new IllegalArgumentException(
          "--json-points: expected landmarks or photoLandmarks, got " + jsonPoints);
    }
    if (order < 1 || order > PolyharmonicSpline.MAX_ORDER) {
      throw new IllegalArgumentException(
          "--order: expected an integer from 1 to "
              + PolyharmonicSpline.MAX_ORDER
              + ", got "
              + order
              + (order > PolyharmonicSpline.MAX_ORDER
                  ? " (higher orders are numerically singular at image scale)"
                  : ""));
    }
    if (!Double.isFinite(regularization) || regularization < 0) {
      throw new IllegalArgumentException(
          "--regularization: expected a finite λ ≥ 0, got " + regularization);
    }
    // Sizes first, before any file is decoded or any array allocated.
    Limits.checkSplinePoints("--boundary-points", 0, boundaryPoints);
    double[][] src = null;
    double[][] dst = null;
    if (from != null) {
      src = PointFiles.read(from, jsonPoints);
      dst = PointFiles.read(to, jsonPoints);
      Limits.checkSplinePoints(
          "--from/--to with --boundary-points", Math.min(src.length, dst.length), boundaryPoints);
    }
    INDArray image = FaceImage.read(input).toINDArray();
    long h = image.size(1);
    long w = image.size(2);
    if (from == null) {
      src = swirl(w, h, 0);
      dst = swirl(w, h, 0.35);
    } else {
      checkInside(from, src, w, h);
      checkInside(to, dst, w, h);
    }
    int paired = Math.min(src.length, dst.length);
    // Templates such as WebMorph's repeat some points; a repeated dest point makes the spline
    // singular, so keep the first of each and say so.
    double[][] keptSrc = new double[paired][];
    double[][] keptDst = new double[paired][];
    java.util.Set<java.util.List<Double>> seen = new java.util.HashSet<>();
    int n = 0;
    for (int i = 0; i < paired; i++) {
      if (seen.add(java.util.List.of(dst[i][0], dst[i][1]))) {
        keptSrc[n] = src[i];
        keptDst[n++] = dst[i];
      }
    }
    if (n < paired) {
      spec.commandLine()
          .getErr()
          .printf(
              "facenorm warp: dropped %d repeated --to points (kept the first of each)%n",
              paired - n);
    }
    src = keptSrc;
    dst = keptDst;
    SplineWarp warp =
        SplineWarp.builder()
            .order(order)
            .regularization(regularization)
            .boundaryPoints(boundaryPoints)
            .build();
    long start = System.nanoTime();
    WarpResult result;
    try {
      result = warp.apply(image, points(src, n), points(dst, n));
    } catch (IllegalArgumentException e) {
      // The spline names its own arguments (source, dest); say which files they came from.
      throw new IllegalArgumentException(
          (from == null ? input + ": " : "--from " + from + " / --to " + to + ": ")
              + e.getMessage(),
          e);
    }
    double ms = (System.nanoTime() - start) / 1e6;
    double maxFlow = Math.sqrt(result.flow().mul(result.flow()).sum(3).maxNumber().doubleValue());
    if (result.flow().isNaN().any() || result.flow().isInfinite().any()) {
      maxFlow = Double.NaN;
    }
    checkFlow(maxFlow, src, dst, n, w, h);
    // Bilinear sampling stays in [0, 1] up to rounding; clamp before the checked conversion.
    FaceImage.fromINDArray(
            org.nd4j.linalg.ops.transforms.Transforms.min(
                org.nd4j.linalg.ops.transforms.Transforms.max(result.image(), 0.0, true),
                1.0,
                false))
        .write(output);
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "warped %s (%d×%d) with %d control points, %s, in %.1f ms; max flow %.1f px -> %s%n",
        input, w, h, n, warp, ms, maxFlow, output);
    out.flush();
    return 0;
  }

  /**
   * Refuses points far outside the image (beyond one image size past any edge): they are not points
   * of this photo, and the spline would fail on them with a misleading message.
   */
  private static void checkInside(Path file, double[][] pts, long w, long h) {
    for (int i = 0; i < pts.length; i++) {
      double x = pts[i][0];
      double y = pts[i][1];
      if (x < -w || x > 2 * w || y < -h || y > 2 * h) {
        throw new IllegalArgumentException(
            String.format(
                Locale.ROOT,
                "%s: point %d (%s, %s) is far outside the %d × %d image (accepted: x in [%d, %d],"
                    + " y in [%d, %d] pixels)",
                file,
                i + 1,
                x,
                y,
                w,
                h,
                -w,
                2 * w,
                -h,
                2 * h));
      }
    }
  }

  /**
   * Refuses a flow no sane spline through these points gives (non-finite, or ten times larger than
   * the image and the largest point move together): the spline system was numerically singular
   * (points too close together, an order too high), and its output would be garbage.
   */
  private static void checkFlow(
      double maxFlow, double[][] src, double[][] dst, int n, long w, long h) {
    double maxMove = 0;
    for (int i = 0; i < n; i++) {
      maxMove = Math.max(maxMove, Math.hypot(dst[i][0] - src[i][0], dst[i][1] - src[i][1]));
    }
    double bound = 10 * (Math.hypot(w, h) + maxMove);
    if (!(maxFlow <= bound)) {
      throw new IllegalStateException(
          String.format(
              Locale.ROOT,
              "the spline warp is numerically unusable for these points: its flow reaches %.3g px"
                  + " where the points move at most %.1f px in a %d × %d image (points too close"
                  + " together, or --order too high); nothing written",
              maxFlow,
              maxMove,
              w,
              h));
    }
  }

  private static INDArray points(double[][] p, int n) {
    double[] flat = new double[2 * n];
    for (int i = 0; i < n; i++) {
      flat[2 * i] = p[i][0];
      flat[2 * i + 1] = p[i][1];
    }
    return Nd4j.create(flat, new long[] {1, n, 2}, 'c');
  }

  /** Two rings of 12 points around the center, rotated by {@code turn} radians (inner ring). */
  private static double[][] swirl(long w, long h, double turn) {
    double cx = (w - 1) / 2.0;
    double cy = (h - 1) / 2.0;
    double r = Math.min(w, h) / 2.0;
    double[][] p = new double[24][];
    for (int i = 0; i < 12; i++) {
      double a = 2 * Math.PI * i / 12;
      double inner = a + turn;
      double outer = a + turn / 3;
      p[i] = new double[] {cx + 0.3 * r * Math.cos(inner), cy + 0.3 * r * Math.sin(inner)};
      p[12 + i] = new double[] {cx + 0.7 * r * Math.cos(outer), cy + 0.7 * r * Math.sin(outer)};
    }
    return p;
  }
}
