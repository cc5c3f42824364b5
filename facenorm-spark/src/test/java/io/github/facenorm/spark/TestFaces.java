package io.github.facenorm.spark;

import io.github.facenorm.augment.FaceSet;
import io.github.facenorm.augment.MorphFace;
import io.github.facenorm.core.FaceDecomposition;
import io.github.facenorm.core.FaceImage;
import io.github.facenorm.core.Landmarks;
import io.github.facenorm.core.MeanShape;
import io.github.facenorm.core.dlib.DlibShapePredictor;
import io.github.facenorm.models.nets.FaceApiModels;
import io.github.facenorm.models.normalize.FaceNormalizer;
import io.github.facenorm.models.normalize.NormalizerModel;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Inputs the tests make themselves: a face photo and tiny face sets. */
final class TestFaces {

  private TestFaces() {}

  /** Whether the pretrained models are in the default cache. */
  static boolean modelsCached() {
    return Files.isRegularFile(DlibShapePredictor.defaultModelPath())
        && FaceApiModels.isAvailable(FaceApiModels.TINY_FACE_DETECTOR)
        && FaceApiModels.isAvailable(FaceApiModels.FACE_RECOGNITION);
  }

  /**
   * A face photo rendered by the shipped model itself (its decoded texture warped to its decoded
   * landmarks, on a grey canvas twice its size), as the command line's tests make one.
   */
  static FaceImage face(FaceNormalizer normalizer) {
    NormalizerModel m = normalizer.model();
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
    return FaceImage.of(canvas, canvas, rgb);
  }

  /** {@code n} smooth random faces of {@code size²} with 2 backgrounds, jittered landmarks. */
  static FaceSet faceSet(int n, int size, long seed) {
    Random r = new Random(seed);
    double[] mean = new double[136];
    for (int i = 0; i < 68; i++) {
      double a = 2 * Math.PI * i / 68;
      double rad = 0.25 + 0.08 * ((i * 7) % 5) / 5.0;
      mean[2 * i] = size * (0.5 + rad * Math.cos(a));
      mean[2 * i + 1] = size * (0.52 + 1.15 * rad * Math.sin(a));
    }
    List<MorphFace> faces = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double[] xy = mean.clone();
      for (int j = 0; j < xy.length; j++) {
        xy[j] += 1.5 * (2 * r.nextDouble() - 1) * size / 64.0;
      }
      faces.add(new MorphFace("face-" + i, texture(size, r), Landmarks.of(xy)));
    }
    return FaceSet.of(
        faces, List.of(texture(size, r), texture(size, r)), MeanShape.of(Landmarks.of(mean), n));
  }

  private static FaceImage texture(int size, Random r) {
    float[] v = new float[size * size * 3];
    double[] f = {r.nextDouble(), r.nextDouble(), r.nextDouble(), r.nextDouble()};
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        for (int c = 0; c < 3; c++) {
          double s =
              0.5
                  + 0.2 * Math.sin(0.3 * x * (1 + f[c]) + 0.2 * y * f[3])
                  + 0.15 * Math.cos(0.25 * y * (1 + f[(c + 1) % 3]))
                  + 0.1 * (r.nextDouble() - 0.5);
          v[(y * size + x) * 3 + c] = (float) Math.min(1, Math.max(0, s));
        }
      }
    }
    return FaceImage.of(size, size, v);
  }
}
