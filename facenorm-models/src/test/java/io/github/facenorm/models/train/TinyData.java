package io.github.facenorm.models.train;

import io.github.facenorm.core.FaceImage;
import io.github.facenorm.core.Landmarks;
import io.github.facenorm.models.normalize.ModelConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Small synthetic photo records and a tiny model config for fast training tests. */
final class TinyData {

  /** A 16-px model: grid 4, two upsamplings. */
  static final ModelConfig TINY =
      new ModelConfig("tiny", 16, 6, 0.4, 8, 16, 4, new int[] {8, 8, 4});

  private TinyData() {}

  /**
   * Persons with smooth colour frames (a per-person gradient) and jittered landmarks.
   *
   * @param persons how many persons
   * @param photos photos per person
   * @param seed the seed
   * @return the records
   */
  static List<PhotoRecord> records(int persons, int photos, long seed) {
    Random r = new Random(seed);
    int s = TINY.frameSize();
    double[] base = new double[2 * Landmarks.COUNT];
    for (int i = 0; i < base.length; i++) {
      base[i] = 2 + r.nextDouble() * (s - 5);
    }
    List<PhotoRecord> out = new ArrayList<>();
    for (int p = 0; p < persons; p++) {
      float[] colour = {r.nextFloat(), r.nextFloat(), r.nextFloat()};
      float[] identity = new float[ModelConfig.INPUT_FEATURES];
      for (int k = 0; k < identity.length; k++) {
        identity[k] = (float) r.nextGaussian();
      }
      double[] personShape = base.clone();
      for (int i = 0; i < personShape.length; i++) {
        personShape[i] += r.nextGaussian() * 0.5;
      }
      for (int q = 0; q < photos; q++) {
        float[] px = new float[s * s * 3];
        for (int y = 0; y < s; y++) {
          for (int x = 0; x < s; x++) {
            for (int c = 0; c < 3; c++) {
              px[(y * s + x) * 3 + c] =
                  (float)
                      Math.min(
                          1,
                          Math.max(0, colour[c] * (0.5 + 0.5 * x / s) + 0.05 * r.nextGaussian()));
            }
          }
        }
        double[] xy = personShape.clone();
        for (int i = 0; i < xy.length; i++) {
          xy[i] += r.nextGaussian() * 0.2;
        }
        float[] f = identity.clone();
        for (int k = 0; k < f.length; k++) {
          f[k] += (float) (0.1 * r.nextGaussian());
        }
        out.add(
            new PhotoRecord(
                "set/p" + p,
                "p" + p + "/" + q + ".jpg",
                false,
                FaceImage.of(s, s, px),
                Landmarks.of(xy),
                0,
                true,
                true,
                true,
                f,
                new float[128]));
      }
    }
    return out;
  }

  static TrainingData data(int persons, int photos, int validationEvery) {
    return TrainingData.build(
        records(persons, photos, 7), new TrainingData.TargetRule(30, false, 3, validationEvery), 2);
  }
}
