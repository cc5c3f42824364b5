package io.github.facenorm.models.face3d;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.facenorm.core.FaceImage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Java facemesh port against the same graph run by tfjs 4.22.0's pure-JS CPU backend ({@code
 * src/test/node-face3d/make-goldens.js}).
 */
@Tag("integration")
class FaceMeshNetTest {
  private static final Logger LOG = LoggerFactory.getLogger(FaceMeshNetTest.class);
  private static FaceMeshNet net;

  @BeforeAll
  static void load() throws Exception {
    net = FaceMeshNet.load(Face3dTestSupport.assumeAssets());
  }

  @Test
  @SuppressWarnings("unchecked")
  void meshMatchesTfjsWithinATenthOfAPixel() {
    Map<String, Object> g = Face3dTestSupport.golden("facemesh-goldens.json");
    List<Map<String, Object>> cases = (List<Map<String, Object>>) g.get("cases");
    assertThat(cases).hasSize(3);
    for (Map<String, Object> c : cases) {
      String name = (String) c.get("name");
      float[] input =
          name.startsWith("synthetic-")
              ? Face3dTestSupport.synthetic(Integer.parseInt(name.substring(10)))
              : Face3dTestSupport.rgb8Resource("frl-001_03-192.rgb.gz");
      FaceMeshNet.Prediction p = net.run(input);
      List<Object> expected = (List<Object>) c.get("mesh");
      assertThat(expected).hasSize(1404);
      double max = 0;
      for (int i = 0; i < 1404; i++) {
        max = Math.max(max, Math.abs(p.points()[i] - ((Number) expected.get(i)).doubleValue()));
      }
      double flag = ((Number) c.get("faceflag")).doubleValue();
      LOG.info(
          "facemesh {}: max |diff| to tfjs {} px, face flag {} vs {}",
          name,
          max,
          p.faceFlag(),
          flag);
      assertThat(max).as(name).isLessThan(0.1);
      assertThat(Math.abs(p.faceFlag() - flag)).as(name).isLessThan(1e-3);
    }
  }

  @Test
  void aFaceCropIsAFaceAndTheEyesAreLeftAndRight() {
    FaceMeshNet.Prediction p = net.run(Face3dTestSupport.rgb8Resource("frl-001_03-192.rgb.gz"));
    assertThat(p.faceFlag()).isGreaterThan(0.9);
    // iBUG 36 is the right eye's outer corner (viewer's left), 45 the left eye's outer corner.
    var l = p.landmarks68();
    assertThat(l.x(36)).isLessThan(l.x(45));
    assertThat(l.y(8)).isGreaterThan(l.y(30)); // chin below the nose tip (y down)
    FaceMeshNet.Prediction noise = net.run(Face3dTestSupport.synthetic(1));
    assertThat(noise.faceFlag()).isLessThan(0.1);
  }

  @Test
  void aCropOfAPhotoMapsBackToPhotoPixels() {
    float[] rgb = Face3dTestSupport.rgb8Resource("frl-001_03-192.rgb.gz");
    FaceImage img = FaceImage.of(192, 192, rgb);
    FaceMeshNet.Prediction direct = net.run(rgb);
    // Identity crop: same points.
    FaceMeshNet.Prediction same = net.runCrop(img, 0, 0, 192);
    for (int i = 0; i < 1404; i++) {
      assertThat(same.points()[i])
          .isCloseTo(direct.points()[i], org.assertj.core.data.Offset.offset(1e-4));
    }
    // The same pixels doubled (each pixel 2x2) on a larger canvas at (30, 20): a 384 px crop
    // there resamples to exactly the original input, so the points must come back doubled
    // (x, y and z) and shifted.
    int big = 450;
    float[] canvas = new float[big * big * 3];
    java.util.Arrays.fill(canvas, 0.3f);
    for (int y = 0; y < 384; y++) {
      for (int x = 0; x < 384; x++) {
        System.arraycopy(
            rgb, ((y / 2) * 192 + x / 2) * 3, canvas, ((y + 20) * big + x + 30) * 3, 3);
      }
    }
    FaceMeshNet.Prediction doubled = net.runCrop(FaceImage.of(big, big, canvas), 30, 20, 384);
    for (int i = 0; i < 1404; i += 3) {
      assertThat(doubled.points()[i])
          .isCloseTo(30 + 2 * direct.points()[i], org.assertj.core.data.Offset.offset(1e-3));
      assertThat(doubled.points()[i + 1])
          .isCloseTo(20 + 2 * direct.points()[i + 1], org.assertj.core.data.Offset.offset(1e-3));
      assertThat(doubled.points()[i + 2])
          .isCloseTo(2 * direct.points()[i + 2], org.assertj.core.data.Offset.offset(1e-3));
    }
  }

  @Test
  void rejectsAWrongInputSize() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> net.run(new float[10]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[192, 192, 3]");
  }
}
