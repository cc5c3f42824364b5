package io.github.facenorm.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PhotoAdjustmentTest {

  /** A "normalized face": mid-range colors with texture, 224 × 224. */
  private static FaceImage normalized() {
    Random rnd = new Random(5);
    int n = 224;
    float[] v = new float[n * n * 3];
    for (int i = 0; i < v.length; i += 3) {
      float t = (float) rnd.nextGaussian() * 0.05f;
      v[i] = clamp(0.62f + t);
      v[i + 1] = clamp(0.48f + t);
      v[i + 2] = clamp(0.40f + t);
    }
    return FaceImage.of(n, n, v);
  }

  /** Under-exposed with a blue-ish white balance: per-channel gains. */
  private static FaceImage degrade(FaceImage img, float[] gain) {
    float[] v = img.toArray();
    for (int i = 0; i < v.length; i++) {
      v[i] = clamp(v[i] * gain[i % 3]);
    }
    return FaceImage.of(img.width(), img.height(), v);
  }

  @Test
  void mapPassesThroughItsThreeKnots() {
    PhotoAdjustment a =
        new PhotoAdjustment(new double[] {0.3, 0.5, 0.7}, new double[] {0.6, 0.5, 0.2});
    for (int c = 0; c < 3; c++) {
      assertThat(a.map(c, 0)).isEqualTo(0);
      assertThat(a.map(c, 1)).isCloseTo(1, within(1e-12));
      assertThat(a.map(c, a.photoMean()[c])).isCloseTo(a.targetMean()[c], within(1e-12));
      double prev = -1;
      for (int k = 0; k <= 100; k++) {
        double y = a.map(c, k / 100.0);
        assertThat(y).isGreaterThanOrEqualTo(prev);
        prev = y;
      }
    }
    assertThat(a.map(0, 0.15)).isCloseTo(0.3, within(1e-12));
    assertThat(a.map(2, 0.85)).isCloseTo(0.2 + 0.15 * 0.8 / 0.3, within(1e-12));
  }

  @Test
  void fixesAKnownExposureAndWhiteBalanceChange() {
    FaceImage n = normalized();
    FaceImage p = degrade(n, new float[] {0.6f, 0.75f, 1.15f});
    PhotoAdjustment adj = PhotoAdjustment.fit(p, n);
    FaceImage fixed = adj.apply(p);

    // The central 100 × 100 means are what the paper fits.
    double[] mp = adj.photoMean();
    double[] mn = adj.targetMean();
    assertThat(mp[0]).isCloseTo(0.6 * mn[0], within(2e-3));
    assertThat(mp[2]).isCloseTo(1.15 * mn[2], within(2e-3));

    double before = meanAbsDiff(p, n);
    double after = meanAbsDiff(fixed, n);
    assertThat(before).isGreaterThan(0.1);
    assertThat(after).isLessThan(before / 8);
    // Values at or below the face mean are on the first segment, v · m_N / m_P: the gain is
    // undone exactly there.
    float[] pv = p.toArray();
    float[] fv = fixed.toArray();
    float[] nv = n.toArray();
    int exact = 0;
    for (int i = 0; i < pv.length; i++) {
      if (pv[i] <= mp[i % 3] && pv[i] < 1f) {
        assertThat((double) fv[i]).as("value %d", i).isCloseTo(nv[i], within(1e-4));
        exact++;
      }
    }
    assertThat(exact).isGreaterThan(pv.length / 3);
  }

  @Test
  void theIdentityChangesNothing() {
    FaceImage n = normalized();
    FaceImage same = PhotoAdjustment.fit(n, n).apply(n);
    assertThat(meanAbsDiff(same, n)).isLessThan(1e-6);
  }

  @Test
  void worksOnTheWholeOriginalPhotoOfAnotherSize() {
    FaceImage n = normalized();
    PhotoAdjustment adj = PhotoAdjustment.fit(degrade(n, new float[] {0.5f, 0.5f, 0.5f}), n);
    FaceImage big = SyntheticFaces.textured(300, 200, 4);
    FaceImage out = adj.apply(big);
    assertThat(out.width()).isEqualTo(300);
    assertThat(out.get(10, 10, 0)).isGreaterThanOrEqualTo(big.get(10, 10, 0));
  }

  @Test
  void badInputsGetClearMessages() {
    FaceImage n = normalized();
    assertThatThrownBy(() -> PhotoAdjustment.fit(n, SyntheticFaces.textured(100, 100, 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("normalized: expected the aligned photo's size");
    assertThatThrownBy(() -> PhotoAdjustment.fit(n, n, 300)).hasMessageContaining("boxSize");
    assertThatThrownBy(() -> new PhotoAdjustment(new double[] {0.5, 0.5}, new double[3]))
        .hasMessageContaining("photoMean: expected 3 channel means");
    assertThatThrownBy(() -> new PhotoAdjustment(new double[3], new double[] {0, 2, 0}))
        .hasMessageContaining("targetMean: expected means in [0, 1]");
  }

  private static double meanAbsDiff(FaceImage a, FaceImage b) {
    float[] x = a.toArray();
    float[] y = b.toArray();
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      s += Math.abs(x[i] - y[i]);
    }
    return s / x.length;
  }

  private static float clamp(float v) {
    return Math.max(0f, Math.min(1f, v));
  }
}
