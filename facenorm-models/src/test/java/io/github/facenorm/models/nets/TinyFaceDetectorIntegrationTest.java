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

/** The detector net with face-api's weights against face-api's raw outputs on fixed tensors. */
@Tag("integration")
class TinyFaceDetectorIntegrationTest {
  private static final Logger LOG = LoggerFactory.getLogger(TinyFaceDetectorIntegrationTest.class);
  private static TinyFaceDetector net;

  @BeforeAll
  static void load() {
    TestSupport.assumeModel(FaceApiModels.TINY_FACE_DETECTOR);
    net = TinyFaceDetector.load();
  }

  @Test
  void rawOutputsMatchFaceApiOnSyntheticTensors() throws Exception {
    Map<String, Object> g = TestSupport.golden("synthetic.json");
    for (Map<String, Object> c : TestSupport.list(g, "detector")) {
      int size = integer(c, "inputSize");
      FaceImage img =
          TestSupport.synthetic(integer(c, "height"), integer(c, "width"), integer(c, "seed"));
      float[] got = net.predict(TinyFaceDetector.preprocess(img, size)).data().asFloat();
      double[] expected = doubles(c, "output");
      assertThat(got).hasSize(expected.length);
      double max = 0;
      double scale = 0;
      for (int i = 0; i < expected.length; i++) {
        max = Math.max(max, Math.abs(got[i] - expected[i]));
        scale = Math.max(scale, Math.abs(expected[i]));
      }
      LOG.info(
          "detector {}x{} at {}: max |diff| to face-api {} (max |value| {})",
          c.get("height"),
          c.get("width"),
          size,
          max,
          scale);
      assertThat(max).isLessThan(1e-3);
    }
  }
}
