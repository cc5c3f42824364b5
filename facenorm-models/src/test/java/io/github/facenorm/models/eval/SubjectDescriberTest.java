package io.github.facenorm.models.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.facenorm.models.nets.FaceApiPipeline;
import io.github.facenorm.models.nets.FaceBox;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The parts of the face-api embedder that need no weights: decoding, fallback box, builder. */
class FaceApiPhotoEmbedderTest {

  @Test
  void readsRgbAndGrayPhotosAsFloat0To255ChannelsLast(@TempDir Path dir) throws Exception {
    BufferedImage rgb = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
    rgb.setRGB(2, 1, 0x10_80_FF);
    Path f = dir.resolve("a.png");
    ImageIO.write(rgb, "png", f.toFile());
    INDArray a = FaceApiPhotoEmbedder.readRgb(f);
    assertThat(a.shape()).containsExactly(2, 3, 3);
    assertThat(a.getFloat(1, 2, 0)).isEqualTo(16f);
    assertThat(a.getFloat(1, 2, 1)).isEqualTo(128f);
    assertThat(a.getFloat(1, 2, 2)).isEqualTo(255f);
    assertThat(a.getFloat(0, 0, 0)).isZero();

    BufferedImage gray = new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_GRAY);
    gray.getRaster().setSample(1, 0, 0, 200);
    Path g = dir.resolve("g.png");
    ImageIO.write(gray, "png", g.toFile());
    INDArray b = FaceApiPhotoEmbedder.readRgb(g);
    assertThat(b.shape()).containsExactly(2, 2, 3);
    assertThat(b.getFloat(0, 1, 0)).isEqualTo(b.getFloat(0, 1, 2)).isPositive();
  }

  @Test
  void missingOrUnreadablePhotosAreIoExceptionsNamingTheFile(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> FaceApiPhotoEmbedder.readRgb(dir.resolve("none.jpg")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("none.jpg");
    Path junk = dir.resolve("junk.jpg");
    Files.writeString(junk, "not a jpeg");
    assertThatThrownBy(() -> FaceApiPhotoEmbedder.readRgb(junk))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("junk.jpg");
  }

  @Test
  void fallbackBoxIsASquareAtTheRelativeCenter() {
    FaceBox b = FaceApiPhotoEmbedder.fallbackBox(250, 250, 0.5, 0.56, 0.46);
    assertThat(b.width()).isCloseTo(115, within(1e-9));
    assertThat(b.height()).isCloseTo(115, within(1e-9));
    assertThat(b.x() + b.width() / 2).isCloseTo(125, within(1e-9));
    assertThat(b.y() + b.height() / 2).isCloseTo(140, within(1e-9));
    FaceBox wide = FaceApiPhotoEmbedder.fallbackBox(400, 200, 0.5, 0.5, 0.5);
    assertThat(wide.width()).isCloseTo(100, within(1e-9));
    assertThat(wide.x()).isCloseTo(150, within(1e-9));
    assertThat(wide.score()).isNaN();
  }

  @Test
  void builderRejectsBadValuesAndRecordsItsSettings(@TempDir Path dir) {
    FaceApiPipeline pipeline = new FaceApiPipeline(null, null, null); // never run here
    FaceApiPhotoEmbedder.Builder b = FaceApiPhotoEmbedder.builder(dir, pipeline);
    assertThatThrownBy(() -> b.fallbackBox(0.5, 0.5, 0)).hasMessageContaining("side");
    assertThatThrownBy(() -> b.fallbackBox(1.5, 0.5, 0.4)).hasMessageContaining("centerX");
    assertThatThrownBy(() -> b.fallbackBox(0.5, -1, 0.4)).hasMessageContaining("centerY");
    assertThatThrownBy(() -> FaceApiPhotoEmbedder.builder(null, pipeline))
        .hasMessageContaining("root");
    String s =
        b.selection(FaceApiPhotoEmbedder.Selection.CLOSEST_TO_CENTER)
            .fallbackBox(0.5, 0.5, 0.4)
            .build()
            .toString();
    assertThat(s).contains("inputSize=416").contains("CLOSEST_TO_CENTER").contains("side 0.4");
  }
}
