package io.github.facenorm.models.face3d;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Builder, model file, fitter and avatar files on a synthetic mesh with known modes. */
class MorphableModelTest {
  static final int ATLAS = 32;
  static FaceMesh mesh;
  static double[][] modes; // 3 known orthonormal deformations
  static final double[] SD = {0.6, 0.3, 0.15};
  static List<MorphableModelBuilder.Sample> samples;
  static MorphableModelBuilder.Result built;

  @BeforeAll
  static void build() {
    mesh = SyntheticMesh.create();
    int n = mesh.vertexCount();
    double[] v = mesh.vertices();
    modes = new double[3][3 * n];
    for (int i = 0; i < n; i++) {
      double x = v[3 * i];
      double y = v[3 * i + 1];
      // Jaw width (x) with a cheek bump (z); chin length (y); an eye shift (x) with a nose twist
      // (z).
      modes[0][3 * i] = 0.3 * x * Math.exp(-(y + 5) * (y + 5) / 10);
      modes[0][3 * i + 2] = Math.exp(-((x - 3) * (x - 3) + (y - 3) * (y - 3)) / 4);
      modes[1][3 * i + 1] = -Math.exp(-(y + 8) * (y + 8) / 8);
      modes[2][3 * i] = Math.exp(-((x - 3) * (x - 3) + (y - 3) * (y - 3)) / 4);
      modes[2][3 * i + 2] = Math.exp(-(x * x + y * y) / 2) * x;
    }
    gramSchmidt(modes);
    Random rnd = new Random(11);
    samples = new ArrayList<>();
    MorphableModelBuilder b = new MorphableModelBuilder(mesh, ATLAS, 0.995, 0.95, 10);
    for (int s = 0; s < 40; s++) {
      double[] shape = v.clone();
      for (int k = 0; k < 3; k++) {
        double a = rnd.nextGaussian() * SD[k];
        for (int i = 0; i < shape.length; i++) {
          shape[i] += a * modes[k][i];
        }
      }
      shape =
          Face3dMathTest.transform(
              shape,
              Face3dMathTest.rotation(
                  rnd.nextGaussian(), rnd.nextGaussian(), 1, 0.3 * rnd.nextGaussian()),
              0.5 + rnd.nextDouble(),
              new double[] {rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian()});
      float[] tex = new float[ATLAS * ATLAS * 3];
      double bright = rnd.nextDouble();
      for (int i = 0; i < tex.length; i++) {
        tex[i] = (float) (0.2 + 0.5 * bright + 0.01 * (i % 7));
      }
      samples.add(new MorphableModelBuilder.Sample("s" + s, shape, tex));
    }
    built = b.build(samples, Map.of("name", "synthetic"));
  }

  static void gramSchmidt(double[][] m) {
    for (int k = 0; k < m.length; k++) {
      for (int j = 0; j < k; j++) {
        double d = dot(m[k], m[j]);
        for (int i = 0; i < m[k].length; i++) {
          m[k][i] -= d * m[j][i];
        }
      }
      double norm = Math.sqrt(dot(m[k], m[k]));
      for (int i = 0; i < m[k].length; i++) {
        m[k][i] /= norm;
      }
    }
  }

  /** {@code mode} with the similarity tangents at {@code mean} projected out, unit norm. */
  static double[] withoutSimilarity(double[] mode, double[] mean) {
    int n = mean.length / 3;
    double[][] t = new double[7][3 * n];
    double[] c = new double[3];
    for (int i = 0; i < n; i++) {
      for (int a = 0; a < 3; a++) {
        c[a] += mean[3 * i + a] / n;
      }
    }
    for (int i = 0; i < n; i++) {
      double x = mean[3 * i] - c[0];
      double y = mean[3 * i + 1] - c[1];
      double z = mean[3 * i + 2] - c[2];
      for (int a = 0; a < 3; a++) {
        t[a][3 * i + a] = 1;
      }
      // rotations about x, y, z: omega x p
      t[3][3 * i + 1] = -z;
      t[3][3 * i + 2] = y;
      t[4][3 * i] = z;
      t[4][3 * i + 2] = -x;
      t[5][3 * i] = -y;
      t[5][3 * i + 1] = x;
      t[6][3 * i] = x;
      t[6][3 * i + 1] = y;
      t[6][3 * i + 2] = z;
    }
    double[][] all = new double[8][];
    System.arraycopy(t, 0, all, 0, 7);
    all[7] = mode.clone();
    gramSchmidt(all);
    return all[7];
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  @Test
  void threeKnownModesAreFoundAndCarryTheVariance() {
    MorphableModel m = built.model();
    assertThat(built.shapeCumulativeVariance()[2]).isGreaterThan(0.999);
    assertThat(m.shapeModes()).isBetween(3, 4);
    double[] basis = m.shapeBasis();
    int d = 3 * mesh.vertexCount();
    // Every true mode, less its part that Procrustes alignment removes (the similarity tangents
    // at the mean: 3 translations, 3 rotations, scale), lies in the span of the first three
    // learned modes.
    for (double[] raw : modes) {
      double[] mode = withoutSimilarity(raw, m.mean().vertices());
      double inSpan = 0;
      for (int k = 0; k < 3; k++) {
        double c = 0;
        for (int i = 0; i < d; i++) {
          c += basis[k * d + i] * mode[i];
        }
        inSpan += c * c;
      }
      assertThat(inSpan).isGreaterThan(0.99);
    }
    // Variances ordered like the true ones (0.36 : 0.09 : 0.0225), up to sampling.
    double[] var = m.shapeVariance();
    assertThat(var[0]).isGreaterThan(var[1]);
    assertThat(var[0]).isBetween(0.15, 0.7);
    // The mean is in the reference frame and scale: close to the undeformed mesh.
    assertThat(built.meanToCanonicalMillimetres()).isLessThan(2.0);
    assertThat(m.textureModes()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void leaveOneOutErrorVanishesWithTheTrueModes() {
    MorphableModelBuilder b = new MorphableModelBuilder(mesh, ATLAS, 0.995, 0.95, 10);
    MorphableModelBuilder.LeaveOneOut loo = b.leaveOneOut(samples.subList(0, 15), 0, 1, 3);
    assertThat(loo.rmsMillimetres()[0]).isGreaterThan(0.05);
    assertThat(loo.rmsMillimetres()[1]).isLessThan(loo.rmsMillimetres()[0]);
    assertThat(loo.rmsMillimetres()[2]).isLessThan(0.05 * loo.rmsMillimetres()[0]);
  }

  @Test
  void fileRoundTripAndBadFiles(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("m.f3dmm");
    built.model().write(f);
    MorphableModel r = MorphableModel.read(f);
    assertThat(r.shapeModes()).isEqualTo(built.model().shapeModes());
    assertThat(r.mean().triangles()).containsExactly(mesh.triangles());
    double[] a = built.model().shapeBasis();
    double[] b = r.shapeBasis();
    for (int i = 0; i < a.length; i++) {
      assertThat(b[i]).isCloseTo(a[i], within(1e-6));
    }
    assertThat(r.atlasMask()).containsExactly(built.model().atlasMask());
    assertThat(r.header()).containsEntry("name", "synthetic");
    assertThat(((Number) r.header().get("trainingFaces")).intValue()).isEqualTo(40);
    byte[] bytes = Files.readAllBytes(f);
    Files.write(f, java.util.Arrays.copyOf(bytes, bytes.length - 3));
    assertThatThrownBy(() -> MorphableModel.read(f)).isInstanceOf(IOException.class);
    Files.writeString(f, "not a model");
    assertThatThrownBy(() -> MorphableModel.read(f))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not a facenorm morphable model");
  }
}
