package io.github.facenorm.models.face3d;

import io.github.facenorm.core.FaceImage;
import io.github.facenorm.core.Landmarks;
import io.github.facenorm.models.face3d.internal.Raster;
import io.github.facenorm.models.face3d.internal.SymmetricEigen;
import java.util.Objects;

/**
 * Fits a {@link MorphableModel}'s shape to a face's 68 iBUG landmarks and samples its texture into
 * the UV atlas: paper Sec. 7.3 / Fig. 13, on a normalized (front-facing) face.
 *
 * <p>Camera: frontal weak perspective ({@link Camera#frontal}): scale {@code s} and translation
 * only, which is what a normalized face is. Camera and shape coefficients together minimize {@code
 * Σ_i |P(S(α))_i - l_i|² + w s² Σ_k α_k² / λ_k}: {@code s²} times (the residual in cm² plus the
 * Tikhonov term weighted by 1/eigenvalue), {@code w} the assumed landmark noise variance in cm²
 * ({@value #DEFAULT_NOISE_VARIANCE} by default). With {@code β = s α} this is linear in {@code (s,
 * t, β)} and solved in one step.
 *
 * <p>Texture: the image sampled at the projected fitted vertices, through the UV atlas; texels
 * whose surface faces away from the camera or is hidden take the mirrored texel ({@code u → 1 - u})
 * when that one is visible, else the model's mean texture.
 */
public final class MorphableModelFitter {

  /** Default landmark noise variance {@code w}, cm² (about 2.2 mm standard deviation). */
  public static final double DEFAULT_NOISE_VARIANCE = 0.05;

  private final MorphableModel model;
  private final double noiseVariance;
  private final int[] vtx68 = FaceMesh.ibug68();

  /**
   * A fitted face.
   *
   * @param coefficients {@code [K]} shape coefficients (cm)
   * @param mesh the fitted mesh (cm, the model's topology and UVs)
   * @param camera the fitted camera
   * @param rmsPixels RMS landmark residual, pixels
   */
  public record Fit(double[] coefficients, FaceMesh mesh, Camera camera, double rmsPixels) {}

  /**
   * An avatar: a fitted mesh and its texture in the UV atlas.
   *
   * @param fit the shape fit
   * @param texture {@code [A, A, 3]} the atlas (row 0 = {@code v = 0})
   */
  public record Avatar(Fit fit, FaceImage texture) {}

  /**
   * A fitter with the default noise variance.
   *
   * @param model the model
   */
  public MorphableModelFitter(MorphableModel model) {
    this(model, DEFAULT_NOISE_VARIANCE);
  }

  /**
   * A fitter.
   *
   * @param model the model (MediaPipe topology: {@link FaceMesh#ibug68()} indexes it)
   * @param noiseVariance {@code w} in cm², ≥ 0 (0: plain least squares)
   */
  public MorphableModelFitter(MorphableModel model, double noiseVariance) {
    this.model = Objects.requireNonNull(model, "model");
    if (model.mean().vertexCount() != FaceMesh.MEDIAPIPE_VERTICES) {
      throw new IllegalArgumentException(
          "model: expected MediaPipe's 468 vertices, got " + model.mean().vertexCount());
    }
    if (!(noiseVariance >= 0) || Double.isInfinite(noiseVariance)) {
      throw new IllegalArgumentException("noiseVariance: expected >= 0, got " + noiseVariance);
    }
    this.noiseVariance = noiseVariance;
  }

  /**
   * Fits the shape to 68 landmarks.
   *
   * @param landmarks iBUG-68 landmarks in image pixels of a front-facing face
   * @return the fit
   */
  public Fit fit(Landmarks landmarks) {
    Objects.requireNonNull(landmarks, "landmarks");
    double[] l = landmarks.toFlatArray();
    int k = model.shapeModes();
    int d = 3 * FaceMesh.MEDIAPIPE_VERTICES;
    double[] basis = model.shapeBasis();
    double[] var = model.shapeVariance();
    double[] mean = model.mean().vertices();
    // Unknowns z = (s, tx, ty, beta = s alpha): u_i = s X_i + B^x_i beta + tx,
    // v_i = -s Y_i - B^y_i beta + ty, linear in z. Ridge w / lambda_k on beta.
    int m = 3 + k;
    double[] a = new double[m * m];
    double[] b = new double[m];
    double[] row = new double[m];
    for (int i = 0; i < 68; i++) {
      int v = vtx68[i];
      for (int axis = 0; axis < 2; axis++) {
        double sign = axis == 0 ? 1 : -1;
        java.util.Arrays.fill(row, 0);
        row[0] = sign * mean[3 * v + axis];
        row[1 + axis] = 1;
        for (int j = 0; j < k; j++) {
          row[3 + j] = sign * basis[j * d + 3 * v + axis];
        }
        double target = l[2 * i + axis];
        for (int p = 0; p < m; p++) {
          b[p] += row[p] * target;
          for (int q = 0; q < m; q++) {
            a[p * m + q] += row[p] * row[q];
          }
        }
      }
    }
    for (int j = 0; j < k; j++) {
      a[(3 + j) * m + 3 + j] += noiseVariance / var[j] + 1e-9;
    }
    double[] z = SymmetricEigen.solveSpd(a, b, m);
    double s = z[0];
    if (!(s > 0)) {
      throw new IllegalArgumentException(
          "landmarks: no upright frontal fit (scale " + s + "); are they iBUG-68 in image pixels?");
    }
    double[] alpha = new double[k];
    for (int j = 0; j < k; j++) {
      alpha[j] = z[3 + j] / s;
    }
    double[] shape = model.shape(alpha);
    Camera cam = Camera.frontal(s, z[1], z[2]);
    double[] proj = cam.project(landmarkPoints(shape));
    double ss = 0;
    for (int i = 0; i < 136; i++) {
      ss += (proj[i] - l[i]) * (proj[i] - l[i]);
    }
    return new Fit(alpha, model.mean().withVertices(shape), cam, Math.sqrt(ss / 68));
  }

  /**
   * Fits the shape and samples the image into a UV atlas.
   *
   * @param image the (normalized) face image
   * @param landmarks its 68 landmarks
   * @param atlasSize atlas side, 16..4096
   * @return the avatar
   */
  public Avatar avatar(FaceImage image, Landmarks landmarks, int atlasSize) {
    Objects.requireNonNull(image, "image");
    if (atlasSize < 16 || atlasSize > 4096) {
      throw new IllegalArgumentException("atlasSize: expected 16..4096, got " + atlasSize);
    }
    Fit fit = fit(landmarks);
    FaceMesh mesh = fit.mesh();
    double[] v = mesh.vertices();
    double[] xy = fit.camera().project(v);
    int n = mesh.vertexCount();
    int[] tri = mesh.triangles();
    // Visibility in the image: depth buffer of the fitted mesh, and the surface's facing.
    double[] towards = fit.camera().towardsCamera();
    double[] depth = new double[n];
    for (int i = 0; i < n; i++) {
      depth[i] = towards[0] * v[3 * i] + towards[1] * v[3 * i + 1] + towards[2] * v[3 * i + 2];
    }
    Raster view = Raster.render(image.width(), image.height(), xy, depth, tri);
    double[] normals = vertexNormals(v, tri);
    double[] vis = new double[n];
    for (int i = 0; i < n; i++) {
      double facing =
          normals[3 * i] * towards[0]
              + normals[3 * i + 1] * towards[1]
              + normals[3 * i + 2] * towards[2];
      int px = (int) Math.round(xy[2 * i]);
      int py = (int) Math.round(xy[2 * i + 1]);
      boolean inside = px >= 0 && py >= 0 && px < image.width() && py < image.height();
      boolean front =
          inside && depth[i] >= view.depth[py * image.width() + px] - 0.3; // 3 mm tolerance
      vis[i] = front ? smoothstep(0.0, 0.25, facing) : 0;
    }
    int a = atlasSize;
    Raster atlas = Raster.render(a, a, MorphableModelBuilder.atlasPixels(mesh, a), null, tri);
    float[] src = image.toArray();
    float[] own = new float[a * a * 3];
    double[] w = new double[a * a];
    double[] pos = new double[2];
    double[] one = new double[1];
    double[] rgb = new double[3];
    for (int p = 0; p < a * a; p++) {
      if (atlas.triangle[p] < 0) {
        continue;
      }
      atlas.interpolate(p, tri, xy, 2, pos);
      atlas.interpolate(p, tri, vis, 1, one);
      w[p] = one[0];
      Raster.sample(src, image.width(), image.height(), pos[0], pos[1], rgb);
      for (int c = 0; c < 3; c++) {
        own[3 * p + c] = (float) rgb[c];
      }
    }
    float[] meanTex = model.meanTexture();
    int ma = model.atlasSize();
    float[] out = new float[a * a * 3];
    for (int row = 0; row < a; row++) {
      for (int col = 0; col < a; col++) {
        int p = row * a + col;
        if (atlas.triangle[p] < 0) {
          continue;
        }
        int m = row * a + (a - 1 - col);
        double wm = atlas.triangle[m] >= 0 ? w[m] : 0;
        int mr = Math.min(ma - 1, row * ma / a);
        int mc = Math.min(ma - 1, col * ma / a);
        for (int c = 0; c < 3; c++) {
          double fill =
              wm > 0
                  ? (wm * own[3 * m + c] + (1 - wm) * meanTex[(mr * ma + mc) * 3 + c])
                  : meanTex[(mr * ma + mc) * 3 + c];
          double val = w[p] * own[3 * p + c] + (1 - w[p]) * fill;
          out[3 * p + c] = (float) Math.min(1, Math.max(0, val));
        }
      }
    }
    return new Avatar(fit, FaceImage.of(a, a, out));
  }

  private double[] landmarkPoints(double[] shape) {
    double[] out = new double[3 * 68];
    for (int i = 0; i < 68; i++) {
      System.arraycopy(shape, 3 * vtx68[i], out, 3 * i, 3);
    }
    return out;
  }

  /** Area-weighted unit vertex normals of a mesh, {@code [N, 3]}, outward for CCW-from-front. */
  static double[] vertexNormals(double[] v, int[] tri) {
    double[] nrm = new double[v.length];
    for (int t = 0; t < tri.length; t += 3) {
      int a = tri[t];
      int b = tri[t + 1];
      int c = tri[t + 2];
      double ux = v[3 * b] - v[3 * a];
      double uy = v[3 * b + 1] - v[3 * a + 1];
      double uz = v[3 * b + 2] - v[3 * a + 2];
      double wx = v[3 * c] - v[3 * a];
      double wy = v[3 * c + 1] - v[3 * a + 1];
      double wz = v[3 * c + 2] - v[3 * a + 2];
      double nx = uy * wz - uz * wy;
      double ny = uz * wx - ux * wz;
      double nz = ux * wy - uy * wx;
      for (int i : new int[] {a, b, c}) {
        nrm[3 * i] += nx;
        nrm[3 * i + 1] += ny;
        nrm[3 * i + 2] += nz;
      }
    }
    for (int i = 0; i < v.length / 3; i++) {
      double l =
          Math.sqrt(
              nrm[3 * i] * nrm[3 * i]
                  + nrm[3 * i + 1] * nrm[3 * i + 1]
                  + nrm[3 * i + 2] * nrm[3 * i + 2]);
      if (l > 0) {
        nrm[3 * i] /= l;
        nrm[3 * i + 1] /= l;
        nrm[3 * i + 2] /= l;
      }
    }
    return nrm;
  }

  static double smoothstep(double e0, double e1, double x) {
    double t = Math.min(1, Math.max(0, (x - e0) / (e1 - e0)));
    return t * t * (3 - 2 * t);
  }
}
