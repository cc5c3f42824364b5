package io.github.facenorm.benchmarks;

import io.github.facenorm.warp.internal.FittedSpline;
import io.github.facenorm.warp.internal.LuSolver;
import java.util.concurrent.TimeUnit;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.inverse.InvertMatrix;
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
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The batched spline solve in float64: for each of {@code batch} warp workloads, the {@code (N + 3)
 * × (N + 3)} system with N = n + 8 centers (dest points + boundary points, pixel scale, 224² images
 * by default), built as {@code FittedSpline} and TFA build it, with two right-hand sides (the x and
 * y flow).
 *
 * <ul>
 *   <li>{@link #oursLu()}: facenorm's {@code LuSolver} on a copy of each prebuilt matrix, one
 *       thread — the solve alone;
 *   <li>{@link #oursFit1()}, {@link #oursFit2()}: {@code FittedSpline.fit} with 1 / 2 threads —
 *       checks + build + solve, what the warp pays (threads split the batch);
 *   <li>{@link #commonsLu()}, {@link #commonsQr()}: commons-math3 {@code LUDecomposition} / {@code
 *       QRDecomposition} (both copy the matrix themselves);
 *   <li>{@link #nd4jSolve()}: ND4J's batched {@code Nd4j.linalg().solve} ({@code [B, N+3, N+3]}
 *       DOUBLE); {@link #nd4jInvert()}: {@code InvertMatrix.invert} + {@code mmul} per element.
 *       ND4J's threads come from {@code OMP_NUM_THREADS}.
 * </ul>
 *
 * <p>Every solver's answer is checked in {@link #setup()}: a relative residual above 1e-9 fails the
 * benchmark rather than timing a wrong solve. Time per call; divide by {@code batch}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xss4m", "--add-modules", "jdk.incubator.vector"})
public class SplineSolveBenchmark {

  /** User control points n; the system has n + 8 + 3 unknowns. */
  @Param({"16", "68", "256", "1024"})
  public int points;

  /** Systems per call. */
  @Param({"1", "32"})
  public int batch;

  /** Spline order (2 = thin plate: zero diagonal, symmetric indefinite). */
  @Param({"2"})
  public int order;

  /** Image height = width, which sets the pixel scale of the points. */
  @Param({"224"})
  public int size;

  private static final double MAX_RESIDUAL = 1e-9;

  private int count;
  private int dim;
  private double[] centers;
  private double[] values;
  private double[][] matrices;
  private double[][] rhs;
  private double[][][] matrices2d;
  private double[][][] rhs2d;
  private INDArray ndA;
  private INDArray ndB;
  private INDArray[] ndA2d;
  private INDArray[] ndB2d;

  /**
   * Builds the systems and checks the measured solver once.
   *
   * @param params which benchmark method this trial measures
   */
  @Setup
  public void setup(BenchmarkParams params) {
    Workloads.Warp w = Workloads.warp(batch, size, points, 42);
    count = points + SplineSystems.BOUNDARY;
    dim = count + 3;
    centers = SplineSystems.centers(w);
    values = SplineSystems.values(w);
    matrices = new double[batch][];
    rhs = new double[batch][];
    matrices2d = new double[batch][][];
    rhs2d = new double[batch][][];
    double[] flatA = new double[batch * dim * dim];
    double[] flatB = new double[batch * dim * 2];
    ndA2d = new INDArray[batch];
    ndB2d = new INDArray[batch];
    for (int b = 0; b < batch; b++) {
      matrices[b] = SplineSystems.matrix(centers, b, count, order);
      rhs[b] = SplineSystems.rhs(values, b, count);
      matrices2d[b] = rows(matrices[b], dim, dim);
      rhs2d[b] = rows(rhs[b], dim, 2);
      System.arraycopy(matrices[b], 0, flatA, b * dim * dim, dim * dim);
      System.arraycopy(rhs[b], 0, flatB, b * dim * 2, dim * 2);
      ndA2d[b] = Nd4j.create(matrices[b], new long[] {dim, dim}, 'c');
      ndB2d[b] = Nd4j.create(rhs[b], new long[] {dim, 2}, 'c');
    }
    ndA = Nd4j.create(flatA, new long[] {batch, dim, dim}, 'c');
    ndB = Nd4j.create(flatB, new long[] {batch, dim, 2}, 'c');
    String benchmark = params.getBenchmark();
    verify(benchmark.substring(benchmark.lastIndexOf('.') + 1));
  }

  private static double[][] rows(double[] flat, int r, int c) {
    double[][] a = new double[r][c];
    for (int i = 0; i < r; i++) {
      System.arraycopy(flat, i * c, a[i], 0, c);
    }
    return a;
  }

  private void verify(String method) {
    switch (method) {
      case "oursLu" -> check(method, flatten(oursLu()));
      case "oursFit1", "oursFit2" -> {
        FittedSpline fit = "oursFit1".equals(method) ? oursFit1() : oursFit2();
        double[] x = new double[batch * dim * 2];
        for (int b = 0; b < batch; b++) {
          System.arraycopy(fit.weights(), b * count * 2, x, b * dim * 2, count * 2);
          System.arraycopy(fit.affine(), b * 6, x, b * dim * 2 + count * 2, 6);
        }
        check(method, x);
      }
      case "commonsLu" -> check(method, flatten(commonsLu()));
      case "commonsQr" -> check(method, flatten(commonsQr()));
      case "nd4jSolve" -> {
        INDArray s = nd4jSolve();
        if (s.dataType() != DataType.DOUBLE) {
          throw new IllegalStateException("ND4J solve returned " + s.dataType() + ", not DOUBLE");
        }
        check(method, s.dup('c').data().asDouble());
      }
      case "nd4jInvert" -> {
        INDArray[] inv = nd4jInvert();
        double[] xi = new double[batch * dim * 2];
        for (int b = 0; b < batch; b++) {
          System.arraycopy(inv[b].dup('c').data().asDouble(), 0, xi, b * dim * 2, dim * 2);
        }
        check(method, xi);
      }
      default -> throw new IllegalStateException("no check for benchmark method " + method);
    }
  }

  private double[] flatten(double[][] perBatch) {
    double[] x = new double[batch * dim * 2];
    for (int b = 0; b < batch; b++) {
      System.arraycopy(perBatch[b], 0, x, b * dim * 2, dim * 2);
    }
    return x;
  }

  private double[] flatten(RealMatrix[] perBatch) {
    double[] x = new double[batch * dim * 2];
    for (int b = 0; b < batch; b++) {
      for (int i = 0; i < dim; i++) {
        x[b * dim * 2 + 2 * i] = perBatch[b].getEntry(i, 0);
        x[b * dim * 2 + 2 * i + 1] = perBatch[b].getEntry(i, 1);
      }
    }
    return x;
  }

  private void check(String solver, double[] x) {
    for (int b = 0; b < batch; b++) {
      double[] xb = new double[dim * 2];
      System.arraycopy(x, b * dim * 2, xb, 0, dim * 2);
      double res = SplineSystems.relativeResidual(matrices[b], xb, rhs[b], dim, 2);
      if (!(res < MAX_RESIDUAL)) {
        throw new IllegalStateException(
            solver
                + ": relative residual "
                + res
                + " for batch element "
                + b
                + " of the "
                + dim
                + "×"
                + dim
                + " system (limit "
                + MAX_RESIDUAL
                + ")");
      }
    }
  }

  /** facenorm's LU with partial pivoting on copies of the prebuilt matrices, one thread. */
  @Benchmark
  public double[][] oursLu() {
    double[][] x = new double[batch][];
    for (int b = 0; b < batch; b++) {
      double[] m = matrices[b].clone();
      double[] r = rhs[b].clone();
      if (!LuSolver.solveInPlace(m, r, dim, 2)) {
        throw new IllegalStateException("singular system " + b);
      }
      x[b] = r;
    }
    return x;
  }

  /** {@code FittedSpline.fit}, one thread: checks, build and solve. */
  @Benchmark
  public FittedSpline oursFit1() {
    return FittedSpline.fit(centers, values, batch, count, 2, 2, order, 0, 1, j -> "center " + j);
  }

  /** {@code FittedSpline.fit}, two threads (they split the batch). */
  @Benchmark
  public FittedSpline oursFit2() {
    return FittedSpline.fit(centers, values, batch, count, 2, 2, order, 0, 2, j -> "center " + j);
  }

  /** commons-math3 LU with partial pivoting. */
  @Benchmark
  public RealMatrix[] commonsLu() {
    RealMatrix[] x = new RealMatrix[batch];
    for (int b = 0; b < batch; b++) {
      x[b] =
          new LUDecomposition(new Array2DRowRealMatrix(matrices2d[b], false))
              .getSolver()
              .solve(new Array2DRowRealMatrix(rhs2d[b], false));
    }
    return x;
  }

  /** commons-math3 Householder QR. */
  @Benchmark
  public RealMatrix[] commonsQr() {
    RealMatrix[] x = new RealMatrix[batch];
    for (int b = 0; b < batch; b++) {
      x[b] =
          new QRDecomposition(new Array2DRowRealMatrix(matrices2d[b], false))
              .getSolver()
              .solve(new Array2DRowRealMatrix(rhs2d[b], false));
    }
    return x;
  }

  /** ND4J's batched linear solve ({@code linear_solve}, LU inside libnd4j). */
  @Benchmark
  public INDArray nd4jSolve() {
    return Nd4j.linalg().solve(ndA, ndB, false);
  }

  /** ND4J's matrix inverse, then a matrix product, per batch element. */
  @Benchmark
  public INDArray[] nd4jInvert() {
    INDArray[] x = new INDArray[batch];
    for (int b = 0; b < batch; b++) {
      x[b] = InvertMatrix.invert(ndA2d[b], false).mmul(ndB2d[b]);
    }
    return x;
  }
}
