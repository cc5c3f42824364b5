package io.github.facenorm.warp.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The warp's compute kernels (dense flow of a fitted spline, bilinear sampling), behind one seam:
 * the scalar loops of {@link WarpKernelF32} / {@link WarpKernelF64}, or the JDK Vector API
 * implementation, which is compiled apart (it needs {@code jdk.incubator.vector}) and loaded by
 * name only where it can run fast. Chosen once per JVM ({@link #get()}); callers hold the instance
 * and never branch on it (the layout of Lucene's {@code VectorizationProvider}).
 *
 * <p>Layouts: images {@code [B, H, W, C]} row-major; flows {@code [B, H, W, 2]}; splines in XY
 * order with values {@code (dx, dy)}; {@code flowYx} stores flows as {@code (dy, dx)}. Every
 * implementation gives the same results within the accuracy the goldens state: DOUBLE to 1e-9,
 * FLOAT order 1 to 1e-4 px; for orders ≥ 2 the flow is summed in double precision whatever the
 * image type (in float it would lose ~0.1 px to cancellation at 224²).
 */
public interface WarpKernels {

  /** System property that forces an implementation: {@code scalar} or {@code vector}. */
  String PROPERTY = "facenorm.warp.kernels";

  /**
   * A short description for logs, e.g. {@code "Vector API, 256-bit"}.
   *
   * @return the description
   */
  String description();

  /**
   * Sparse warp of a float image: evaluates each batch element's spline on the pixel grid and
   * samples the image at {@code p − flow(p)}.
   *
   * @param image {@code [B, H, W, C]}
   * @param batch B
   * @param height H
   * @param width W
   * @param channels C
   * @param spline B splines over 2-D XY centers with values {@code (dx, dy)}
   * @param flowYx whether {@code flowOut} stores {@code (dy, dx)}
   * @param threads maximum threads
   * @param out {@code [B, H, W, C]} output, or null for the flow alone
   * @param flowOut {@code [B, H, W, 2]} output, may be null
   */
  void sparseWarp(
      float[] image,
      int batch,
      int height,
      int width,
      int channels,
      FittedSpline spline,
      boolean flowYx,
      int threads,
      float[] out,
      float[] flowOut);

  /**
   * Sparse warp of a double image; see {@link #sparseWarp(float[], int, int, int, int,
   * FittedSpline, boolean, int, float[], float[])}.
   *
   * @param image {@code [B, H, W, C]}
   * @param batch B
   * @param height H
   * @param width W
   * @param channels C
   * @param spline B splines over 2-D XY centers with values {@code (dx, dy)}
   * @param flowYx whether {@code flowOut} stores {@code (dy, dx)}
   * @param threads maximum threads
   * @param out {@code [B, H, W, C]} output, or null for the flow alone
   * @param flowOut {@code [B, H, W, 2]} output, may be null
   */
  void sparseWarp(
      double[] image,
      int batch,
      int height,
      int width,
      int channels,
      FittedSpline spline,
      boolean flowYx,
      int threads,
      double[] out,
      double[] flowOut);

  /**
   * Dense warp of a float image: samples it at {@code p − flow(p)}.
   *
   * @param image {@code [B, H, W, C]}
   * @param flow {@code [B, H, W, 2]}
   * @param flowYx whether flow stores {@code (dy, dx)}
   * @param batch B
   * @param height H
   * @param width W
   * @param channels C
   * @param threads maximum threads
   * @param out {@code [B, H, W, C]} output
   */
  void denseWarp(
      float[] image,
      float[] flow,
      boolean flowYx,
      int batch,
      int height,
      int width,
      int channels,
      int threads,
      float[] out);

  /**
   * Dense warp of a double image.
   *
   * @param image {@code [B, H, W, C]}
   * @param flow {@code [B, H, W, 2]}
   * @param flowYx whether flow stores {@code (dy, dx)}
   * @param batch B
   * @param height H
   * @param width W
   * @param channels C
   * @param threads maximum threads
   * @param out {@code [B, H, W, C]} output
   */
  void denseWarp(
      double[] image,
      double[] flow,
      boolean flowYx,
      int batch,
      int height,
      int width,
      int channels,
      int threads,
      double[] out);

  /**
   * The evaluation part of the spline adjoint on the pixel grid, rows {@code y0..y1} of batch
   * element b: from {@code g = dL/dflow} ({@code [B, H, W, 2]}, XY), the sums {@code [dw (n·2) | dv
   * (3·2) | dc (n·2)]} (rows of dv: x, y, 1). The default is the scalar loop.
   *
   * @param centers {@code [B, n, 2]} XY
   * @param weights {@code [B, n, 2]}
   * @param b batch element
   * @param n centers per element
   * @param order spline order
   * @param height H
   * @param width W
   * @param g {@code [B, H, W, 2]}
   * @param y0 first row
   * @param y1 end row (exclusive)
   * @return {@code n·2 + 6 + n·2} sums
   */
  default double[] gridAdjointRows(
      double[] centers,
      double[] weights,
      int b,
      int n,
      int order,
      int height,
      int width,
      double[] g,
      int y0,
      int y1) {
    return GridAdjoint.rows(centers, weights, b, n, order, height, width, g, y0, y1);
  }

  /**
   * One elimination step of {@link LuSolver}'s factorization (the {@code O(N³)} part of a spline
   * fit): see {@link LuSolver#eliminate}; every implementation gives its result bit for bit.
   *
   * @param m the {@code [N, N]} matrix, row-major
   * @param size N
   * @param col the pivot's column
   */
  default void eliminate(double[] m, int size, int col) {
    LuSolver.eliminate(m, size, col);
  }

  /**
   * Replaces squared distances by {@link Phi#apply} of them: the entries of a spline system (its
   * {@code O(N²)} part, where the logarithms of even orders dominate a fit). Implementations may
   * differ from {@code Phi.apply} in the last bit of even orders' logarithm; odd orders are exact.
   *
   * @param order the spline order
   * @param r2 squared distances; {@code [from, to)} is replaced
   * @param from first index
   * @param to end index (exclusive)
   */
  default void phiInPlace(int order, double[] r2, int from, int to) {
    for (int i = from; i < to; i++) {
      r2[i] = Phi.apply(order, r2[i]);
    }
  }

  /**
   * The implementation this JVM runs, chosen on first use and logged once.
   *
   * @return the kernels
   */
  static WarpKernels get() {
    return Holder.INSTANCE;
  }

  /**
   * Every implementation that can run in this JVM, the scalar one first (for tests that run all of
   * them against the same cases).
   *
   * @return the implementations
   */
  static List<WarpKernels> available() {
    List<WarpKernels> all = new ArrayList<>();
    all.add(ScalarWarpKernels.INSTANCE);
    WarpKernels vector = Holder.loadVector(false);
    if (vector != null) {
      all.add(vector);
    }
    return all;
  }

  /** The lazy holder: the choice is made once, when the kernels are first used. */
  final class Holder {
    private static final Logger LOG = LoggerFactory.getLogger(WarpKernels.class);
    static final String VECTOR_CLASS = "io.github.facenorm.warp.internal.vector.VectorWarpKernels";
    static final WarpKernels INSTANCE = choose();

    private Holder() {}

    private static WarpKernels choose() {
      String forced = System.getProperty(PROPERTY, "");
      WarpKernels k;
      if (forced.equals("scalar")) {
        k = ScalarWarpKernels.INSTANCE;
      } else {
        WarpKernels vector = loadVector(true);
        if (vector == null && forced.equals("vector")) {
          throw new IllegalStateException(
              "-D"
                  + PROPERTY
                  + "=vector, but the Vector API kernels cannot run in this JVM (see the log)");
        }
        k = vector != null ? vector : ScalarWarpKernels.INSTANCE;
      }
      LOG.info("facenorm-warp kernels: {}", k.description());
      return k;
    }

    /**
     * The Vector API kernels, or null (with the reason logged at debug level, or info if asked).
     */
    static WarpKernels loadVector(boolean explain) {
      String why = null;
      if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
        why = "the JVM runs without --add-modules jdk.incubator.vector";
      } else if (!c2Enabled()) {
        why = "the JIT is limited to C1 (-XX:TieredStopAtLevel < 4), where the Vector API is slow";
      }
      if (why == null) {
        try {
          Class<?> c = MethodHandles.lookup().findClass(VECTOR_CLASS);
          Object k =
              MethodHandles.lookup()
                  .findStatic(c, "create", MethodType.methodType(WarpKernels.class))
                  .invoke();
          if (k != null) {
            return (WarpKernels) k;
          }
          why = "the preferred vector size is below 256 bits or FMA is off";
        } catch (Throwable e) { // a linkage problem must not break the scalar path
          why = "loading " + VECTOR_CLASS + " failed: " + e;
        }
      }
      if (explain) {
        LOG.info("facenorm-warp: scalar kernels because {}", why);
      }
      return null;
    }

    private static boolean c2Enabled() {
      try {
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
          if (arg.startsWith("-XX:TieredStopAtLevel=") && !arg.equals("-XX:TieredStopAtLevel=4")) {
            return false;
          }
          if (arg.equals("-Xint") || arg.equals("-XX:-UseCompiler")) {
            return false;
          }
        }
      } catch (SecurityException | UnsupportedOperationException e) {
        return true;
      }
      return true;
    }
  }
}
