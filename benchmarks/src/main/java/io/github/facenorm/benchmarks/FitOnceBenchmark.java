package io.github.facenorm.benchmarks;

import io.github.facenorm.warp.PolyharmonicSpline;
import io.github.facenorm.warp.SplineFit;
import io.github.facenorm.warp.internal.FittedSpline;
import io.github.facenorm.warp.internal.WarpKernels;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Fit once, evaluate many: the spline of one warp workload (n user points + 8 boundary points) is
 * fitted in {@link #setup()}, so the measured methods cost no solve.
 *
 * <ul>
 *   <li>{@link #evaluate()}: {@code SplineFit.evaluate} (public API, double precision) of the flow
 *       at every pixel of a {@code size × size} grid, {@code [1, size², 2]} queries;
 *   <li>{@link #warpWithoutSolve()}: the warp's fused float kernel (flow + bilinear sampling) on
 *       primitive arrays, i.e. {@link EagerWarpBenchmark} minus the solve and the INDArray
 *       conversions.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xss4m", "--add-modules", "jdk.incubator.vector"})
public class FitOnceBenchmark {

  /** User control points n (the spline has n + 8 centers). */
  @Param({"68", "256", "1024"})
  public int points;

  /** Spline order. */
  @Param({"1", "2"})
  public int order;

  /** Library threads. */
  @Param({"1", "2"})
  public int threads;

  /** Grid height = width. */
  @Param({"224"})
  public int size;

  private SplineFit fit;
  private INDArray queries;
  private FittedSpline spline;
  private float[] image;
  private float[] out;
  private float[] flow;

  /** Fits the spline (the only solve) and builds the query grid and buffers. */
  @Setup
  public void setup() {
    Workloads.Warp w = Workloads.warp(1, size, points, 42);
    int count = points + SplineSystems.BOUNDARY;
    double[] centers = SplineSystems.centers(w);
    double[] values = SplineSystems.values(w);
    fit =
        PolyharmonicSpline.builder()
            .order(order)
            .threads(threads)
            .build()
            .fit(
                Nd4j.create(centers, new long[] {1, count, 2}, 'c'),
                Nd4j.create(values, new long[] {1, count, 2}, 'c'));
    double[] grid = new double[size * size * 2];
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        grid[2 * (y * size + x)] = x;
        grid[2 * (y * size + x) + 1] = y;
      }
    }
    queries = Nd4j.create(grid, new long[] {1, (long) size * size, 2}, 'c');
    spline = FittedSpline.fit(centers, values, 1, count, 2, 2, order, 0, 1, j -> "center " + j);
    image = w.image().data().asFloat();
    out = new float[image.length];
    flow = new float[size * size * 2];
  }

  /** The dense flow at every pixel through the public API, no solve. */
  @Benchmark
  public INDArray evaluate() {
    return fit.evaluate(queries);
  }

  /** Flow + bilinear sampling of one image with the fused float kernel, no solve. */
  @Benchmark
  public float[] warpWithoutSolve() {
    WarpKernels.get().sparseWarp(image, 1, size, size, 3, spline, false, threads, out, flow);
    return out;
  }
}
