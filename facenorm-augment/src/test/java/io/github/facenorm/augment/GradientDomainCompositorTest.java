package io.github.facenorm.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.facenorm.core.FaceImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GradientDomainCompositorTest {

  private static final GradientDomainCompositor EXACT =
      GradientDomainCompositor.builder().tolerance(1e-13).maxIterations(500).build();

  static FaceImage random(int w, int h, long seed) {
    Random r = new Random(seed);
    float[] v = new float[w * h * 3];
    for (int i = 0; i < v.length; i++) {
      v[i] = 0.1f + 0.8f * r.nextFloat();
    }
    return FaceImage.of(w, h, v);
  }

  static BlendMask randomMask(int w, int h, long seed) {
    Random r = new Random(seed);
    float[] m = new float[w * h];
    for (int i = 0; i < m.length; i++) {
      m[i] = r.nextInt(3) == 0 ? 0f : r.nextFloat();
    }
    m[0] = 1;
    return BlendMask.of(w, h, m);
  }

  /**
   * Eq. 3 written out row by row as a dense over-constrained system and solved by QR: one row per
   * horizontal and vertical forward difference, one per pixel for the masked colour.
   */
  static double[] denseLeastSquares(FaceImage f, FaceImage b, BlendMask mask, int ch) {
    int w = f.width();
    int h = f.height();
    int n = w * h;
    List<double[]> rows = new ArrayList<>();
    List<Double> rhs = new ArrayList<>();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int[][] nbrs = {{x + 1, y}, {x, y + 1}};
        for (int[] q : nbrs) {
          if (q[0] >= w || q[1] >= h) {
            continue;
          }
          double me = 0.5 * (mask.get(x, y) + mask.get(q[0], q[1]));
          double[] row = new double[n];
          row[q[1] * w + q[0]] = 1;
          row[y * w + x] = -1;
          rows.add(row);
          rhs.add(
              me * (f.get(q[0], q[1], ch) - f.get(x, y, ch))
                  + (1 - me) * (b.get(q[0], q[1], ch) - b.get(x, y, ch)));
        }
        double[] row = new double[n];
        row[y * w + x] = mask.get(x, y);
        rows.add(row);
        rhs.add((double) mask.get(x, y) * f.get(x, y, ch));
      }
    }
    Array2DRowRealMatrix a = new Array2DRowRealMatrix(rows.toArray(new double[0][]));
    RealVector v = new ArrayRealVector(rhs.stream().mapToDouble(Double::doubleValue).toArray());
    return new QRDecomposition(a).getSolver().solve(v).toArray();
  }

  @ParameterizedTest
  @CsvSource({"5, 4, 1", "9, 7, 2", "12, 11, 3"})
  void equalsADenseLeastSquaresSolve(int w, int h, long seed) {
    FaceImage f = random(w, h, seed);
    FaceImage b = random(w, h, seed + 100);
    BlendMask mask = randomMask(w, h, seed + 200);
    float[] out = EXACT.plan(mask).compositeArray(f, b, null);
    for (int ch = 0; ch < 3; ch++) {
      double[] ref = denseLeastSquares(f, b, mask, ch);
      for (int i = 0; i < w * h; i++) {
        double expected = Math.min(1, Math.max(0, ref[i]));
        assertThat((double) out[3 * i + ch])
            .as("pixel %d channel %d", i, ch)
            .isCloseTo(expected, within(2e-6));
      }
    }
  }

  @Test
  void aZeroGradientDifferenceReproducesTheInputs() {
    FaceImage f = random(20, 18, 5);
    BlendMask mask = randomMask(20, 18, 6);
    // Same image as face and background: the composite is that image.
    float[] same = EXACT.plan(mask).compositeArray(f, f, null);
    assertThat(max(diff(same, f.toArray()))).isLessThan(1e-6f);
    // Background = face shifted by a constant: the same gradients, so the face comes back.
    float[] shifted = f.toArray();
    for (int i = 0; i < shifted.length; i++) {
      shifted[i] -= 0.05f;
    }
    float[] out = EXACT.plan(mask).compositeArray(f, FaceImage.of(20, 18, shifted), null);
    assertThat(max(diff(out, f.toArray()))).isLessThan(1e-5f);
    // A mask of ones everywhere: the face.
    float[] ones = new float[20 * 18];
    java.util.Arrays.fill(ones, 1f);
    float[] full =
        EXACT.plan(BlendMask.of(20, 18, ones)).compositeArray(f, random(20, 18, 9), null);
    assertThat(max(diff(full, f.toArray()))).isLessThan(1e-6f);
  }

  @Test
  void multigridConvergesInFewIterationsOnAFaceSizedImage() {
    int size = 128;
    BlendMask mask = BlendMask.convexHull(SyntheticSets.meanLandmarks(size), size, size, 3);
    int[] its = new int[3];
    GradientDomainCompositor.builder()
        .build()
        .plan(mask)
        .compositeArray(random(size, size, 1), random(size, size, 2), its);
    for (int it : its) {
      assertThat(it).isBetween(1, 15);
    }
  }

  @Test
  void hullMaskIsOneInsideZeroFarOutsideAndSoftAtTheEdge() {
    int size = 64;
    BlendMask hard = BlendMask.convexHull(SyntheticSets.meanLandmarks(size), size, size, 0);
    BlendMask soft = BlendMask.convexHull(SyntheticSets.meanLandmarks(size), size, size, 2);
    assertThat(hard.get(32, 33)).isEqualTo(1f);
    assertThat(hard.get(1, 1)).isEqualTo(0f);
    assertThat(soft.get(32, 33)).isCloseTo(1f, within(1e-6f));
    assertThat(soft.get(1, 1)).isCloseTo(0f, within(1e-6f));
    boolean between = false;
    for (float v : soft.toArray()) {
      between |= v > 0.1f && v < 0.9f;
    }
    assertThat(between).isTrue();
  }

  @Test
  void badInputIsNamed() {
    assertThatThrownBy(
            () -> GradientDomainCompositor.builder().build().plan(BlendMask.of(3, 3, new float[9])))
        .hasMessageContaining("mask");
    BlendMask m = randomMask(4, 4, 1);
    assertThatThrownBy(
            () ->
                GradientDomainCompositor.builder()
                    .build()
                    .composite(random(5, 4, 1), random(4, 4, 1), m))
        .hasMessageContaining("face");
    assertThatThrownBy(() -> GradientDomainCompositor.builder().tolerance(0))
        .hasMessageContaining("tolerance");
  }

  private static float[] diff(float[] a, float[] b) {
    float[] d = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = Math.abs(a[i] - b[i]);
    }
    return d;
  }

  private static float max(float[] a) {
    float m = 0;
    for (float v : a) {
      m = Math.max(m, v);
    }
    return m;
  }
}
