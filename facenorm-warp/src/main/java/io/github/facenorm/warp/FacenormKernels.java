package io.github.facenorm.warp;

import io.github.facenorm.warp.internal.graph.OpRegistry;
import io.github.facenorm.warp.internal.graph.WarpBackend;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs the warp's fused Java kernels (forward and hand-written backward) as real SameDiff ops.
 *
 * <p>ND4J executes every graph op through one {@code OpExecutioner}, which it creates from the
 * {@code opexec} property when it initializes. {@link #install()} names facenorm's executioner
 * there — ND4J's own CPU executioner, extended to run facenorm's ops in Java — so call it <b>before
 * ND4J's first use</b> (first thing in {@code main}, or pass {@code
 * -Dopexec=io.github.facenorm.warp.internal.cpu.FacenormCpuExecutioner} to the JVM):
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *   FacenormKernels.install(); // before any Nd4j / SameDiff call
 *   ...
 * }
 * }</pre>
 *
 * <p>Without it (ND4J already started with another executioner, or the CUDA backend), the graph
 * forms of {@link SplineWarp}, {@link DenseImageWarp} and {@link PolyharmonicSpline} build the same
 * computation from native ND4J ops instead, with the same numerics but tens of times slower, and
 * say so once in the log. Graphs saved with the fused ops need the executioner to run after {@code
 * SameDiff.load}; graphs saved on the slow path run anywhere, and load without further calls where
 * the executioner is installed; elsewhere call {@link #registerOps()} before {@code SameDiff.load}.
 */
public final class FacenormKernels {

  /** The executioner class {@link #install()} selects (ND4J CPU backend). */
  public static final String CPU_EXECUTIONER =
      "io.github.facenorm.warp.internal.cpu.FacenormCpuExecutioner";

  private FacenormKernels() {}

  /**
   * Selects facenorm's executioner for ND4J, if ND4J has not started yet and no other executioner
   * was chosen, and reports whether the fused kernels are active. Starts ND4J.
   *
   * @return true if SameDiff graphs will run the fused Java kernels
   */
  public static boolean install() {
    if (System.getProperty("opexec") == null && cpuBackendPresent()) {
      System.setProperty("opexec", CPU_EXECUTIONER);
    }
    return isActive();
  }

  /**
   * Whether ND4J runs facenorm's executioner (starts ND4J if it has not started).
   *
   * @return true if the graph forms use the fused Java kernels
   */
  public static boolean isActive() {
    return backend() == WarpBackend.fused();
  }

  /**
   * Registers facenorm's graph ops with ND4J's op table, which {@code SameDiff.load} needs to find
   * them. Automatic where facenorm's executioner runs; call it yourself before loading a graph in a
   * JVM without it. Starts ND4J.
   */
  public static void registerOps() {
    Nd4j.getExecutioner(); // ND4J must be up before its op table is touched
    OpRegistry.ensureRegistered();
  }

  /** How this JVM builds the graph forms (chosen once, on first use; starts ND4J). */
  static WarpBackend backend() {
    return WarpBackend.current();
  }

  private static boolean cpuBackendPresent() {
    try {
      Class.forName(
          "org.nd4j.linalg.cpu.nativecpu.ops.NativeOpExecutioner",
          false,
          FacenormKernels.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
