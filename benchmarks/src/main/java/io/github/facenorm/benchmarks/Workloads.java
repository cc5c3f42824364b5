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
    double[][] base = n == 68 ? faceTemplate() : grid(n, r);
    double[] src = new double[batch * n * 2];
    double[] dst = new double[batch * n * 2];
    for (int b = 0; b < batch; b++) {
      for (int j = 0; j < n; j++) {
        double x = (0.2 + 0.6 * base[j][0]) * (size - 1);
        double y = (0.2 + 0.6 * base[j][1]) * (size - 1);
        double mag = (3 + 5 * r.nextDouble()) * size / 224.0;
        double angle = 2 * Math.PI * r.nextDouble();
        int o = (b * n + j) * 2;
        src[o] = x;
        src[o + 1] = y;
        dst[o] = x + mag * Math.cos(angle);
        dst[o + 1] = y + mag * Math.sin(angle);
      }
    }
    return new Warp(
        Nd4j.create(img, new long[] {batch, size, size, 3}, 'c'),
        Nd4j.create(src, new long[] {batch, n, 2}, 'c'),
        Nd4j.create(dst, new long[] {batch, n, 2}, 'c'));
  }

  private static double[][] grid(int n, SplittableRandom r) {
    int side = (int) Math.ceil(Math.sqrt(n));
    double[][] pts = new double[n][];
    for (int j = 0; j < n; j++) {
      double cell = 1.0 / side;
      pts[j] =
          new double[] {
            (j % side + 0.2 + 0.6 * r.nextDouble()) * cell,
            (j / side + 0.2 + 0.6 * r.nextDouble()) * cell
          };
    }
    return pts;
  }
}
