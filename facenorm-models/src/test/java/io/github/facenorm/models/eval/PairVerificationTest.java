package io.github.facenorm.models.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.facenorm.core.FaceImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Accuracy, the threshold sweep, caching and failures, with made-up one-dimensional descriptors of
 * tiny photos read through {@link FaceImage#read}.
 */
class PairVerificationTest {

  /** Photo {@code P_000k} of person P has descriptor {@code (k / 10, 0)}; see {@link #PAIRS}. */
  private static final String PAIRS =
      String.join(
          "\n",
          "3",
          "A\t1\t2", // 0.1 apart
          "A\t1\t3", // 0.2
          "B\t1\t9", // 0.8: a same pair the 0.6 rule gets wrong
          "A\t1\tB\t6", // 0.5: a different pair the 0.6 rule gets wrong
          "A\t2\tB\t9", // 0.7
          "B\t1\tC\t10", // 0.9
          "");

  /** Writes photo {@code P_000k} as a 1 x 1 PNG whose red is k and green the letter P. */
  private static void writePhotos(Path root, List<VerificationPair> pairs) throws IOException {
    for (PhotoId p : LfwPairs.photos(pairs)) {
      Path f = root.resolve(p.relativePath());
      Files.createDirectories(f.getParent());
      byte[] rgb = {(byte) p.number(), (byte) p.name().charAt(0), 0};
      // .jpg by name, PNG by content: FaceImage.read sniffs the content.
      Files.write(f, png(FaceImage.ofRgb8(1, 1, rgb)));
    }
  }

  private static byte[] png(FaceImage img) throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    javax.imageio.ImageIO.write(img.toBufferedImage(), "png", out);
    return out.toByteArray();
  }

  /** The photo a test image stands for. */
  private static PhotoId id(FaceImage img) {
    byte[] rgb = img.toRgb8();
    return new PhotoId(String.valueOf((char) (rgb[1] & 0xFF)), rgb[0] & 0xFF);
  }

  private static final class Counting implements Function<FaceImage, Optional<PhotoDescriptor>> {
    final Map<PhotoId, Integer> calls = new HashMap<>();
    final List<PhotoId> order = new ArrayList<>();

    @Override
    public Optional<PhotoDescriptor> apply(FaceImage img) {
      PhotoId p = id(img);
      calls.merge(p, 1, Integer::sum);
      order.add(p);
      if (p.name().equals("C")) {
        return Optional.of(new PhotoDescriptor(new float[] {p.number() / 10f, 0}, true));
      }
      return Optional.of(new PhotoDescriptor(new float[] {p.number() / 10f, 0}, false));
    }
  }

  @Test
  void scoresAPairsFileDescribingEachPhotoOnce(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("pairs.txt");
    Files.writeString(f, PAIRS);
    List<VerificationPair> pairs = LfwPairs.read(f);
    writePhotos(dir, pairs);
    Counting embedder = new Counting();
    List<Integer> progress = new ArrayList<>();
    VerificationResult r =
        PairVerification.atDlibThreshold()
            .evaluate(pairs, dir, embedder, (done, total) -> progress.add(done * 100 + total));

    assertThat(embedder.calls).hasSize(7).allSatisfy((p, n) -> assertThat(n).isEqualTo(1));
    assertThat(embedder.order).isEqualTo(LfwPairs.photos(pairs));
    assertThat(progress).containsExactly(107, 207, 307, 407, 507, 607, 707);
    assertThat(r.pairs()).isEqualTo(6);
    assertThat(r.samePairs()).isEqualTo(3);
    assertThat(r.differentPairs()).isEqualTo(3);
    assertThat(r.photos()).isEqualTo(7);
    assertThat(r.failedPairs()).isZero();
    assertThat(r.fallbackPhotos()).containsExactly(new PhotoId("C", 10));
    double[] distances =
        r.scored().stream().mapToDouble(VerificationResult.ScoredPair::distance).toArray();
    assertThat(distances)
        .containsExactly(new double[] {0.1, 0.2, 0.8, 0.5, 0.7, 0.9}, within(1e-6));
    assertThat(r.accuracy()).isCloseTo(4.0 / 6, within(1e-12));
    assertThat(r.sameAccuracy()).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(r.differentAccuracy()).isCloseTo(2.0 / 3, within(1e-12));
    // Sorted: 0.1s 0.2s 0.5d 0.7d 0.8s 0.9d: the best cut is between 0.2 and 0.5 (5 of 6 right).
    assertThat(r.bestAccuracy()).isCloseTo(5.0 / 6, within(1e-12));
    assertThat(r.bestThreshold()).isCloseTo(0.35, within(1e-6));
    assertThat(r.meanSameDistance()).isCloseTo((0.1 + 0.2 + 0.8) / 3, within(1e-6));
    assertThat(r.meanDifferentDistance()).isCloseTo((0.5 + 0.7 + 0.9) / 3, within(1e-6));
    assertThat(r.photosPerSecond()).isPositive();
    assertThat(r.summary()).contains("6 pairs").contains("accuracy 0.6667 at threshold 0.600");
  }

  @Test
  void bestThresholdSweepsEveryCutAndHandlesTies() {
    double[] d = {0.1, 0.2, 0.5, 0.7, 0.8, 0.9};
    boolean[] s = {true, true, false, false, true, false};
    PairVerification.BestThreshold b = PairVerification.bestThreshold(d, s);
    assertThat(b.accuracy()).isCloseTo(5.0 / 6, within(1e-12));
    assertThat(b.threshold()).isCloseTo(0.35, within(1e-12));
    assertThat(PairVerification.accuracy(d, s, b.threshold())).isEqualTo(b.accuracy());

    // Perfectly separable: the cut lands between the classes.
    b =
        PairVerification.bestThreshold(
            new double[] {0.3, 0.9, 0.4}, new boolean[] {true, false, true});
    assertThat(b.accuracy()).isEqualTo(1.0);
    assertThat(b.threshold()).isCloseTo(0.65, within(1e-12));

    // Ties cannot be split: two pairs at 0.5, one same, one different.
    b = PairVerification.bestThreshold(new double[] {0.5, 0.5}, new boolean[] {true, false});
    assertThat(b.accuracy()).isEqualTo(0.5);
    assertThat(
            PairVerification.accuracy(
                new double[] {0.5, 0.5}, new boolean[] {true, false}, b.threshold()))
        .isEqualTo(0.5);

    // All same: a threshold above the largest distance.
    b = PairVerification.bestThreshold(new double[] {0.2, 0.4}, new boolean[] {true, true});
    assertThat(b.accuracy()).isEqualTo(1.0);
    assertThat(b.threshold()).isGreaterThan(0.4);
    // All different: below the smallest.
    b = PairVerification.bestThreshold(new double[] {0.2, 0.4}, new boolean[] {false, false});
    assertThat(b.accuracy()).isEqualTo(1.0);
    assertThat(b.threshold()).isLessThanOrEqualTo(0.2);
  }

  @Test
  void unreadableAndUndescribablePhotosAreFailuresLeftOutOfTheAccuracy(@TempDir Path dir)
      throws IOException {
    List<VerificationPair> pairs =
        LfwPairs.parse(List.of("2", "A 1 2", "B 1 2", "A 1 C 1", "B 1 D 1"), "x");
    writePhotos(dir, pairs);
    Files.delete(dir.resolve(new PhotoId("B", 1).relativePath())); // missing
    Files.writeString(dir.resolve(new PhotoId("B", 2).relativePath()), "not a photo"); // corrupt
    Function<FaceImage, Optional<PhotoDescriptor>> e =
        img -> {
          PhotoId p = id(img);
          if (p.name().equals("D")) {
            return Optional.empty();
          }
          return Optional.of(
              new PhotoDescriptor(new float[] {p.name().equals("C") ? 1 : 0}, false));
        };
    VerificationResult r = PairVerification.atDlibThreshold().evaluate(pairs, dir, e);
    assertThat(r.failedPhotos())
        .containsExactly(new PhotoId("B", 1), new PhotoId("B", 2), new PhotoId("D", 1));
    assertThat(r.failedPairs()).isEqualTo(2);
    assertThat(r.samePairs()).isEqualTo(1);
    assertThat(r.differentPairs()).isEqualTo(1);
    assertThat(r.accuracy()).isEqualTo(1.0);
  }

  @Test
  void rejectsBadArguments() {
    assertThatThrownBy(() -> new PairVerification(0)).hasMessageContaining("threshold");
    assertThatThrownBy(() -> new PairVerification(Double.NaN)).hasMessageContaining("threshold");
    assertThatThrownBy(
            () ->
                PairVerification.atDlibThreshold()
                    .evaluate(List.of(), Path.of("."), img -> Optional.empty()))
        .hasMessageContaining("pairs");
    assertThatThrownBy(
            () -> PairVerification.bestThreshold(new double[] {1}, new boolean[] {true, false}))
        .hasMessageContaining("equal length");
    assertThatThrownBy(() -> new PhotoDescriptor(new float[] {Float.NaN}, false))
        .hasMessageContaining("finite");
    assertThatThrownBy(
            () ->
                new PhotoDescriptor(new float[] {1}, false)
                    .distance(new PhotoDescriptor(new float[] {1, 2}, false)))
        .hasMessageContaining("length 1");
  }
}
