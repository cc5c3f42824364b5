package io.github.facenorm.models.nets;

import static io.github.facenorm.models.nets.TestSupport.doubles;
import static io.github.facenorm.models.nets.TestSupport.integer;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The landmark net with face-api's weights against face-api on fixed tensors. */
@Tag("integration")
class FaceLandmark68NetIntegrationTest {
  private static final Logger LOG = LoggerFactory.getLogger(FaceLandmark68NetIntegrationTest.class);
  private static FaceLandmark68Net net;

  @BeforeAll
  static void load() {
    TestSupport.assumeModel(FaceApiModels.FACE_LANDMARK_68);
    net = FaceLandmark68Net.load();
  }

  @Test
  void landmarksMatchFaceApiOnSyntheticTensors() throws Exception {
    Map<String, Object> g = TestSupport.golden("synthetic.json");
    for (Map<String, Object> c : TestSupport.list(g, "landmarks")) {
      double[] expected = doubles(c, "points");
      double[] got =
          net.detectLandmarks(
              TestSupport.synthetic(integer(c, "height"), integer(c, "width"), integer(c, "seed")));
      double max = 0;
      for (int i = 0; i < expected.length; i++) {
        max = Math.max(max, Math.abs(got[i] - expected[i]));
      }
      LOG.info(
          "landmarks {}x{}: max |diff| to face-api {} px", c.get("height"), c.get("width"), max);
      assertThat(max).isLessThan(1e-3);
    }
  }
}
