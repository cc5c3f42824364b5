package io.github.facenorm.benchmarks;

import io.github.facenorm.augment.BlendMask;
import io.github.facenorm.augment.GradientDomainCompositor;
import io.github.facenorm.augment.MorphFace;
import io.github.facenorm.augment.NeighbourTable;
import io.github.facenorm.augment.RandomMorph;
import io.github.facenorm.core.FaceDecomposition;
import io.github.facenorm.core.FaceImage;
import io.github.facenorm.core.Landmarks;
import io.github.facenorm.core.MeanShape;
import java.util.Random;
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
 * The augmentation's steps per sample (paper Sec. 5), single-threaded, at the paper's 224² and the
 * small preset's 128²: {@code morph} (Eq. 2's interpolation of landmarks and texture), {@code
 * composite} (Eq. 3, the gradient-domain solve, 3 channels), {@code warp} (the composite warped
 * from the mean shape to the morphed landmarks, the paper's order-1 spline with boundary points),
 * and {@code sample} (the three in a row: samples/s = 1000 / ms per sample per thread). And the
 * exact neighbour table ({@link NeighbourTable}, k = 200, λ = 10, 2 threads), once per fork, for
 * 731 faces with 128² textures and for 10,000 faces with 32² textures (10,000 128² textures would
 * need 2 GB). Inputs are seeded synthetic faces: smooth random textures and jittered face-like
 * landmarks.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xss4m", "--add-modules", "jdk.incubator.vector"})
public class AugmentBenchmark {

  /** Two faces, a background, a mean shape and a compositing plan at one size. */
  @State(Scope.Benchmark)
  public static class Images {
    /** Image side in pixels. */
    @Param({"224", "128"})
    public int size;

    MorphFace a;
    MorphFace b;
    FaceImage background;
    MeanShape mean;
    GradientDomainCompositor.Plan plan;
    RandomMorph.Morph morph;
    FaceImage composite;

    /** Builds the seeded inputs. */
    @Setup
    public void setup() {
      Random r = new Random(42);
      Landmarks m = meanLandmarks(size);
      mean = MeanShape.of(m, 1);
      a = new MorphFace("a", texture(size, r), jitter(m, size, r));
      b = new MorphFace("b", texture(size, r), jitter(m, size, r));
      background = texture(size, r);
      plan =
          GradientDomainCompositor.builder()
              .build()
              .plan(BlendMask.convexHull(m, size, size, size / 56.0));
      morph = RandomMorph.morph(a, b, 0.3, 0.6);
      composite = plan.composite(morph.texture(), background);
    }
  }

  /** Flat landmark and texture vectors for the neighbour table. */
  @State(Scope.Benchmark)
  public static class Table {
    float[][] l731;
    float[][] t731;
    float[][] l10k;
    float[][] t10k;

    /** Builds the seeded vectors. */
    @Setup
    public void setup() {
      l731 = vectors(731, 136, 1, 5f);
      t731 = vectors(731, 128 * 128 * 3, 2, 1f);
      l10k = vectors(10_000, 136, 3, 5f);
      t10k = vectors(10_000, 32 * 32 * 3, 4, 1f);
    }
  }

  /** Eq. 2's interpolation of two faces. */
  @Benchmark
  public RandomMorph.Morph morph(Images s) {
    return RandomMorph.morph(s.a, s.b, 0.3, 0.6);
  }

  /** Eq. 3: the gradient-domain composite, 3 channels. */
  @Benchmark
  public float[] composite(Images s) {
    return s.plan.compositeArray(s.morph.texture(), s.background, null);
  }

  /** The composite warped from the mean shape to the morphed landmarks. */
  @Benchmark
  public FaceImage warp(Images s) {
    return FaceDecomposition.compose(s.composite, s.morph.landmarks(), s.mean);
  }

  /** One whole sample: morph, composite, warp. */
  @Benchmark
  public FaceImage sample(Images s) {
    RandomMorph.Morph m = RandomMorph.morph(s.a, s.b, 0.3, 0.6);
    FaceImage c = s.plan.composite(m.texture(), s.background);
    return FaceDecomposition.compose(c, m.landmarks(), s.mean);
  }

  /** The exact neighbour table of 731 faces with 128² textures, 2 threads. */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @Warmup(iterations = 0)
  @Measurement(iterations = 1)
  public NeighbourTable neighbourTable731(Table t) {
    return NeighbourTable.compute(t.l731, t.t731, 200, 10, 2);
  }

  /** The exact neighbour table of 10,000 faces with 32² textures, 2 threads. */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @Warmup(iterations = 0)
  @Measurement(iterations = 1)
  public NeighbourTable neighbourTable10k(Table t) {
    return NeighbourTable.compute(t.l10k, t.t10k, 200, 10, 2);
  }

  static Landmarks meanLandmarks(int size) {
    double[] xy = new double[136];
    for (int i = 0; i < 68; i++) {
      double ang = 2 * Math.PI * i / 68;
      double rad = 0.25 + 0.08 * ((i * 7) % 5) / 5.0;
      xy[2 * i] = size * (0.5 + rad * Math.cos(ang));
      xy[2 * i + 1] = size * (0.52 + 1.15 * rad * Math.sin(ang));
    }
    return Landmarks.of(xy);
  }

  static Landmarks jitter(Landmarks m, int size, Random r) {
    double[] xy = m.toFlatArray();
    for (int i = 0; i < xy.length; i++) {
      xy[i] += 0.02 * size * (2 * r.nextDouble() - 1);
    }
    return Landmarks.of(xy);
  }

  static FaceImage texture(int size, Random r) {
    float[] v = new float[size * size * 3];
    double f = r.nextDouble();
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        for (int c = 0; c < 3; c++) {
          double s =
              0.5
                  + 0.2 * Math.sin(0.05 * x * (1 + f + c))
                  + 0.15 * Math.cos(0.04 * y * (2 - f))
                  + 0.05 * (r.nextDouble() - 0.5);
          v[(y * size + x) * 3 + c] = (float) Math.min(1, Math.max(0, s));
        }
      }
    }
    return FaceImage.of(size, size, v);
  }

  static float[][] vectors(int n, int dim, long seed, float scale) {
    Random r = new Random(seed);
    float[][] v = new float[n][dim];
    for (float[] row : v) {
      for (int i = 0; i < dim; i++) {
        row[i] = scale * r.nextFloat();
      }
    }
    return v;
  }
}
