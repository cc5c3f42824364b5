package io.github.facenorm.models.face3d;

/**
 * A synthetic 468-vertex mesh for tests that must not read the fetched assets: an 18 × 26 grid over
 * {@code x ∈ [-8.5, 8.5]}, {@code y ∈ [-10, 10]} cm, bulging towards the viewer like a face ({@code
 * z = 6 exp(-(x² / 40 + y² / 80))} plus a nose bump), symmetric about {@code x = 0}; triangles
 * counter-clockwise from the front; UV = the grid position ({@code v = 0} at the top).
 */
final class SyntheticMesh {
  static final int COLS = 18;
  static final int ROWS = 26;

  private SyntheticMesh() {}

  static FaceMesh create() {
    double[] v = new double[3 * COLS * ROWS];
    double[] uv = new double[2 * COLS * ROWS];
    for (int r = 0; r < ROWS; r++) {
      for (int c = 0; c < COLS; c++) {
        int i = r * COLS + c;
        double x = -8.5 + c;
        double y = 10 - 20.0 * r / (ROWS - 1);
        double z = 6 * Math.exp(-(x * x / 40 + y * y / 80)) + 1.5 * Math.exp(-(x * x + y * y));
        v[3 * i] = x;
        v[3 * i + 1] = y;
        v[3 * i + 2] = z;
        uv[2 * i] = (c + 0.5) / COLS;
        uv[2 * i + 1] = (r + 0.5) / ROWS;
      }
    }
    int[] t = new int[6 * (COLS - 1) * (ROWS - 1)];
    int k = 0;
    for (int r = 0; r < ROWS - 1; r++) {
      for (int c = 0; c < COLS - 1; c++) {
        int a = r * COLS + c; // top left
        int b = a + 1; // top right
        int d = a + COLS; // bottom left
        int e = d + 1; // bottom right
        // Counter-clockwise seen from +z with y up: a (top left) -> d (bottom left) -> e.
        t[k++] = a;
        t[k++] = d;
        t[k++] = e;
        t[k++] = a;
        t[k++] = e;
        t[k++] = b;
      }
    }
    return new FaceMesh(v, uv, t);
  }
}
