package io.github.facenorm.benchmarks;

import io.github.facenorm.warp.SplineWarp;
import io.github.facenorm.warp.WarpResult;
import io.github.facenorm.warp.internal.WarpKernels;
import java.util.concurrent.TimeUnit;
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
 * The eager warp grid, forward, through the public API ({@code SplineWarp.apply}: INDArray in,
 * INDArray out, fit + evaluate + sample), with the peers' workloads ({@link Workloads#warp}, which
 * mirrors {@code benchmarks/peers/workload.py}) and TFA's 8 boundary points.
 *
 * <p>The defaults are FACE-224: 224×224×3 float, n = 68 (+8), orders 1 and 2, batch 1 and 8,
 * threads 1 and 2. {@code scripts/bench.sh} passes {@code -p} lists for batch 32 and the scale
 * series (images 64²…512² × n = 16…1024). Time per call; divide by {@code batch} for time per
 * image.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xss4m", "--add-modules", "jdk.incubator.vector"})
public class EagerWarpBenchmark {

  /** Library threads ({@code SplineWarp.Builder#threads}). */
  @Param({"1", "2"})
  public int threads;

  /** Spline order: 1 = the paper's (phi = r), 2 = thin plate. */
  @Param({"1", "2"})
  public int order;

  /** Images per call. */
  @Param({"1", "8"})
  public int batch;

  /** Image height = width. */
  @Param({"224"})
  public int size;

  /** User control points n (68 = the face layout, squares = a jittered grid). */
  @Param({"68"})
  public int points;

  /**
   * The warp kernels: {@code vector} (the JDK Vector API; the fork adds {@code
   * jdk.incubator.vector}) or {@code scalar}. Forced through {@code -Dfacenorm.warp.kernels} before
   * the first warp of the fork, so a fork that cannot run the vector kernels fails instead of
   * timing the scalar ones.
   */
  @Param({"vector"})
  public String kernels;

  private SplineWarp warp;
  private Workloads.Warp input;

  /** Builds the warp and the seeded inputs. */
  @Setup
  public void setup() {
    System.setProperty(WarpKernels.PROPERTY, kernels);
    warp = SplineWarp.builder().order(order).boundaryPoints(2).threads(threads).build();
    input = Workloads.warp(batch, size, points, 42);
  }

  /** One eager forward warp of the whole batch. */
  @Benchmark
  public WarpResult forward() {
    return warp.apply(input.image(), input.source(), input.dest());
  }
}
