package io.github.facenorm.models.face3d;

import io.github.facenorm.core.FaceImage;
import io.github.facenorm.core.Landmarks;
import io.github.facenorm.models.face3d.internal.Raster;
import java.io.IOException;
import java.util.Objects;

/**
 * Warp-based frontalization after Hassner et al., CVPR 2015 ("Effective face frontalization in
 * unconstrained images"), the baseline of the paper's Fig. 8: one reference 3-D face for everybody,
 * a camera fitted from the photo's 68 landmarks to the reference's 3-D landmarks, and the frontal
 * view rendered by sampling the photo through the reference's depth, with soft symmetric fill where
 * the face is self-occluded in the photo.
 *
 * <p>Here the reference is MediaPipe's canonical face mesh (Apache-2.0) with its 68 iBUG points
 * {@link FaceMesh#ibug68()}, not Hassner's USF-derived head (unavailable); the camera is the
 * least-squares affine camera ({@link Camera#fitAffine}) instead of a perspective one. The frontal
 * view is orthographic ({@link #frontalCamera()}). Visibility of each frontal pixel in the photo: a
 * depth test against the reference rendered in the photo's camera, softened by how squarely the
 * surface faces that camera; the output is {@code w·I(p) + (1 - w)·(w'·I(p') + (1 - w')·I(p))} with
 * {@code p'} the mirrored pixel. Pixels the reference does not cover are black (see {@link
 * Result#mask()}).
 *
 * <p>Immutable and thread-safe.
 */
public final class WarpFrontalizer {

  /** Default output side in pixels. */
  public static final int DEFAULT_SIZE = 128;

  private static final double HALF_WIDTH_CM = 9.5;

  private final FaceMesh reference;
  private final int size;
  private final double[] landmarks3d;
  private final Raster frontal;
  private final double[] frontalPoints;
  private final double[] normals;

  /**
   * A frontalized face.
   *
   * @param image {@code [S, S, 3]} the frontal view
   * @param mask {@code [S, S]} true where the reference face covers the pixel
   * @param visibility {@code [S, S]} the soft visibility {@code w} of each pixel in the photo
   * @param camera the fitted camera (reference cm to photo pixels)
   */
  public record Result(FaceImage image, boolean[] mask, double[] visibility, Camera camera) {}

  /**
   * A frontalizer over a reference face.
   *
   * @param reference a 468-vertex MediaPipe-topology mesh, symmetric about {@code x = 0} (cm)
   * @param size output side, 16..2048
   */
  public WarpFrontalizer(FaceMesh reference, int size) {
    this.reference = Objects.requireNonNull(reference, "reference");
    if (reference.vertexCount() != FaceMesh.MEDIAPIPE_VERTICES) {
      throw new IllegalArgumentException(
          "reference: expected 468 vertices, got " + reference.vertexCount());
    }
    if (size < 16 || size > 2048) {
      throw new IllegalArgumentException("size: expected 16..2048, got " + size);
    }
    this.size = size;
    double[] v = reference.vertices();
    int[] map = FaceMesh.ibug68();
    landmarks3d = new double[3 * 68];
    for (int i = 0; i < 68; i++) {
      System.arraycopy(v, 3 * map[i], landmarks3d, 3 * i, 3);
    }
    Camera front = frontalCamera();
    double[] xy = front.project(v);
    double[] z = new double[v.length / 3];
    for (int i = 0; i < z.length; i++) {
      z[i] = v[3 * i + 2];
    }
    frontal = Raster.render(size, size, xy, z, reference.triangles());
    frontalPoints = new double[3 * size * size];
    double[] pt = new double[3];
    for (int p = 0; p < size * size; p++) {
      if (frontal.triangle[p] >= 0) {
        frontal.interpolate(p, reference.triangles(), v, 3, pt);
        System.arraycopy(pt, 0, frontalPoints, 3 * p, 3);
      }
    }
    normals = MorphableModelFitter.vertexNormals(v, reference.triangles());
  }

  /**
   * The frontalizer over MediaPipe's canonical mesh from the default cache, at {@value
   * #DEFAULT_SIZE} px.
   *
   * @return the frontalizer
   * @throws IOException if the fetched mesh is missing ({@code scripts/fetch-face3d.sh})
   */
  public static WarpFrontalizer create() throws IOException {
    return canonical(Face3dAssets.open());
  }

  /**
   * The frontalizer over MediaPipe's canonical mesh at {@value #DEFAULT_SIZE} px.
   *
   * @param assets the fetched assets ({@code scripts/fetch-face3d.sh})
   * @return the frontalizer
   * @throws IOException if the mesh cannot be read
   */
  public static WarpFrontalizer canonical(Face3dAssets assets) throws IOException {
    return new WarpFrontalizer(FaceMesh.canonical(assets), DEFAULT_SIZE);
  }

  /**
   * The camera of the frontal output view.
   *
   * @return orthographic, {@code x ∈ [-9.5, 9.5]} cm across the width, {@code x = 0} (the
   *     reference's plane of symmetry) on the centre column, the midpoint of brow (iBUG 19) and
   *     chin (iBUG 8) on the centre row
   */
  public Camera frontalCamera() {
    double s = size / (2 * HALF_WIDTH_CM);
    double yCentre = (landmarks3d[3 * 8 + 1] + landmarks3d[3 * 19 + 1]) / 2;
    return Camera.frontal(s, (size - 1) / 2.0, (size - 1) / 2.0 + s * yCentre);
  }

  /**
   * Frontalizes a face: the photo resampled into the reference's frontal view.
   *
   * @param photo the photo
   * @param landmarks its 68 iBUG landmarks (pixels of {@code photo})
   * @return the frontal view {@code [S, S, 3]}
   */
  public FaceImage frontalize(FaceImage photo, Landmarks landmarks) {
    return frontalizeWithDetails(photo, landmarks).image();
  }

  /**
   * Frontalizes a face and returns the mask, visibility and camera too.
   *
   * @param photo the photo
   * @param landmarks its 68 iBUG landmarks
   * @return the result
   */
  public Result frontalizeWithDetails(FaceImage photo, Landmarks landmarks) {
    Objects.requireNonNull(photo, "photo");
    Objects.requireNonNull(landmarks, "landmarks");
    Camera cam = Camera.fitAffine(landmarks3d, landmarks.toFlatArray());
    double[] v = reference.vertices();
    int n = reference.vertexCount();
    double[] towards = cam.towardsCamera();
    double[] xy = cam.project(v);
    double[] depth = new double[n];
    for (int i = 0; i < n; i++) {
      depth[i] = towards[0] * v[3 * i] + towards[1] * v[3 * i + 1] + towards[2] * v[3 * i + 2];
    }
    Raster view = Raster.render(photo.width(), photo.height(), xy, depth, reference.triangles());
    double[] facing = new double[n];
    for (int i = 0; i < n; i++) {
      facing[i] =
          normals[3 * i] * towards[0]
              + normals[3 * i + 1] * towards[1]
              + normals[3 * i + 2] * towards[2];
    }
    float[] src = photo.toArray();
    int s2 = size * size;
    float[] own = new float[3 * s2];
    double[] w = new double[s2];
    boolean[] mask = new boolean[s2];
    double[] pt = new double[3];
    double[] rgb = new double[3];
    double[] f = new double[1];
    double[] uv = new double[2];
    int[] tri = reference.triangles();
    for (int p = 0; p < s2; p++) {
      if (frontal.triangle[p] < 0) {
        continue;
      }
      mask[p] = true;
      System.arraycopy(frontalPoints, 3 * p, pt, 0, 3);
      double[] q = cam.project(pt);
      uv[0] = q[0];
      uv[1] = q[1];
      Raster.sample(src, photo.width(), photo.height(), uv[0], uv[1], rgb);
      for (int c = 0; c < 3; c++) {
        own[3 * p + c] = (float) rgb[c];
      }
      double d = towards[0] * pt[0] + towards[1] * pt[1] + towards[2] * pt[2];
      int px = (int) Math.round(uv[0]);
      int py = (int) Math.round(uv[1]);
      boolean inside = px >= 0 && py >= 0 && px < photo.width() && py < photo.height();
      boolean visible = inside && d >= view.depth[py * photo.width() + px] - 0.4;
      frontal.interpolate(p, tri, facing, 1, f);
      w[p] = visible ? MorphableModelFitter.smoothstep(0.0, 0.35, f[0]) : 0;
    }
    float[] out = new float[3 * s2];
    for (int row = 0; row < size; row++) {
      for (int col = 0; col < size; col++) {
        int p = row * size + col;
        if (!mask[p]) {
          continue;
        }
        int m = row * size + (size - 1 - col);
        double wm = mask[m] ? w[m] : 0;
        for (int c = 0; c < 3; c++) {
          double mirror = wm * own[3 * m + c] + (1 - wm) * own[3 * p + c];
          double val = w[p] * own[3 * p + c] + (1 - w[p]) * mirror;
          out[3 * p + c] = (float) Math.min(1, Math.max(0, val));
        }
      }
    }
    return new Result(FaceImage.of(size, size, out), mask, w, cam);
  }

  /**
   * The output side.
   *
   * @return S
   */
  public int size() {
    return size;
  }

  @Override
  public String toString() {
    return "WarpFrontalizer[" + reference + ", " + size + " px]";
  }
}
