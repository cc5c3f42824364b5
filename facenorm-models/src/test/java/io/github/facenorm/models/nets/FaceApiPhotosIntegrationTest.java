package io.github.facenorm.models.nets;

import static io.github.facenorm.models.nets.TestSupport.doubles;
import static io.github.facenorm.models.nets.TestSupport.integer;
import static io.github.facenorm.models.nets.TestSupport.map;
import static io.github.facenorm.models.nets.TestSupport.number;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.facenorm.core.FaceBox;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The whole face-api pipeline on real photos from ../shared against face-api's results. */
@Tag("integration")
class FaceApiPhotosIntegrationTest {
  private static final Logger LOG = LoggerFactory.getLogger(FaceApiPhotosIntegrationTest.class);
  private static FaceApiPipeline pipeline;
  private static Path shared;

  @BeforeAll
  static void load() {
    TestSupport.assumeModel(FaceApiModels.TINY_FACE_DETECTOR);
    TestSupport.assumeModel(FaceApiModels.FACE_LANDMARK_68);
    TestSupport.assumeModel(FaceApiModels.FACE_RECOGNITION);
    shared = TestSupport.assumeShared();
  }

  private static FaceBox box(Map<String, Object> b, double score) {
    return FaceBox.scored(
        number(b, "x"), number(b, "y"), number(b, "width"), number(b, "height"), score);
  }

  @Test
  void boxesLandmarksAndDescriptorsMatchFaceApi() throws Exception {
    Map<String, Object> g = TestSupport.golden("photos.json");
    Map<String, Object> opt = map(g, "detector");
    TinyFaceDetector.Options options =
        new TinyFaceDetector.Options(integer(opt, "inputSize"), number(opt, "scoreThreshold"));
    pipeline = FaceApiPipeline.load(options);
    double worstIou = 1;
    double worstPx = 0;
    double worstDescriptor = 0;
    for (Map<String, Object> p : TestSupport.list(g, "photos")) {
      TestSupport.Photo photo =
          TestSupport.decode(shared.resolve("data").resolve((String) p.get("file")));
      assertThat(photo.rgbSha256())
          .as(
              "decoded pixels of %s (FaceImage.read must decode as when the goldens were made)",
              p.get("file"))
          .isEqualTo(p.get("rgbSha256"));
      List<Map<String, Object>> expected = TestSupport.list(p, "faces");
      List<FaceApiPipeline.Face> got = pipeline.detectAllFaces(photo.image());
      assertThat(got).as("faces in %s", p.get("file")).hasSameSizeAs(expected);
      for (int i = 0; i < got.size(); i++) {
        Map<String, Object> e = expected.get(i);
        FaceApiPipeline.Face f = got.get(i);
        double iou = f.detection().iou(box(map(e, "box"), number(e, "score")));
        double[] lm = doubles(e, "landmarks");
        double px = 0;
        for (int k = 0; k < lm.length; k++) {
          double mine = k % 2 == 0 ? f.landmarks().x(k / 2) : f.landmarks().y(k / 2);
          px = Math.max(px, Math.abs(lm[k] - mine));
        }
        double d = TestSupport.l2(f.descriptor(), doubles(e, "descriptor"));
        double alignedIou = f.alignedBox().iou(box(map(e, "alignedBox"), number(e, "score")));
        assertThat(alignedIou).isGreaterThan(0.99);
        LOG.info(
            "{}: box IoU {} (score {} vs {}), landmarks max |diff| {} px, descriptor L2 {}",
            p.get("file"),
            iou,
            f.detection().score().orElseThrow(),
            number(e, "score"),
            px,
            d);
        worstIou = Math.min(worstIou, iou);
        worstPx = Math.max(worstPx, px);
        worstDescriptor = Math.max(worstDescriptor, d);
        assertThat(iou).isGreaterThanOrEqualTo(0.99);
        assertThat(px).isLessThan(0.5);
        assertThat(Math.abs(f.detection().score().orElseThrow() - number(e, "score")))
            .isLessThan(1e-3);
        assertThat(d).isLessThan(0.02);
      }
    }
    LOG.info(
        "photos: worst box IoU {}, worst landmark diff {} px, worst descriptor L2 {}",
        worstIou,
        worstPx,
        worstDescriptor);
  }
}
