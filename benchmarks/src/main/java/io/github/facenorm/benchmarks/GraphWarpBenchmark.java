package io.github.facenorm.benchmarks;

import io.github.facenorm.warp.FacenormKernels;
import io.github.facenorm.warp.SplineWarp;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
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
 * The warp as a SameDiff op on FACE-224 (224×224×3 float, 68 landmarks + 8 boundary points, order
 * 1): {@code forward} = {@code sd.output}; {@code forwardBackward} = {@code sd.calculateGradients}
 * for the image, the source points and the dest points of {@code sum(warp · R)}. Time per call;
 * divide by {@code batch} for time per image. Runs with facenorm's executioner (fused Java
 * kernels).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {
      "-Xss4m",
      "--add-modules",
      "jdk.incubator.vector",
      "-Dopexec=" + FacenormKernels.CPU_EXECUTIONER
    })
public class GraphWarpBenchmark {

  @Param({"1", "8"})
  public int batch;

  @Param({"1"})
  public int order;

  private SameDiff sd;

  @Setup
  public void setup() {
    if (!FacenormKernels.install()) {
      throw new IllegalStateException("facenorm's executioner is not active");
    }
    Workloads.Warp w = Workloads.warp(batch, 224, 68, 42);
    sd = SameDiff.create();
    SDVariable img = sd.var("image", w.image());
    SDVariable src = sd.var("source", w.source().castTo(w.image().dataType()));
    SDVariable dst = sd.var("dest", w.dest().castTo(w.image().dataType()));
    SplineWarp warp = SplineWarp.builder().order(order).boundaryPoints(2).build();
    SDVariable out = warp.apply(sd, "warped", img, src, dst);
    INDArray weights = Nd4j.rand(w.image().dataType(), w.image().shape());
    sd.setLossVariables(out.mul(sd.constant("weights", weights)).sum("loss"));
  }

  @Benchmark
  public Map<String, INDArray> forward() {
    return sd.output(Map.of(), "warped");
  }

  @Benchmark
  public Map<String, INDArray> forwardBackward() {
    return sd.calculateGradients(Map.of(), "image", "source", "dest");
  }
}
