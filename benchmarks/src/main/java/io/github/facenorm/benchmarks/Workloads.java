package io.github.facenorm.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Seeded benchmark inputs. FACE-224: a 224×224×3 float image, the 68 iBUG landmarks of {@code
 * face68_template.csv} (the same layout the peers in {@code benchmarks/peers} use) scaled so the
 * face spans 60% of the image, moved by 3–8 px in random directions; with {@code boundaryPoints(2)}
 * the warp adds 8 more, so 76 centers and a 79×79 system.
 */
public final class Workloads {

  private Workloads() {}

  /** Source and dest points {@code [B, n, 2]} (XY) and an image {@code [B, H, W, 3]}. */
  public record Warp(INDArray image, INDArray source, INDArray dest) {}

  /** The 68 template points in the unit square, (x, y). */
  public static double[][] faceTemplate() {
    try (InputStream in = Workloads.class.getResourceAsStream("face68_template.csv")) {
      if (in == null) {
        throw new IllegalStateException("face68_template.csv missing from the benchmark jar");
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      List<double[]> pts = new ArrayList<>();
      String line = r.readLine(); // header
      while ((line = r.readLine()) != null) {
        if (!line.isBlank()) {
          String[] f = line.split(",");
          pts.add(new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1])});
        }
      }
      return pts.toArray(new double[0][]);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A warp workload: n = 68 uses the face template, other n a jittered grid.
   *
   * @param batch B
   * @param size image height = width
   * @param n number of control points
   * @param seed RNG seed
   * @return the inputs
   */
  public static Warp warp(int batch, int size, int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] img = new float[batch * size * size * 3];
    for (int i = 0; i < img.length; i++) {
      img[i] = r.nextFloat();
    }
    double[][] template = n == 68 ? faceTemplate() : null;
    double[] src = new double[batch * n * 2];
    double[] dst = new double[batch * n * 2];
    for (int b = 0; b < batch; b++) {
      double[][] s = template != null ? face(template, size, r) : grid(n, size, r);
      double[][] d = displace(s, r);
      for (int j = 0; j < n; j++) {
        int o = (b * n + j) * 2;
        src[o] = s[j][0];
        src[o + 1] = s[j][1];
        dst[o] = d[j][0];
        dst[o + 1] = d[j][1];
      }
    }
    return new Warp(
        Nd4j.create(img, new long[] {batch, size, size, 3}, 'c'),
        Nd4j.create(src, new long[] {batch, n, 2}, 'c'),
        Nd4j.create(dst, new long[] {batch, n, 2}, 'c'));
  }

  /** The template scaled to span 60% of the image, centered, with ±1.5 px jitter (x, y). */
  private static double[][] face(double[][] template, int size, SplittableRandom r) {
    double[][] p = new double[template.length][];
    for (int j = 0; j < p.length; j++) {
      p[j] =
          new double[] {
            (0.2 + 0.6 * template[j][0]) * (size - 1) + r.nextDouble(-1.5, 1.5),
            (0.2 + 0.6 * template[j][1]) * (size - 1) + r.nextDouble(-1.5, 1.5)
          };
    }
    return p;
  }

  /** A jittered g×g grid (n = g², as the peers) inside [10%, 90%] of the image (x, y). */
  private static double[][] grid(int n, int size, SplittableRandom r) {
    int g = (int) Math.round(Math.sqrt(n));
    if (g * g != n) {
      throw new IllegalArgumentException("grid workloads need a square n, got " + n);
    }
    double lo = 0.1 * (size - 1);
    double cell = g > 1 ? 0.8 * (size - 1) / (g - 1) : 0.2 * size;
    double[][] p = new double[n][];
    for (int j = 0; j < n; j++) {
      p[j] =
          new double[] {
            lo + (j % g) * cell + r.nextDouble(-0.25, 0.25) * cell,
            lo + (j / g) * cell + r.nextDouble(-0.25, 0.25) * cell
          };
    }
    return p;
  }

  /**
   * dest = source + 3–8 px in a random direction, redrawn (up to 200 times) while a dest point
   * comes within 2 px (or half the smallest source spacing) of an earlier one: nearly coinciding
   * centers with different flows are not what face warps look like.
   */
  private static double[][] displace(double[][] src, SplittableRandom r) {
    int n = src.length;
    double minSrc = Double.POSITIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        minSrc = Math.min(minSrc, Math.hypot(src[i][0] - src[j][0], src[i][1] - src[j][1]));
      }
    }
    double sep = Math.min(2.0, 0.5 * minSrc);
    double[][] dst = new double[n][];
    for (int i = 0; i < n; i++) {
      double[] best = null;
      double bestSep = -1;
      for (int attempt = 0; attempt < 200 && bestSep < sep; attempt++) {
        double mag = r.nextDouble(3, 8);
        double angle = r.nextDouble(2 * Math.PI);
        double[] cand = {src[i][0] + mag * Math.cos(angle), src[i][1] + mag * Math.sin(angle)};
        double closest = Double.POSITIVE_INFINITY;
        for (int j = 0; j < i; j++) {
          closest = Math.min(closest, Math.hypot(cand[0] - dst[j][0], cand[1] - dst[j][1]));
        }
        if (closest > bestSep) {
          bestSep = closest;
          best = cand;
        }
      }
      dst[i] = best;
    }
    return dst;
  }
}
