package io.github.facenorm.benchmarks;

import io.github.facenorm.warp.SplineWarp;
import io.github.facenorm.warp.WarpResult;
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
 * The eager warp through its public API (INDArray in, INDArray out), FACE-224 by default: 224×224×3
 * float, 68 landmarks + 8 boundary points, order 1. Time per call; divide by {@code batch} for time
 * per image.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xss4m"})
public class SplineWarpBenchmark {

  @Param({"1", "2"})
  public int threads;

  @Param({"1"})
  public int order;

  @Param({"1"})
  public int batch;

  @Param({"224"})
  public int size;

  @Param({"68"})
  public int points;

  private SplineWarp warp;
  private Workloads.Warp input;

  @Setup
  public void setup() {
    warp = SplineWarp.builder().order(order).boundaryPoints(2).threads(threads).build();
    input = Workloads.warp(batch, size, points, 42);
  }

  @Benchmark
  public WarpResult forward() {
    return warp.apply(input.image(), input.source(), input.dest());
  }
}
