package io.github.facenorm.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NeighbourTableTest {

  static float[][] random(int n, int dim, long seed, float scale) {
    Random r = new Random(seed);
    float[][] v = new float[n][dim];
    for (float[] row : v) {
      for (int i = 0; i < dim; i++) {
        row[i] = r.nextFloat() * scale;
      }
    }
    return v;
  }

  /** The obvious way: every distance on its own, a full sort per face. */
  static int[][] bruteForce(float[][] l, float[][] t, int k, double lambda) {
    int n = l.length;
    int[][] out = new int[n][];
    for (int i = 0; i < n; i++) {
      final int a = i;
      double[] d = new double[n];
      for (int j = 0; j < n; j++) {
        double sl = 0;
        for (int q = l[a].length - 1; q >= 0; q--) {
          sl += Math.pow((double) l[a][q] - l[j][q], 2);
        }
        double st = 0;
        for (int q = t[a].length - 1; q >= 0; q--) {
          st += Math.pow((double) t[a][q] - t[j][q], 2);
        }
        d[j] = lambda * Math.sqrt(sl) + Math.sqrt(st);
      }
      out[i] =
          IntStream.range(0, n)
              .filter(j -> j != a)
              .boxed()
              .sorted(Comparator.comparingDouble((Integer j) -> d[j]).thenComparing(j -> j))
              .limit(k)
              .mapToInt(Integer::intValue)
              .toArray();
    }
    return out;
  }

  @ParameterizedTest
  @CsvSource({"40, 7, 10, 1", "40, 7, 10, 3", "25, 200, 10, 2", "9, 3, 0, 2", "60, 60, 0.5, 4"})
  void equalsBruteForce(int n, int k, double lambda, int threads) {
    float[][] l = random(n, 136, n, 100f);
    float[][] t = random(n, 3 * 8 * 8, n + 1L, 1f);
    NeighbourTable table = NeighbourTable.compute(l, t, k, lambda, threads);
    NeighbourTable direct = NeighbourTable.computeDirect(l, t, k, lambda, threads);
    int[][] ref = bruteForce(l, t, Math.min(k, n - 1), lambda);
    assertThat(table.k()).isEqualTo(Math.min(k, n - 1));
    for (int i = 0; i < n; i++) {
      assertThat(table.neighbours(i)).as("face %d", i).containsExactly(ref[i]);
      assertThat(direct.neighbours(i)).as("face %d, direct", i).containsExactly(ref[i]);
      assertThat(table.neighbours(i)).doesNotContain(i);
      for (int r = 1; r < table.k(); r++) {
        assertThat(table.distance(i, r)).isGreaterThanOrEqualTo(table.distance(i, r - 1));
      }
    }
    // The distance is the paper's: λ‖ΔL‖ + ‖ΔT‖.
    int j = table.neighbour(0, 0);
    double sl = 0;
    double st = 0;
    for (int q = 0; q < 136; q++) {
      sl += Math.pow((double) l[0][q] - l[j][q], 2);
    }
    for (int q = 0; q < t[0].length; q++) {
      st += Math.pow((double) t[0][q] - t[j][q], 2);
    }
    assertThat(table.distance(0, 0))
        .isCloseTo(lambda * Math.sqrt(sl) + Math.sqrt(st), within(1e-9));
  }

  @Test
  void nearTiesAreSettledByDirectMeasurement() {
    // Faces on a sphere around face 0 whose distances to it differ by ~1e-9 relative, far below
    // the Gram matrix's rounding bound at this size: only direct measurement can order them.
    int n = 30;
    int dim = 3 * 48 * 48;
    float[][] l = new float[n][136];
    float[][] t = new float[n][dim];
    Random r = new Random(5);
    for (int i = 0; i < dim; i++) {
      t[0][i] = 0.5f;
    }
    for (int f = 1; f < n; f++) {
      System.arraycopy(t[0], 0, t[f], 0, dim);
      // Move 100 + f pixel values by 1/128 (exact in float): distance² = (100 + f) / 128².
      int moved = 0;
      for (int i = r.nextInt(dim); moved < 100 + (n - f) % 7; i = (i + 97) % dim) {
        if (t[f][i] == 0.5f) {
          t[f][i] += (moved % 2 == 0 ? 1 : -1) / 128f;
          moved++;
        }
      }
    }
    NeighbourTable table = NeighbourTable.compute(l, t, 10, 10, 2);
    int[][] ref = bruteForce(l, t, 10, 10);
    for (int i = 0; i < n; i++) {
      assertThat(table.neighbours(i)).as("face %d", i).containsExactly(ref[i]);
    }
  }

  @Test
  void tiesAreBrokenByIndexWhateverTheThreads() {
    // Four identical faces and one far away: the three others tie at distance 0.
    float[][] l = new float[5][136];
    float[][] t = new float[5][12];
    l[4][0] = 50;
    NeighbourTable one = NeighbourTable.compute(l, t, 3, 10, 1);
    NeighbourTable many = NeighbourTable.compute(l, t, 3, 10, 4);
    assertThat(one.neighbours(2)).containsExactly(0, 1, 3);
    for (int i = 0; i < 5; i++) {
      assertThat(many.neighbours(i)).containsExactly(one.neighbours(i));
    }
  }

  @Test
  void cacheReturnsTheSameTableAndIsKeyedByContent(@TempDir Path dir) throws IOException {
    FaceSet faces = SyntheticSets.faces(12, 16, 3);
    NeighbourTable a = NeighbourTable.computeCached(faces, 5, 10, 2, dir);
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.toList();
    }
    assertThat(files).hasSize(1);
    NeighbourTable b = NeighbourTable.computeCached(faces, 5, 10, 1, dir);
    for (int i = 0; i < faces.size(); i++) {
      assertThat(b.neighbours(i)).containsExactly(a.neighbours(i));
    }
    assertThat(NeighbourTable.compute(faces, 5, 10, 1).neighbours(3))
        .containsExactly(a.neighbours(3));
    // Other parameters or other faces: another cache entry.
    NeighbourTable.computeCached(faces, 4, 10, 1, dir);
    NeighbourTable.computeCached(SyntheticSets.faces(12, 16, 4), 5, 10, 1, dir);
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(s.count()).isEqualTo(3);
    }
    // A damaged cache file is reported, not trusted.
    Path f = files.get(0);
    byte[] bytes = Files.readAllBytes(f);
    Files.write(f, java.util.Arrays.copyOf(bytes, bytes.length - 9));
    assertThatThrownBy(() -> NeighbourTable.computeCached(faces, 5, 10, 1, dir))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(f.getFileName().toString());
  }

  @Test
  void badArgumentsAreNamed() {
    float[][] l = random(3, 4, 1, 1);
    float[][] t = random(3, 4, 2, 1);
    assertThatThrownBy(() -> NeighbourTable.compute(l, t, 0, 10, 1)).hasMessageContaining("k:");
    assertThatThrownBy(() -> NeighbourTable.compute(l, t, 2, -1, 1)).hasMessageContaining("lambda");
    assertThatThrownBy(() -> NeighbourTable.compute(l, random(2, 4, 2, 1), 2, 10, 1))
        .hasMessageContaining("textures");
    assertThatThrownBy(
            () -> NeighbourTable.compute(random(1, 4, 1, 1), random(1, 4, 1, 1), 2, 1, 1))
        .hasMessageContaining("at least 2");
  }
}
