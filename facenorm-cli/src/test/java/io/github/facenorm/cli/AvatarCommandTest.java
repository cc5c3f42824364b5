package io.github.facenorm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.github.facenorm.core.FaceDecomposition;
import io.github.facenorm.core.FaceImage;
import io.github.facenorm.core.Landmarks;
import io.github.facenorm.core.MeanShape;
import io.github.facenorm.core.dlib.DlibShapePredictor;
import io.github.facenorm.models.nets.FaceApiModels;
import io.github.facenorm.models.normalize.FaceNormalizer;
import io.github.facenorm.models.normalize.NormalizerModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@code facenorm avatar} on a face the shipped normalizer renders itself (as in {@link
 * NormalizeCommandTest}): the OBJ, MTL, texture and previews are written and well formed.
 */
class AvatarCommandTest {

  private static boolean modelsCached() {
    return Files.isRegularFile(DlibShapePredictor.defaultModelPath())
        && FaceApiModels.isAvailable(FaceApiModels.TINY_FACE_DETECTOR)
        && FaceApiModels.isAvailable(FaceApiModels.FACE_RECOGNITION);
  }

  @Test
  void badArguments(@TempDir Path dir) throws IOException {
    FacenormCliTest.Run r =
        FacenormCliTest.run("avatar", dir.resolve("nope.jpg").toString(), "-o", dir.toString());
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("nope.jpg");
    Path photo = Files.writeString(dir.resolve("a.jpg"), "x");
    Path file = Files.writeString(dir.resolve("out"), "x");
    r = FacenormCliTest.run("avatar", photo.toString(), "-o", file.toString());
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("not a folder");
  }

  @Test
  void aPhotoWithoutAFaceExits1(@TempDir Path dir) throws IOException {
    assumeThat(modelsCached()).as("models not cached; run scripts/fetch-models.sh").isTrue();
    float[] flat = new float[64 * 64 * 3];
    java.util.Arrays.fill(flat, 0.4f);
    Path blank = dir.resolve("blank.png");
    FaceImage.of(64, 64, flat).write(blank);
    FacenormCliTest.Run r =
        FacenormCliTest.run("avatar", blank.toString(), "-o", dir.resolve("out").toString());
    assertThat(r.status()).as(r.err()).isEqualTo(1);
    assertThat(r.err()).contains("blank.png");
  }

  @Test
  void writesATexturedMeshAndAPreview(@TempDir Path dir) throws IOException {
    assumeThat(modelsCached()).as("models not cached; run scripts/fetch-models.sh").isTrue();
    NormalizerModel m = FaceNormalizer.builder().build().model();
    NormalizerModel.Decoded d = m.decode(Nd4j.zeros(DataType.FLOAT, 1, 256));
    Landmarks lm =
        Landmarks.fromINDArray(d.landmarks().get(NDArrayIndex.point(0)).castTo(DataType.DOUBLE));
    FaceImage img =
        FaceDecomposition.compose(
            FaceImage.fromINDArray(d.texture().get(NDArrayIndex.point(0))),
            lm,
            MeanShape.of(m.meanLandmarks(), 1));
    int s = img.width();
    int canvas = 2 * s;
    float[] rgb = new float[canvas * canvas * 3];
    java.util.Arrays.fill(rgb, 0.5f);
    for (int y = 0; y < s; y++) {
      for (int x = 0; x < s; x++) {
        for (int c = 0; c < 3; c++) {
          rgb[((y + s / 2) * canvas + x + s / 2) * 3 + c] = img.get(x, y, c);
        }
      }
    }
    Path photo = dir.resolve("my face.png");
    FaceImage.of(canvas, canvas, rgb).write(photo);
    Path out = dir.resolve("out");
    FacenormCliTest.Run r =
        FacenormCliTest.run("avatar", photo.toString(), "-o", out.toString(), "--atlas", "128");
    assertThat(r.status()).as(r.err()).isZero();
    List<String> obj = Files.readAllLines(out.resolve("my_face.obj"));
    assertThat(obj.stream().filter(l -> l.startsWith("v "))).hasSize(468);
    assertThat(obj.stream().filter(l -> l.startsWith("f "))).hasSize(898);
    assertThat(Files.readString(out.resolve("my_face.mtl"))).contains("map_Kd my_face.png");
    assertThat(FaceImage.read(out.resolve("my_face.png")).width()).isEqualTo(128);
    FaceImage preview = FaceImage.read(out.resolve("my_face-preview.png"));
    assertThat(preview.width()).isEqualTo(256);
    assertThat(Files.isRegularFile(out.resolve("my_face-normalized.png"))).isTrue();
  }
}
