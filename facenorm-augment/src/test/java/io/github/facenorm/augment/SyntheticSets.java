package io.github.facenorm.augment;

import io.github.facenorm.core.FaceImage;
import io.github.facenorm.core.Landmarks;
import io.github.facenorm.core.MeanShape;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Tiny made-up face sets for unit tests: smooth random textures and jittered landmarks. */
final class SyntheticSets {

  private SyntheticSets() {}

  /** A face-like mean shape inside a {@code size × size} image: an ellipse of 68 points. */
  static Landmarks meanLandmarks(int size) {
    double[] xy = new double[136];
    for (int i = 0; i < 68; i++) {
      double a = 2 * Math.PI * i / 68;
      double r = 0.25 + 0.08 * ((i * 7) % 5) / 5.0;
      xy[2 * i] = size * (0.5 + r * Math.cos(a));
      xy[2 * i + 1] = size * (0.52 + 1.15 * r * Math.sin(a));
    }
    return Landmarks.of(xy);
  }

  static FaceImage texture(int size, Random r) {
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

  /** {@code n} faces of {@code size × size} with 2 backgrounds; landmarks jittered by ≤ 1.5 px. */
  static FaceSet faces(int n, int size, long seed) {
    Random r = new Random(seed);
    Landmarks mean = meanLandmarks(size);
    List<MorphFace> faces = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double[] xy = mean.toFlatArray();
      for (int j = 0; j < xy.length; j++) {
        xy[j] += 1.5 * (2 * r.nextDouble() - 1) * size / 64.0;
      }
      faces.add(new MorphFace("face-" + i, texture(size, r), Landmarks.of(xy)));
    }
    List<FaceImage> bgs = List.of(texture(size, r), texture(size, r));
    return FaceSet.of(faces, bgs, MeanShape.of(mean, n));
  }
}
