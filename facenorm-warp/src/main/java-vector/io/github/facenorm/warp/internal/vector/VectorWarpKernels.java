package io.github.facenorm.warp.internal.vector;

import io.github.facenorm.warp.internal.FittedSpline;
import io.github.facenorm.warp.internal.Parallel;
import io.github.facenorm.warp.internal.Phi;
import io.github.facenorm.warp.internal.WarpKernelF64;
import io.github.facenorm.warp.internal.WarpKernels;
import java.lang.management.ManagementFactory;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The warp kernels on the JDK Vector API ({@code jdk.incubator.vector}), with the preferred species
 * of the CPU (256 bits on AVX2, 512 on AVX-512). Loaded by name from {@link WarpKernels} only where
 * the module is present and C2 runs; nothing else in the library touches the incubator API.
 *
 * <p>Layout (what measured fastest, {@code shared/notes/vector-api.md}): per image row, blocks of
 * two vectors of pixels outside, the centers inside, the accumulators in registers. Order 1 on a
 * float image sums in float ({@code sqrt}); every other case sums in double, even orders with an
 * inline logarithm (one per loop body: a second inlined polynomial pushes C2 past its
 * inlining budget and every vector is boxed). The ½ of even orders is folded into the weights.
 * Bilinear sampling of float images at a float flow (order 1, dense warps) computes corners and
 * fractions in vectors and gathers in a scalar loop; other cases sample with the scalar kernels'
 * arithmetic. Order 1 (float and double) and the float sampler give the scalar kernels' results
 * bit for bit (multiply-then-add, no fma), so a dataset written with and without the Vector API
 * is byte-identical for the face pipeline's warps; even orders differ from the scalar kernels in
 * the last bits (the inline logarithm is within 1 ulp of {@code Math.log}).
 */
public final class VectorWarpKernels implements WarpKernels {

  private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;

  private VectorWarpKernels() {}

  /**
   * The kernels, or null where vectors are narrower than 256 bits or FMA is off (then the scalar
   * loops are as fast).
   *
   * @return the kernels or null
   */
  public static WarpKernels create() {
    if (FS.vectorBitSize() < 256 || !fmaEnabled()) {
      return null;
    }
    return new VectorWarpKernels();
  }

  private static boolean fmaEnabled() {
    try {
      return !"false"
          .equals(
              ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                  .getVMOption("UseFMA")
                  .getValue());
    } catch (RuntimeException | LinkageError e) { // not HotSpot: trust the CPU
      return true;
    }
  }

  @Override
  public String description() {
    return "Vector API, " + FS.vectorBitSize() + "-bit";
  }

  @Override
  public String toString() {
    return "vector";
  }

  // ------------------------------------------------------------------ LU elimination

  /**
   * {@link WarpKernels#eliminate} with the row update in vectors: C2 does not vectorize the scalar
   * loop itself (source and destination rows are in the same array at offsets it cannot tell
   * apart). Multiply, then subtract, as the scalar loop: the same bits.
   */
  @Override
  public void eliminate(double[] m, int size, int col) {
    int colOff = col * size;
    double inv = 1.0 / m[colOff + col];
    int start = col + 1;
    int bound = start + DS.loopBound(size - start);
    for (int row = col + 1; row < size; row++) {
      int rowOff = row * size;
      double factor = m[rowOff + col] * inv;
      m[rowOff + col] = factor;
      if (factor == 0) {
        continue;
      }
      DoubleVector f = DoubleVector.broadcast(DS, factor);
      int j = start;
      for (; j < bound; j += DS.length()) {
        DoubleVector pivotRow = DoubleVector.fromArray(DS, m, colOff + j);
        DoubleVector.fromArray(DS, m, rowOff + j).sub(pivotRow.mul(f)).intoArray(m, rowOff + j);
      }
      for (; j < size; j++) {
        m[rowOff + j] -= factor * m[colOff + j];
      }
    }
  }

  /**
   * {@link WarpKernels#phiInPlace} with orders 2 and 4 in vectors, the logarithm of {@link
   * #sumEvenD} written out once in the loop body (within 1 ulp of {@code Math.log}); other orders
   * and the tail in scalar {@code Phi.apply}.
   */
  @Override
  public void phiInPlace(int order, double[] r2s, int from, int to) {
    int i = from;
    if (order == 2 || order == 4) {
      for (int bound = from + DS.loopBound(to - from); i < bound; i += DS.length()) {
        DoubleVector r2 = DoubleVector.fromArray(DS, r2s, i);
        DoubleVector x = r2.max(Phi.EPS);
        LongVector bits = x.reinterpretAsLongs();
        DoubleVector k =
            bits.lanewise(VectorOperators.LSHR, 52)
                .or(0x4330000000000000L)
                .reinterpretAsDoubles()
                .sub(TWO52 + 1023);
        DoubleVector m =
            bits.and(0x000FFFFFFFFFFFFFL).or(0x3FF0000000000000L).reinterpretAsDoubles();
        VectorMask<Double> big = m.compare(VectorOperators.GT, SQRT2);
        m = m.blend(m.mul(0.5), big);
        k = k.blend(k.add(1), big);
        DoubleVector f = m.sub(1);
        DoubleVector s = f.div(f.add(2));
        DoubleVector z = s.mul(s);
        DoubleVector w = z.mul(z);
        DoubleVector t1 = w.fma(LG6, LG4).mul(w).add(LG2).mul(w);
        DoubleVector t2 = w.fma(LG7, LG5).mul(w).add(LG3).mul(w).add(LG1).mul(z);
        DoubleVector hfsq = f.mul(f).mul(0.5);
        DoubleVector lo = s.mul(hfsq.add(t1.add(t2))).add(k.mul(LN2_LO));
        DoubleVector logX = k.mul(LN2_HI).sub(hfsq.sub(lo).sub(f));
        // as Phi.apply: 0.5 · r2 · log, order 4 one more factor r2 (in that order)
        DoubleVector p = r2.mul(0.5);
        if (order == 4) {
          p = p.mul(r2);
        }
        p.mul(logX).intoArray(r2s, i);
      }
    }
    for (; i < to; i++) {
      r2s[i] = Phi.apply(order, r2s[i]);
    }
  }

  // ------------------------------------------------------------------ sparse warp

  @Override
  public void sparseWarp(
      float[] image,
      int batch,
      int height,
      int width,
      int channels,
      FittedSpline spline,
      boolean flowYx,
      int threads,
      float[] out,
      float[] flowOut) {
    if (spline.order() != 1) {
      sparseWarpDoubleFlow(
          image, null, batch, height, width, channels, spline, flowYx, threads, out, null, flowOut,
          null);
      return;
    }
    int n = spline.centerCount();
    float[][] c = floatCenters(spline, batch * n);
    float[] cx = c[0];
    float[] cy = c[1];
    float[] wx = c[2];
    float[] wy = c[3];
    double[] affine = spline.affine();
    int block = 2 * FS.length();
    int padded = (width + block - 1) / block * block;
    Parallel.forRange(
        batch * height,
        threads,
        (from, to) -> {
          float[] xs = new float[padded];
          for (int x = 0; x < padded; x++) {
            xs[x] = x;
          }
          float[] sx = new float[padded];
          float[] sy = new float[padded];
          float[] fx = new float[padded];
          float[] fy = new float[padded];
          Sampler sampler = out == null ? null : new Sampler(padded);
          for (int row = from; row < to; row++) {
            int b = row / height;
            int y = row - b * height;
            for (int x0 = 0; x0 < padded; x0 += block) {
              sumSqrtF(xs, x0, y, cx, cy, wx, wy, b * n, n, sx, sy);
            }
            int a = b * 6;
            double baseX = affine[a + 2] * y + affine[a + 4];
            double baseY = affine[a + 3] * y + affine[a + 5];
            for (int x = 0; x < width; x++) {
              fx[x] = (float) (sx[x] + (affine[a] * x + baseX));
              fy[x] = (float) (sy[x] + (affine[a + 1] * x + baseY));
            }
            if (flowOut != null) {
              interleave(fx, fy, flowYx, flowOut, row * width * 2, width);
            }
            if (out != null) {
              sampler.sampleRow(image, b, y, height, width, channels, xs, fx, fy, out);
            }
          }
        });
  }

  @Override
  public void sparseWarp(
      double[] image,
      int batch,
      int height,
      int width,
      int channels,
      FittedSpline spline,
      boolean flowYx,
      int threads,
      double[] out,
      double[] flowOut) {
    sparseWarpDoubleFlow(
        null, image, batch, height, width, channels, spline, flowYx, threads, null, out, null,
        flowOut);
  }

  /** The flow summed in double; the image (float or double, one of them non-null) sampled. */
  private static void sparseWarpDoubleFlow(
      float[] imageF,
      double[] imageD,
      int batch,
      int height,
      int width,
      int channels,
      FittedSpline spline,
      boolean flowYx,
      int threads,
      float[] outF,
      double[] outD,
      float[] flowOutF,
      double[] flowOutD) {
    int n = spline.centerCount();
    int order = spline.order();
    double[] centers = spline.centers();
    double[] weights = spline.weights();
    double[] cx = new double[batch * n];
    double[] cy = new double[batch * n];
    double[] wx = new double[batch * n];
    double[] wy = new double[batch * n];
    // even orders: phi = ½ r2^(k/2) log(r2); the ½ goes into the weights
    double scale = (order & 1) == 0 ? 0.5 : 1;
    for (int i = 0; i < batch * n; i++) {
      cx[i] = centers[2 * i];
      cy[i] = centers[2 * i + 1];
      wx[i] = weights[2 * i] * scale;
      wy[i] = weights[2 * i + 1] * scale;
    }
    double[] affine = spline.affine();
    int block = 2 * DS.length();
    int padded = (width + block - 1) / block * block;
    Parallel.forRange(
        batch * height,
        threads,
        (from, to) -> {
          double[] xs = new double[padded];
          for (int x = 0; x < padded; x++) {
            xs[x] = x;
          }
          double[] sx = new double[padded];
          double[] sy = new double[padded];
          double[] fxD = new double[width];
          double[] fyD = new double[width];
          float[] fxF = imageF != null ? new float[padded] : null;
          float[] fyF = imageF != null ? new float[padded] : null;
          for (int row = from; row < to; row++) {
            int b = row / height;
            int y = row - b * height;
            for (int x0 = 0; x0 < padded; x0 += block) {
              if (order == 1) {
                sumSqrtD(xs, x0, y, cx, cy, wx, wy, b * n, n, sx, sy);
              } else if ((order & 1) == 0) {
                sumEvenD(xs, x0, y, cx, cy, wx, wy, b * n, n, order, sx, sy);
              } else {
                sumOddD(xs, x0, y, cx, cy, wx, wy, b * n, n, order, sx, sy);
              }
            }
            int a = b * 6;
            double baseX = affine[a + 2] * y + affine[a + 4];
            double baseY = affine[a + 3] * y + affine[a + 5];
            for (int x = 0; x < width; x++) {
              fxD[x] = sx[x] + (affine[a] * x + baseX);
              fyD[x] = sy[x] + (affine[a + 1] * x + baseY);
            }
            int f = row * width * 2;
            if (flowOutD != null) {
              double[] first = flowYx ? fyD : fxD;
              double[] second = flowYx ? fxD : fyD;
              for (int x = 0; x < width; x++) {
                flowOutD[f + 2 * x] = first[x];
                flowOutD[f + 2 * x + 1] = second[x];
              }
            }
            if (imageF != null) {
              // the flow output is rounded once; the image is sampled at the double flow, as the
              // scalar kernels sample the widened image, and rounded once
              for (int x = 0; x < width; x++) {
                fxF[x] = (float) fxD[x];
                fyF[x] = (float) fyD[x];
              }
              if (flowOutF != null) {
                interleave(fxF, fyF, flowYx, flowOutF, f, width);
              }
              if (outF != null) {
                sampleRowDoubleFlow(imageF, b, y, height, width, channels, fxD, fyD, outF);
              }
            } else if (outD != null) {
              WarpKernelF64.sampleRow(imageD, b, y, height, width, channels, fxD, fyD, outD);
            }
          }
        });
  }

  /**
   * TFA's bilinear sampling of a float image, one output row at a time: the clamped corner index
   * and the two fractions of every pixel are computed in vectors (exactly as {@code
   * WarpKernelF32}'s {@code sampleRow}: {@code (int) clamp(q, 0, size − 2)} equals {@code clamp((int) q, 0,
   * size − 2)}), then a scalar loop gathers the four corners and interpolates. Row buffers per
   * thread.
   */
  private static final class Sampler {
    private final int[] corner;
    private final float[] ax;
    private final float[] ay;

    Sampler(int padded) {
      corner = new int[padded];
      ax = new float[padded];
      ay = new float[padded];
    }

    /**
     * Samples row y of batch element b at {@code (x − fx[x], y − fy[x])}.
     *
     * @param xs 0, 1, 2, … (at least as long as the padded row)
     * @param fx x flow, padded to a multiple of the vector length
     * @param fy y flow, padded likewise
     */
    void sampleRow(
        float[] image,
        int b,
        int y,
        int height,
        int width,
        int channels,
        float[] xs,
        float[] fx,
        float[] fy,
        float[] out) {
      int maxX = width - 2;
      int maxY = height - 2;
      int rowStride = width * channels;
      int imageBase = b * height * rowStride;
      int l = FS.length();
      FloatVector vy = FloatVector.broadcast(FS, y);
      for (int x0 = 0; x0 < width; x0 += l) {
        FloatVector qx = FloatVector.fromArray(FS, xs, x0).sub(FloatVector.fromArray(FS, fx, x0));
        FloatVector qy = vy.sub(FloatVector.fromArray(FS, fy, x0));
        FloatVector fxi = floor(qx.max(0).min(maxX));
        FloatVector fyi = floor(qy.max(0).min(maxY));
        IntVector ix = toInt(fxi).max(0).min(maxX);
        IntVector iy = toInt(fyi).max(0).min(maxY);
        qx.sub(fxi).max(0).min(1).intoArray(ax, x0);
        qy.sub(fyi).max(0).min(1).intoArray(ay, x0);
        iy.mul(rowStride).add(ix.mul(channels)).add(imageBase).intoArray(corner, x0);
      }
      int o = (b * height + y) * rowStride;
      if (channels == 3) {
        for (int x = 0; x < width; x++) {
          int tl = corner[x];
          int bl = tl + rowStride;
          float wx = ax[x];
          float wy = ay[x];
          for (int ch = 0; ch < 3; ch++) {
            float top = wx * (image[tl + 3 + ch] - image[tl + ch]) + image[tl + ch];
            float bottom = wx * (image[bl + 3 + ch] - image[bl + ch]) + image[bl + ch];
            out[o + ch] = wy * (bottom - top) + top;
          }
          o += 3;
        }
        return;
      }
      for (int x = 0; x < width; x++) {
        int tl = corner[x];
        int bl = tl + rowStride;
        float wx = ax[x];
        float wy = ay[x];
        for (int ch = 0; ch < channels; ch++) {
          float topLeft = image[tl + ch];
          float bottomLeft = image[bl + ch];
          float top = wx * (image[tl + channels + ch] - topLeft) + topLeft;
          float bottom = wx * (image[bl + channels + ch] - bottomLeft) + bottomLeft;
          out[o++] = wy * (bottom - top) + top;
        }
      }
    }
  }

  /** 2²³: adding it to a float in [0, 2²³) rounds it to an integer, exactly representable. */
  private static final float TWO_23 = 8388608f;

  /** The bits of {@link #TWO_23}: {@code bits(2²³ + n) − BITS_23 = n} for integers n in [0, 2²³). */
  private static final int BITS_23 = Float.floatToRawIntBits(TWO_23);

  /*
   * F2I/I2F conversions are not intrinsified on every JDK 17 CPU (on the AVX-512 EPYC, JMH's stack
   * profiler showed AbstractVector.convert0, the allocating Java fallback, in the sampler); floor
   * and float -> int by 2²³ arithmetic and a bit reinterpretation use only add, sub, compare and
   * reinterpret, which are. Both give (int) v for the clamped 0 <= v < 2²³ the sampler has.
   */

  /** {@code floor(v)} for {@code 0 ≤ v < 2²³} (lanes of NaN stay NaN). */
  private static FloatVector floor(FloatVector v) {
    FloatVector nearest = v.add(TWO_23).sub(TWO_23);
    return nearest.sub(1f, nearest.compare(VectorOperators.GT, v));
  }

  /** {@code (int) v} for integral {@code 0 ≤ v < 2²³} (NaN lanes give any int: callers clamp). */
  private static IntVector toInt(FloatVector v) {
    return (IntVector) v.add(TWO_23).reinterpretAsInts().sub(BITS_23);
  }

  /**
   * TFA's bilinear sampling of a float image at double-precision positions, with the scalar double
   * kernel's arithmetic on the widened values, rounded once.
   */
  private static void sampleRowDoubleFlow(
      float[] image,
      int b,
      int y,
      int height,
      int width,
      int channels,
      double[] fx,
      double[] fy,
      float[] out) {
    int maxX = width - 2;
    int maxY = height - 2;
    int rowStride = width * channels;
    int imageBase = b * height * rowStride;
    int o = (b * height + y) * rowStride;
    for (int x = 0; x < width; x++) {
      double qx = x - fx[x];
      double qy = y - fy[x];
      int ix = Math.min(Math.max((int) qx, 0), maxX);
      int iy = Math.min(Math.max((int) qy, 0), maxY);
      double ax = clamp01(qx - ix);
      double ay = clamp01(qy - iy);
      int tl = imageBase + iy * rowStride + ix * channels;
      int bl = tl + rowStride;
      for (int ch = 0; ch < channels; ch++) {
        double topLeft = image[tl + ch];
        double bottomLeft = image[bl + ch];
        double top = ax * (image[tl + channels + ch] - topLeft) + topLeft;
        double bottom = ax * (image[bl + channels + ch] - bottomLeft) + bottomLeft;
        out[o++] = (float) (ay * (bottom - top) + top);
      }
    }
  }

  private static double clamp01(double v) {
    return v < 0 ? 0 : (v > 1 ? 1 : v);
  }

  private static void interleave(
      float[] fx, float[] fy, boolean flowYx, float[] flowOut, int f, int width) {
    float[] first = flowYx ? fy : fx;
    float[] second = flowYx ? fx : fy;
    for (int x = 0; x < width; x++) {
      flowOut[f + 2 * x] = first[x];
      flowOut[f + 2 * x + 1] = second[x];
    }
  }

  private static float[][] floatCenters(FittedSpline spline, int count) {
    double[] c = spline.centers();
    double[] w = spline.weights();
    float[][] out = new float[4][count];
    for (int i = 0; i < count; i++) {
      out[0][i] = (float) c[2 * i];
      out[1][i] = (float) c[2 * i + 1];
      out[2][i] = (float) w[2 * i];
      out[3][i] = (float) w[2 * i + 1];
    }
    return out;
  }

  // ------------------------------------------------------------------ flow sums, one block each

  /** Order 1 in float: {@code Σ sqrt(max(r2, EPS)) w} over two vectors of pixels. */
  private static void sumSqrtF(
      float[] xs,
      int x0,
      int y,
      float[] cx,
      float[] cy,
      float[] wx,
      float[] wy,
      int j0,
      int n,
      float[] sx,
      float[] sy) {
    int l = FS.length();
    FloatVector px0 = FloatVector.fromArray(FS, xs, x0);
    FloatVector px1 = FloatVector.fromArray(FS, xs, x0 + l);
    FloatVector ax0 = FloatVector.zero(FS);
    FloatVector ax1 = FloatVector.zero(FS);
    FloatVector ay0 = FloatVector.zero(FS);
    FloatVector ay1 = FloatVector.zero(FS);
    for (int j = j0, end = j0 + n; j < end; j++) {
      float dy = y - cy[j];
      FloatVector dy2 = FloatVector.broadcast(FS, dy * dy);
      FloatVector vwx = FloatVector.broadcast(FS, wx[j]);
      FloatVector vwy = FloatVector.broadcast(FS, wy[j]);
      FloatVector d0 = px0.sub(cx[j]);
      FloatVector d1 = px1.sub(cx[j]);
      // multiply, then add, as the scalar loop (no fma): order 1 gives the scalar kernels' bits
      FloatVector p0 = d0.mul(d0).add(dy2).max(Phi.EPS_F).sqrt();
      FloatVector p1 = d1.mul(d1).add(dy2).max(Phi.EPS_F).sqrt();
      ax0 = ax0.add(p0.mul(vwx));
      ax1 = ax1.add(p1.mul(vwx));
      ay0 = ay0.add(p0.mul(vwy));
      ay1 = ay1.add(p1.mul(vwy));
    }
    ax0.intoArray(sx, x0);
    ax1.intoArray(sx, x0 + l);
    ay0.intoArray(sy, x0);
    ay1.intoArray(sy, x0 + l);
  }

  /** Order 1 in double. */
  private static void sumSqrtD(
      double[] xs,
      int x0,
      int y,
      double[] cx,
      double[] cy,
      double[] wx,
      double[] wy,
      int j0,
      int n,
      double[] sx,
      double[] sy) {
    int l = DS.length();
    DoubleVector px0 = DoubleVector.fromArray(DS, xs, x0);
    DoubleVector px1 = DoubleVector.fromArray(DS, xs, x0 + l);
    DoubleVector ax0 = DoubleVector.zero(DS);
    DoubleVector ax1 = DoubleVector.zero(DS);
    DoubleVector ay0 = DoubleVector.zero(DS);
    DoubleVector ay1 = DoubleVector.zero(DS);
    for (int j = j0, end = j0 + n; j < end; j++) {
      double dy = y - cy[j];
      DoubleVector dy2 = DoubleVector.broadcast(DS, dy * dy);
      DoubleVector vwx = DoubleVector.broadcast(DS, wx[j]);
      DoubleVector vwy = DoubleVector.broadcast(DS, wy[j]);
      DoubleVector d0 = px0.sub(cx[j]);
      DoubleVector d1 = px1.sub(cx[j]);
      // multiply, then add, as the scalar loop (no fma): order 1 gives the scalar kernels' bits
      DoubleVector p0 = d0.mul(d0).add(dy2).max(Phi.EPS).sqrt();
      DoubleVector p1 = d1.mul(d1).add(dy2).max(Phi.EPS).sqrt();
      ax0 = ax0.add(p0.mul(vwx));
      ax1 = ax1.add(p1.mul(vwx));
      ay0 = ay0.add(p0.mul(vwy));
      ay1 = ay1.add(p1.mul(vwy));
    }
    ax0.intoArray(sx, x0);
    ax1.intoArray(sx, x0 + l);
    ay0.intoArray(sy, x0);
    ay1.intoArray(sy, x0 + l);
  }

  /**
   * Even orders k in double: {@code Σ r2^(k/2) log(max(r2, EPS)) w} (the ½ is in w; for k ≥ 6 the
   * power is of {@code max(r2, EPS)}, as {@code Phi.apply}: the two differ by under 1e-30). The
   * logarithm is written out in the loop body: as a method it is compiled on its own first, its
   * machine code passes C2's {@code InlineSmallCode}, it is not inlined and every vector is boxed
   * (2–4× slower, shared/notes/vector-api.md). One logarithm per loop body.
   */
  private static void sumEvenD(
      double[] xs,
      int x0,
      int y,
      double[] cx,
      double[] cy,
      double[] wx,
      double[] wy,
      int j0,
      int n,
      int order,
      double[] sx,
      double[] sy) {
    int l = DS.length();
    int extra = order / 2 - 1;
    // log(x) for positive normal x (x ≥ EPS): fdlibm's __ieee754_log without its special cases,
    // under 1 ulp from Math.log. x = 2^k (1 + f), 1 + f in [√2/2, √2); log(1 + f) = f − (hfsq −
    // s (hfsq + R(s²))), s = f / (2 + f). The exponent becomes a double through the 2^52 bit
    // pattern, not a long-to-double conversion, which AVX2 lacks.
    boolean clampBase = order >= 6;
    for (int h = 0; h < 2; h++) {
      int xh = x0 + h * l;
      DoubleVector px = DoubleVector.fromArray(DS, xs, xh);
      DoubleVector ax = DoubleVector.zero(DS);
      DoubleVector ay = DoubleVector.zero(DS);
      for (int j = j0, end = j0 + n; j < end; j++) {
        double dy = y - cy[j];
        DoubleVector d = px.sub(cx[j]);
        DoubleVector r2 = d.fma(d, DoubleVector.broadcast(DS, dy * dy));
        DoubleVector x = r2.max(Phi.EPS);
        LongVector bits = x.reinterpretAsLongs();
        DoubleVector k =
            bits.lanewise(VectorOperators.LSHR, 52)
                .or(0x4330000000000000L)
                .reinterpretAsDoubles()
                .sub(TWO52 + 1023);
        DoubleVector m =
            bits.and(0x000FFFFFFFFFFFFFL).or(0x3FF0000000000000L).reinterpretAsDoubles();
        VectorMask<Double> big = m.compare(VectorOperators.GT, SQRT2);
        m = m.blend(m.mul(0.5), big);
        k = k.blend(k.add(1), big);
        DoubleVector f = m.sub(1);
        DoubleVector s = f.div(f.add(2));
        DoubleVector z = s.mul(s);
        DoubleVector w = z.mul(z);
        DoubleVector t1 = w.fma(LG6, LG4).mul(w).add(LG2).mul(w);
        DoubleVector t2 = w.fma(LG7, LG5).mul(w).add(LG3).mul(w).add(LG1).mul(z);
        DoubleVector hfsq = f.mul(f).mul(0.5);
        DoubleVector lo = s.mul(hfsq.add(t1.add(t2))).add(k.mul(LN2_LO));
        DoubleVector logX = k.mul(LN2_HI).sub(hfsq.sub(lo).sub(f));
        // r2^(k/2) log
        DoubleVector base = clampBase ? x : r2;
        DoubleVector p = r2.mul(logX);
        for (int e = 0; e < extra; e++) {
          p = p.mul(base);
        }
        ax = p.fma(DoubleVector.broadcast(DS, wx[j]), ax);
        ay = p.fma(DoubleVector.broadcast(DS, wy[j]), ay);
      }
      ax.intoArray(sx, xh);
      ay.intoArray(sy, xh);
    }
  }

  /** Odd orders k ≥ 3 in double: {@code Σ max(r2, EPS)^(k/2) w} = {@code m^((k−1)/2) sqrt(m)}. */
  private static void sumOddD(
      double[] xs,
      int x0,
      int y,
      double[] cx,
      double[] cy,
      double[] wx,
      double[] wy,
      int j0,
      int n,
      int order,
      double[] sx,
      double[] sy) {
    int l = DS.length();
    int power = order / 2;
    for (int h = 0; h < 2; h++) {
      int xh = x0 + h * l;
      DoubleVector px = DoubleVector.fromArray(DS, xs, xh);
      DoubleVector ax = DoubleVector.zero(DS);
      DoubleVector ay = DoubleVector.zero(DS);
      for (int j = j0, end = j0 + n; j < end; j++) {
        double dy = y - cy[j];
        DoubleVector d = px.sub(cx[j]);
        DoubleVector m = d.fma(d, DoubleVector.broadcast(DS, dy * dy)).max(Phi.EPS);
        DoubleVector p = m.sqrt();
        for (int e = 0; e < power; e++) {
          p = p.mul(m);
        }
        ax = p.fma(DoubleVector.broadcast(DS, wx[j]), ax);
        ay = p.fma(DoubleVector.broadcast(DS, wy[j]), ay);
      }
      ax.intoArray(sx, xh);
      ay.intoArray(sy, xh);
    }
  }

  // ------------------------------------------------------------------ logarithm

  private static final double LN2_HI = 6.93147180369123816490e-01;
  private static final double LN2_LO = 1.90821492927058770002e-10;
  private static final double LG1 = 6.666666666666735130e-01;
  private static final double LG2 = 3.999999999940941908e-01;
  private static final double LG3 = 2.857142874366239149e-01;
  private static final double LG4 = 2.222219843214978396e-01;
  private static final double LG5 = 1.818357216161805012e-01;
  private static final double LG6 = 1.531383769920937332e-01;
  private static final double LG7 = 1.479819860511658591e-01;
  private static final double SQRT2 = 1.4142135623730951;
  private static final double TWO52 = 4503599627370496.0;

  // ------------------------------------------------------------------ spline adjoint on the grid

  /**
   * Order 1 and 2 in vectors (pixels inside, one center at a time, per-center accumulators kept
   * across the row as vectors and reduced once at the end); other orders the scalar loop.
   */
  @Override
  public double[] gridAdjointRows(
      double[] c,
      double[] w,
      int b,
      int n,
      int order,
      int height,
      int width,
      double[] g,
      int y0,
      int y1) {
    if (order > 2) {
      return WarpKernels.super.gridAdjointRows(c, w, b, n, order, height, width, g, y0, y1);
    }
    int l = DS.length();
    int padded = (width + l - 1) / l * l;
    double[] xs = new double[padded];
    for (int x = 0; x < padded; x++) {
      xs[x] = x;
    }
    double[] gx = new double[padded];
    double[] gy = new double[padded];
    // per center: lanes of Σ phi gx, Σ phi gy, Σ coef dx, Σ coef dy
    double[] acc = new double[n * 4 * l];
    double[] dv = new double[6];
    int cOff = b * n * 2;
    for (int y = y0; y < y1; y++) {
      int row = (b * height + y) * width;
      boolean any = false;
      for (int x = 0; x < width; x++) {
        gx[x] = g[2 * (row + x)];
        gy[x] = g[2 * (row + x) + 1];
        any |= gx[x] != 0 || gy[x] != 0;
      }
      if (!any) {
        continue;
      }
      for (int x = 0; x < width; x++) {
        dv[0] += x * gx[x];
        dv[1] += x * gy[x];
        dv[2] += y * gx[x];
        dv[3] += y * gy[x];
        dv[4] += gx[x];
        dv[5] += gy[x];
      }
      for (int j = 0; j < n; j++) {
        double cx = c[cOff + 2 * j];
        double dy = y - c[cOff + 2 * j + 1];
        double wx = w[cOff + 2 * j];
        double wy = w[cOff + 2 * j + 1];
        if (order == 1) {
          adjointRowSqrt(xs, gx, gy, padded, cx, dy, wx, wy, acc, j * 4 * l);
        } else {
          adjointRowLog(xs, gx, gy, padded, cx, dy, wx, wy, acc, j * 4 * l);
        }
      }
    }
    double[] out = new double[n * 2 + 6 + n * 2];
    for (int j = 0; j < n; j++) {
      int a = j * 4 * l;
      double[] sums = new double[4];
      for (int k = 0; k < 4; k++) {
        double t = 0;
        for (int i = 0; i < l; i++) {
          t += acc[a + k * l + i];
        }
        sums[k] = t;
      }
      out[2 * j] = sums[0];
      out[2 * j + 1] = sums[1];
      // dc_j = −Σ coef (q − c_j)
      out[n * 2 + 6 + 2 * j] = -sums[2];
      out[n * 2 + 6 + 2 * j + 1] = -sums[3];
    }
    System.arraycopy(dv, 0, out, n * 2, 6);
    return out;
  }

  /**
   * Order 1 along one row for one center: phi = sqrt(max(r2, EPS)), coef = 2 phi'(r2) (wx gx + wy
   * gy) = (wx gx + wy gy) / phi where r2 ≥ EPS, else 0 (TF's gradient of the clamp).
   */
  private static void adjointRowSqrt(
      double[] xs,
      double[] gx,
      double[] gy,
      int padded,
      double cx,
      double dy,
      double wx,
      double wy,
      double[] acc,
      int a) {
    int l = DS.length();
    DoubleVector sPx = DoubleVector.fromArray(DS, acc, a);
    DoubleVector sPy = DoubleVector.fromArray(DS, acc, a + l);
    DoubleVector sCx = DoubleVector.fromArray(DS, acc, a + 2 * l);
    DoubleVector sCy = DoubleVector.fromArray(DS, acc, a + 3 * l);
    DoubleVector dy2 = DoubleVector.broadcast(DS, dy * dy);
    DoubleVector vdy = DoubleVector.broadcast(DS, dy);
    for (int x0 = 0; x0 < padded; x0 += l) {
      DoubleVector vgx = DoubleVector.fromArray(DS, gx, x0);
      DoubleVector vgy = DoubleVector.fromArray(DS, gy, x0);
      DoubleVector dx = DoubleVector.fromArray(DS, xs, x0).sub(cx);
      DoubleVector r2 = dx.fma(dx, dy2);
      DoubleVector r = r2.max(Phi.EPS).sqrt();
      DoubleVector t = vgx.mul(wx).add(vgy.mul(wy));
      DoubleVector coef =
          t.div(r).blend(0, r2.compare(VectorOperators.LT, Phi.EPS));
      sPx = r.fma(vgx, sPx);
      sPy = r.fma(vgy, sPy);
      sCx = coef.fma(dx, sCx);
      sCy = coef.fma(vdy, sCy);
    }
    sPx.intoArray(acc, a);
    sPy.intoArray(acc, a + l);
    sCx.intoArray(acc, a + 2 * l);
    sCy.intoArray(acc, a + 3 * l);
  }

  /**
   * Order 2 along one row for one center: phi = ½ r2 log(max(r2, EPS)), coef = 2 phi'(r2) (wx gx +
   * wy gy) with 2 phi' = log(max(r2, EPS)) + [r2 ≥ EPS] (TF's gradient of the clamp). The
   * logarithm is written out, as in {@link #sumEvenD}.
   */
  private static void adjointRowLog(
      double[] xs,
      double[] gx,
      double[] gy,
      int padded,
      double cx,
      double dy,
      double wx,
      double wy,
      double[] acc,
      int a) {
    int l = DS.length();
    DoubleVector sPx = DoubleVector.fromArray(DS, acc, a);
    DoubleVector sPy = DoubleVector.fromArray(DS, acc, a + l);
    DoubleVector sCx = DoubleVector.fromArray(DS, acc, a + 2 * l);
    DoubleVector sCy = DoubleVector.fromArray(DS, acc, a + 3 * l);
    DoubleVector dy2 = DoubleVector.broadcast(DS, dy * dy);
    DoubleVector vdy = DoubleVector.broadcast(DS, dy);
    for (int x0 = 0; x0 < padded; x0 += l) {
      DoubleVector vgx = DoubleVector.fromArray(DS, gx, x0);
      DoubleVector vgy = DoubleVector.fromArray(DS, gy, x0);
      DoubleVector dx = DoubleVector.fromArray(DS, xs, x0).sub(cx);
      DoubleVector r2 = dx.fma(dx, dy2);
      DoubleVector x = r2.max(Phi.EPS);
      LongVector bits = x.reinterpretAsLongs();
      DoubleVector k =
          bits.lanewise(VectorOperators.LSHR, 52)
              .or(0x4330000000000000L)
              .reinterpretAsDoubles()
              .sub(TWO52 + 1023);
      DoubleVector m =
          bits.and(0x000FFFFFFFFFFFFFL).or(0x3FF0000000000000L).reinterpretAsDoubles();
      VectorMask<Double> big = m.compare(VectorOperators.GT, SQRT2);
      m = m.blend(m.mul(0.5), big);
      k = k.blend(k.add(1), big);
      DoubleVector f = m.sub(1);
      DoubleVector s = f.div(f.add(2));
      DoubleVector z = s.mul(s);
      DoubleVector w = z.mul(z);
      DoubleVector t1 = w.fma(LG6, LG4).mul(w).add(LG2).mul(w);
      DoubleVector t2 = w.fma(LG7, LG5).mul(w).add(LG3).mul(w).add(LG1).mul(z);
      DoubleVector hfsq = f.mul(f).mul(0.5);
      DoubleVector lo = s.mul(hfsq.add(t1.add(t2))).add(k.mul(LN2_LO));
      DoubleVector logX = k.mul(LN2_HI).sub(hfsq.sub(lo).sub(f));
      DoubleVector phi = r2.mul(logX).mul(0.5);
      DoubleVector live = DoubleVector.broadcast(DS, 1.0).blend(0, r2.compare(VectorOperators.LT, Phi.EPS));
      DoubleVector t = vgx.mul(wx).add(vgy.mul(wy));
      DoubleVector coef = logX.add(live).mul(t);
      sPx = phi.fma(vgx, sPx);
      sPy = phi.fma(vgy, sPy);
      sCx = coef.fma(dx, sCx);
      sCy = coef.fma(vdy, sCy);
    }
    sPx.intoArray(acc, a);
    sPy.intoArray(acc, a + l);
    sCx.intoArray(acc, a + 2 * l);
    sCy.intoArray(acc, a + 3 * l);
  }

  // ------------------------------------------------------------------ dense warp

  @Override
  public void denseWarp(
      float[] image,
      float[] flow,
      boolean flowYx,
      int batch,
      int height,
      int width,
      int channels,
      int threads,
      float[] out) {
    int ix = flowYx ? 1 : 0;
    int iy = 1 - ix;
    int l = FS.length();
    int padded = (width + l - 1) / l * l;
    Parallel.forRange(
        batch * height,
        threads,
        (from, to) -> {
          float[] xs = new float[padded];
          for (int x = 0; x < padded; x++) {
            xs[x] = x;
          }
          float[] fx = new float[padded];
          float[] fy = new float[padded];
          Sampler sampler = new Sampler(padded);
          for (int row = from; row < to; row++) {
            int b = row / height;
            int y = row - b * height;
            int f = row * width * 2;
            for (int x = 0; x < width; x++) {
              fx[x] = flow[f + 2 * x + ix];
              fy[x] = flow[f + 2 * x + iy];
            }
            sampler.sampleRow(image, b, y, height, width, channels, xs, fx, fy, out);
          }
        });
  }

  @Override
  public void denseWarp(
      double[] image,
      double[] flow,
      boolean flowYx,
      int batch,
      int height,
      int width,
      int channels,
      int threads,
      double[] out) {
    WarpKernelF64.denseWarp(image, flow, flowYx, batch, height, width, channels, threads, out);
  }
}
