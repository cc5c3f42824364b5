package io.github.facenorm.benchmarks;

import io.github.facenorm.warp.internal.FittedSpline;
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
 * The fused float kernel alone on primitive arrays, spline already fitted: the part of {@link
 * EagerWarpBenchmark} that is neither the solve nor INDArray conversion.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xss4m", "--add-modules", "jdk.incubator.vector"})
public class WarpKernelBenchmark {

  @Param({"1", "2"})
  public int threads;

  @Param({"1"})
  public int order;

  @Param({"224"})
  public int size;

  private float[] image;
  private float[] out;
  private float[] flow;
  private FittedSpline spline;

  @Setup
  public void setup() {
    Workloads.Warp w = Workloads.warp(1, size, 68, 42);
    image = w.image().data().asFloat();
    double[] src = w.source().data().asDouble();
    double[] dst = w.dest().data().asDouble();
    double[] values = new double[dst.length];
    for (int i = 0; i < dst.length; i++) {
      values[i] = dst[i] - src[i];
    }
    spline = FittedSpline.fit(dst, values, 1, 68, 2, 2, order, 0, 1, j -> "point " + j);
    out = new float[image.length];
    flow = new float[size * size * 2];
  }

  @Benchmark
  public float[] kernel() {
    WarpKernels.get().sparseWarp(image, 1, size, size, 3, spline, false, threads, out, flow);
    return out;
  }

  @Benchmark
  public FittedSpline fitOnly() {
    double[] c = spline.centers();
    double[] v = new double[c.length];
    return FittedSpline.fit(c, v, 1, 68, 2, 2, order, 0, 1, j -> "point " + j);
  }
}
