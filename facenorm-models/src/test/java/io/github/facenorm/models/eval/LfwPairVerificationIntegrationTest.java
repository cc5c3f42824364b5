package io.github.facenorm.models.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.facenorm.models.nets.FaceApiModels;
import io.github.facenorm.models.nets.FaceApiPipeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * face-api's pipeline (tiny detector, 68 landmarks, aligned descriptor) on LFW's View 1 dev-train
 * pairs from {@code ../shared/data/lfw-devtrain}, scored at dlib's threshold 0.6.
 *
 * <p>All 2,200 pairs are 3,443 photos, about 15 minutes on 2 busy cores (~4 photos/s), so the
 * default suite runs a deterministic twentieth: {@link LfwPairs#everyNth} with stride 20, 55 same +
 * 55 different pairs (~220 photos, about a minute). The full run is the opt-in Maven profile {@code
 * -Plfw-full} (it sets the system property {@code facenorm.lfw.stride} to 1; any other stride can
 * be given with {@code -Dfacenorm.lfw.stride=N}).
 */
@Tag("integration")
class LfwPairVerificationIntegrationTest {
  private static final Logger LOG =
      LoggerFactory.getLogger(LfwPairVerificationIntegrationTest.class);

  @Test
  void faceApiDescriptorsSeparateSameFromDifferentPeople() throws Exception {
    String shared = System.getProperty("facenorm.shared");
    Path root = shared == null ? null : Paths.get(shared, "data", "lfw-devtrain");
    assumeTrue(
        root != null && Files.isRegularFile(root.resolve("pairsDevTrain.txt")),
        "LFW dev-train pairs not found (system property facenorm.shared = "
            + shared
            + ", expected <shared>/data/lfw-devtrain/pairsDevTrain.txt): test skipped");
    for (String model :
        List.of(
            FaceApiModels.TINY_FACE_DETECTOR,
            FaceApiModels.FACE_LANDMARK_68,
            FaceApiModels.FACE_RECOGNITION)) {
      assumeTrue(
          FaceApiModels.isAvailable(model),
          "face-api model "
              + model
              + " not cached at "
              + FaceApiModels.directory()
              + ": run scripts/fetch-face-api.sh to enable this test");
    }
    int stride = Integer.getInteger("facenorm.lfw.stride", 20);
    List<VerificationPair> all = LfwPairs.read(root.resolve("pairsDevTrain.txt"));
    assertThat(all).hasSize(2200);
    List<VerificationPair> pairs = LfwPairs.everyNth(all, stride);

    SubjectDescriber describer = SubjectDescriber.builder(FaceApiPipeline.load()).build();
    LOG.info(
        "LFW dev-train: {} of {} pairs (stride {}), {}",
        pairs.size(),
        all.size(),
        stride,
        describer);
    VerificationResult r = PairVerification.atDlibThreshold().evaluate(pairs, root, describer);
    LOG.info("LFW dev-train, stride {}: {}", stride, r.summary());
    LOG.info("fallback photos (no face detected): {}", r.fallbackPhotos());

    assertThat(r.failedPhotos()).as("photos without any descriptor").isEmpty();
    assertThat(r.samePairs() + r.differentPairs()).isEqualTo(pairs.size());
    // dlib's net is ~99% on LFW with its own aligner; face-api's axis-aligned chip costs some.
    assertThat(r.accuracy()).as("accuracy at 0.6: %s", r.summary()).isGreaterThanOrEqualTo(0.9);
    assertThat(r.bestAccuracy()).isGreaterThanOrEqualTo(r.accuracy());
    assertThat(r.meanSameDistance()).isLessThan(r.meanDifferentDistance());
  }
}
