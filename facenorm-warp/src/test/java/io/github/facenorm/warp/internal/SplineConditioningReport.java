package io.github.facenorm.warp.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The measurement behind {@link SplineLimits#MAX_ORDER}, {@code FittedSpline.RESIDUAL_TOLERANCE}
 * and {@code FittedSpline.MIN_SEPARATION} (opt-in, not a test): FACE-224 spline systems (the
 * benchmark's 68-point face template scaled to 60 % of 224², moved 3–8 px, plus TFA's 8 boundary
 * points) for orders 1–100, the same with the dest points jittered by up to 6 px (8 more seeds,
 * orders 4–7), and with one dest point moved to 1e-1 … 1e-12 px from another (same or different
 * flow, λ = 0, 1e-12, 1e-6). Per system: how far the solved spline misses its values at its centers
 * (over the extent), and the sensitivity: how far the flow on a 24 × 24 grid moves when the
 * system's entries are perturbed by 1e-15 of themselves (what double rounding does). Writes {@code
 * target/spline-conditioning.txt}:
 *
 * <pre>
 * ./mvnw -B -o test -pl facenorm-warp -am -Dtest=SplineConditioningReport \
 *     -Dfacenorm.conditioning=true -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class SplineConditioningReport {

  private static final Path TEMPLATE =
      Path.of("../benchmarks/src/main/resources/io/github/facenorm/benchmarks/face68_template.csv");

  @Test
  void report() throws IOException {
    Assumptions.assumeTrue(
        Boolean.getBoolean("facenorm.conditioning"), "opt-in: -Dfacenorm.conditioning=true");
    Assumptions.assumeTrue(Files.exists(TEMPLATE), "no " + TEMPLATE);
    List<double[]> t = new ArrayList<>();
    List<String> lines = Files.readAllLines(TEMPLATE);
    for (String l : lines.subList(1, lines.size())) {
      if (!l.isBlank()) {
        String[] f = l.split(",");
        t.add(new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1])});
      }
    }
    SplittableRandom rnd = new SplittableRandom(42);
    int n0 = t.size();
    int n = n0 + 8;
    double[] src = new double[n * 2];
    double[] dst = new double[n * 2];
    for (int j = 0; j < n0; j++) {
      src[2 * j] = (0.2 + 0.6 * t.get(j)[0]) * 223 + rnd.nextDouble(-1.5, 1.5);
      src[2 * j + 1] = (0.2 + 0.6 * t.get(j)[1]) * 223 + rnd.nextDouble(-1.5, 1.5);
      double mag = rnd.nextDouble(3, 8);
      double ang = rnd.nextDouble(2 * Math.PI);
      dst[2 * j] = src[2 * j] + mag * Math.cos(ang);
      dst[2 * j + 1] = src[2 * j + 1] + mag * Math.sin(ang);
    }
    double[] border = WarpSpline.boundaryLocationsXy(224, 224, 2);
    System.arraycopy(border, 0, src, n0 * 2, 16);
    System.arraycopy(border, 0, dst, n0 * 2, 16);
    double[] f = new double[n * 2];
    for (int i = 0; i < n * 2; i++) {
      f[i] = dst[i] - src[i];
    }
    StringBuilder out = new StringBuilder();
    for (int order : new int[] {1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 16, 20, 40, 100}) {
      out.append("face order " + order + ": " + measure(dst, f, n, order, 0) + "\n");
    }
    for (int seed = 0; seed < 12; seed++) {
      if (seed % 3 == 1) {
        continue;
      }
      SplittableRandom rr = new SplittableRandom(seed);
      double[] d2 = dst.clone();
      for (int j = 0; j < n0; j++) {
        d2[2 * j] += rr.nextDouble(-6, 6);
        d2[2 * j + 1] += rr.nextDouble(-6, 6);
      }
      for (int order : new int[] {4, 5, 6, 7}) {
        out.append("jitter seed " + seed + " order " + order + ": ")
            .append(measure(d2, f, n, order, 0))
            .append('\n');
      }
    }
    for (int order : new int[] {1, 2, 3}) {
      for (double lambda : new double[] {0, 1e-12, 1e-6}) {
        for (double gap : new double[] {1e-1, 1e-2, 1e-3, 1e-4, 1e-6, 1e-8, 1e-10, 1e-12}) {
          for (boolean same : new boolean[] {true, false}) {
            double[] c = dst.clone();
            double[] ff = f.clone();
            c[10] = c[8] + gap;
            c[11] = c[9];
            if (same) {
              ff[10] = ff[8];
              ff[11] = ff[9];
            }
            out.append(
                String.format(
                    Locale.ROOT,
                    "near duplicate order %d, λ %.0e, gap %.0e px, %s flow: %s%n",
                    order,
                    lambda,
                    gap,
                    same ? "same" : "different",
                    measure(c, ff, n, order, lambda)));
          }
        }
      }
    }
    Path file = Path.of("target/spline-conditioning.txt");
    Files.writeString(file, out);
    System.out.print(out);
  }

  private static double[] system(double[] c, int n, int order, double lambda) {
    int size = n + 3;
    double[] m = new double[size * size];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double dx = c[2 * i] - c[2 * j];
        double dy = c[2 * i + 1] - c[2 * j + 1];
        m[i * size + j] = Phi.apply(order, dx * dx + dy * dy);
      }
      if (lambda > 0) {
        m[i * size + i] += lambda;
      }
      m[i * size + n] = m[n * size + i] = c[2 * i];
      m[i * size + n + 1] = m[(n + 1) * size + i] = c[2 * i + 1];
      m[i * size + n + 2] = m[(n + 2) * size + i] = 1;
    }
    return m;
  }

  /** The flow (dx, dy) on a g × g grid over the 224² image. */
  private static double[] flows(double[] c, int n, int order, double[] x, int g) {
    double[] out = new double[g * g * 2];
    for (int a = 0; a < g; a++) {
      for (int b = 0; b < g; b++) {
        double qx = b * 223.0 / (g - 1);
        double qy = a * 223.0 / (g - 1);
        for (int v = 0; v < 2; v++) {
          double s = x[n * 2 + v] * qx + x[(n + 1) * 2 + v] * qy + x[(n + 2) * 2 + v];
          for (int j = 0; j < n; j++) {
            double dx = qx - c[2 * j];
            double dy = qy - c[2 * j + 1];
            s += Phi.apply(order, dx * dx + dy * dy) * x[j * 2 + v];
          }
          out[(a * g + b) * 2 + v] = s;
        }
      }
    }
    return out;
  }

  private static double[] solve(double[] m, double[] f, int n) {
    int size = n + 3;
    double[] r = new double[size * 2];
    System.arraycopy(f, 0, r, 0, n * 2);
    return LuSolver.solveInPlace(m.clone(), r, size, 2) ? r : null;
  }

  private static String measure(double[] c, double[] f, int n, int order, double lambda) {
    int size = n + 3;
    double[] m = system(c, n, order, lambda);
    double[] x = solve(m, f, n);
    if (x == null) {
      return "singular (zero pivot or non-finite)";
    }
    double extent = 0;
    for (int a = 0; a < 2; a++) {
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < n; i++) {
        lo = Math.min(lo, c[2 * i + a]);
        hi = Math.max(hi, c[2 * i + a]);
      }
      extent = Math.max(extent, hi - lo);
    }
    double scale = extent;
    for (double v : f) {
      scale = Math.max(scale, Math.abs(v));
    }
    double miss = 0;
    for (int i = 0; i < n; i++) {
      for (int v = 0; v < 2; v++) {
        double s = 0;
        for (int j = 0; j < size; j++) {
          s += m[i * size + j] * x[j * 2 + v];
        }
        miss = Math.max(miss, Math.abs(s - f[2 * i + v]));
      }
    }
    SplittableRandom rnd = new SplittableRandom(3);
    double[] mp = m.clone();
    for (int i = 0; i < size; i++) {
      for (int j = i; j < size; j++) {
        double e = mp[i * size + j] * 1e-15 * (2 * rnd.nextDouble() - 1);
        mp[i * size + j] += e;
        if (j != i) {
          mp[j * size + i] += e;
        }
      }
    }
    double[] xp = solve(mp, f, n);
    double sensitivity = Double.NaN;
    double maxFlow = Double.NaN;
    if (xp != null) {
      double[] a = flows(c, n, order, x, 24);
      double[] b = flows(c, n, order, xp, 24);
      sensitivity = 0;
      maxFlow = 0;
      for (int i = 0; i < a.length; i++) {
        sensitivity = Math.max(sensitivity, Math.abs(a[i] - b[i]));
        maxFlow = Math.max(maxFlow, Math.abs(a[i]));
      }
    }
    return String.format(
        Locale.ROOT,
        "misses centers by %.2e of the extent, flow moves %.2e px under 1e-15 perturbation, max"
            + " flow %.3g px",
        miss / scale,
        sensitivity,
        maxFlow);
  }
}
