package io.github.facenorm.models.nets;

import static io.github.facenorm.models.nets.TestSupport.doubles;
import static io.github.facenorm.models.nets.TestSupport.integer;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.facenorm.core.FaceImage;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The recognition net with face-api's weights against face-api's own outputs. */
@Tag("integration")
class FaceRecognitionNetIntegrationTest {
  private static final Logger LOG =
      LoggerFactory.getLogger(FaceRecognitionNetIntegrationTest.class);
  private static FaceRecognitionNet net;

  @BeforeAll
  static void load() {
    TestSupport.assumeModel(FaceApiModels.FACE_RECOGNITION);
    net = FaceRecognitionNet.load();
  }

  @Test
  void descriptorsMatchFaceApiOnSyntheticTensors() throws Exception {
    Map<String, Object> g = TestSupport.golden("synthetic.json");
    for (Map<String, Object> c : TestSupport.list(g, "recognition")) {
      FaceImage img =
          TestSupport.synthetic(integer(c, "height"), integer(c, "width"), integer(c, "seed"));
      float[] d = net.encode(img);
      double dist = TestSupport.l2(d, doubles(c, "descriptor"));
      LOG.info(
          "recognition {}x{}: L2 distance to face-api {}", c.get("height"), c.get("width"), dist);
      assertThat(dist).isLessThan(1e-4);
    }
  }
}
