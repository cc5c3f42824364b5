package io.github.facenorm.models.face3d;

import io.github.facenorm.core.FaceImage;
import io.github.facenorm.models.face3d.internal.Procrustes;
import io.github.facenorm.models.face3d.internal.Raster;
import io.github.facenorm.models.face3d.internal.SymmetricEigen;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds a {@link MorphableModel} from face-mesh fits of photos: each face's 468 points are put
 * into the canonical mesh's frame by generalized Procrustes (similarity, scale fixed by the
 * canonical mesh, centimetres), the shape basis is the PCA of the aligned shapes (modes kept to a
 * fraction of the variance, 99.5 % by default), and the texture basis the PCA of each photo
 * unwrapped into the canonical UV atlas (95 % by default, at most 20 modes).
 *
 * <p>Face-mesh points ({@link FaceMeshNet.Prediction}, pixels, {@code y} down, {@code z} negative
 * towards the camera) enter the model frame as {@code (x, -y, -z)}: a rotation, not a reflection.
 */
public final class MorphableModelBuilder {

  /** One training face: its shape and its unwrapped texture. */
  public record Sample(String id, double[] shape, float[] texture) {
    /** Checks the parts are present. */
    public Sample {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(shape, "shape");
      Objects.requireNonNull(texture, "texture");
    }
  }

  /**
   * Leave-one-out reconstruction error: each face reconstructed by a model built without it.
   *
   * @param modes the number of modes of each column ({@code 0} = mean only)
   * @param rmsMillimetres the mean over faces of the per-vertex RMS 3-D error, in mm
   */
  public record LeaveOneOut(int[] modes, double[] rmsMillimetres) {}

  /**
   * The built model and its numbers.
   *
   * @param model the model
   * @param shapeCumulativeVariance cumulative fraction of shape variance for 1..n-1 modes
   * @param textureCumulativeVariance cumulative fraction of texture variance for 1..n-1 modes
   * @param meanToCanonicalMillimetres RMS distance of the mean shape to the canonical mesh, mm
   */
  public record Result(
      MorphableModel model,
      double[] shapeCumulativeVariance,
      double[] textureCumulativeVariance,
      double meanToCanonicalMillimetres) {}

  private final FaceMesh canonical;
  private final int atlasSize;
  private final double shapeKept;
  private final double textureKept;
  private final int maxTextureModes;

  /**
   * A builder with the defaults: 64² atlas, 99.5 % shape variance, 95 % texture variance, at most
   * 20 texture modes.
   *
   * @param canonical the reference mesh (topology, UV, frame and scale)
   */
  public MorphableModelBuilder(FaceMesh canonical) {
    this(canonical, 64, 0.995, 0.95, 20);
  }

  /**
   * A builder.
   *
   * @param canonical the reference mesh
   * @param atlasSize UV atlas side {@code A}, 8..1024
   * @param shapeKept fraction of shape variance to keep, in (0, 1]
   * @param textureKept fraction of texture variance to keep, in (0, 1]
   * @param maxTextureModes cap on texture modes, ≥ 0
   */
  public MorphableModelBuilder(
      FaceMesh canonical,
      int atlasSize,
      double shapeKept,
      double textureKept,
      int maxTextureModes) {
    this.canonical = Objects.requireNonNull(canonical, "canonical");
    if (atlasSize < 8 || atlasSize > 1024) {
      throw new IllegalArgumentException("atlasSize: expected 8..1024, got " + atlasSize);
    }
    if (!(shapeKept > 0 && shapeKept <= 1) || !(textureKept > 0 && textureKept <= 1)) {
      throw new IllegalArgumentException(
          "kept variance: expected (0, 1], got " + shapeKept + ", " + textureKept);
    }
    if (maxTextureModes < 0) {
      throw new IllegalArgumentException("maxTextureModes: negative " + maxTextureModes);
    }
    this.atlasSize = atlasSize;
    this.shapeKept = shapeKept;
    this.textureKept = textureKept;
    this.maxTextureModes = maxTextureModes;
  }

  /**
   * A training face from a photo and its face-mesh fit. The texture is unwrapped without a
   * visibility test: meant for front-facing photos such as FRL London's.
   *
   * @param id a name for reports
   * @param photo the photo
   * @param mesh the face-mesh fit on that photo (photo pixels)
   * @return the sample: shape in the model's axes (not yet aligned), texture unwrapped
   */
  public Sample sample(String id, FaceImage photo, FaceMeshNet.Prediction mesh) {
    double[] p = mesh.points();
    double[] shape = new double[p.length];
    double[] xy = new double[2 * (p.length / 3)];
    for (int i = 0; i < p.length / 3; i++) {
      shape[3 * i] = p[3 * i];
      shape[3 * i + 1] = -p[3 * i + 1];
      shape[3 * i + 2] = -p[3 * i + 2];
      xy[2 * i] = p[3 * i];
      xy[2 * i + 1] = p[3 * i + 1];
    }
    return new Sample(id, shape, unwrap(canonical, atlasSize, photo, xy));
  }

  /**
   * Samples a photo into a mesh's UV atlas through the image positions of its vertices.
   *
   * @param mesh topology and UVs
   * @param size atlas side {@code A}
   * @param photo the photo
   * @param imageXy {@code [N, 2]} the vertices' photo positions (pixels)
   * @return {@code [A, A, 3]} RGB; texels the mesh does not cover are 0
   */
  public static float[] unwrap(FaceMesh mesh, int size, FaceImage photo, double[] imageXy) {
    Raster r = Raster.render(size, size, atlasPixels(mesh, size), null, mesh.triangles());
    int[] tri = mesh.triangles();
    float[] src = photo.toArray();
    float[] out = new float[size * size * 3];
    double[] pos = new double[2];
    double[] rgb = new double[3];
    for (int p = 0; p < size * size; p++) {
      if (r.triangle[p] < 0) {
        continue;
      }
      r.interpolate(p, tri, imageXy, 2, pos);
      Raster.sample(src, photo.width(), photo.height(), pos[0], pos[1], rgb);
      for (int c = 0; c < 3; c++) {
        out[3 * p + c] = (float) rgb[c];
      }
    }
    return out;
  }

  /** The mesh's UVs as atlas pixel positions ({@code u A - 0.5, v A - 0.5}), {@code [N, 2]}. */
  static double[] atlasPixels(FaceMesh mesh, int size) {
    double[] uv = mesh.uv();
    double[] xy = new double[uv.length];
    for (int i = 0; i < uv.length; i++) {
      xy[i] = uv[i] * size - 0.5;
    }
    return xy;
  }

  /**
   * Which atlas texels a mesh covers.
   *
   * @param mesh topology and UVs
   * @param size atlas side
   * @return {@code [A, A]}
   */
  public static boolean[] atlasMask(FaceMesh mesh, int size) {
    Raster r = Raster.render(size, size, atlasPixels(mesh, size), null, mesh.triangles());
    boolean[] m = new boolean[size * size];
    for (int p = 0; p < m.length; p++) {
      m[p] = r.triangle[p] >= 0;
    }
    return m;
  }

  /**
   * Builds the model.
   *
   * @param samples at least 3 faces
   * @param header provenance and other metadata to store (the builder adds its numbers)
   * @return the model and its variance tables
   */
  public Result build(List<Sample> samples, Map<String, Object> header) {
    int n = samples.size();
    if (n < 3) {
      throw new IllegalArgumentException("samples: need at least 3 faces, got " + n);
    }
    int d = 3 * canonical.vertexCount();
    int t = 3 * atlasSize * atlasSize;
    List<double[]> shapes = new ArrayList<>();
    for (Sample s : samples) {
      if (s.shape().length != d || s.texture().length != t) {
        throw new IllegalArgumentException(
            "samples: "
                + s.id()
                + " has "
                + s.shape().length
                + " shape / "
                + s.texture().length
                + " texture values, expected "
                + d
                + " / "
                + t);
      }
      shapes.add(s.shape());
    }
    double[][] aligned = generalizedProcrustes(shapes, canonical.vertices());
    double[] mean = meanOf(aligned);
    Pca shape = Pca.of(aligned, mean);
    int k = shape.modesFor(shapeKept);

    double[][] tex = new double[n][];
    for (int i = 0; i < n; i++) {
      float[] f = samples.get(i).texture();
      tex[i] = new double[t];
      for (int j = 0; j < t; j++) {
        tex[i][j] = f[j];
      }
    }
    double[] meanTex = meanOf(tex);
    Pca texture = Pca.of(tex, meanTex);
    int kt = Math.min(maxTextureModes, texture.modesFor(textureKept));

    double rms = 0;
    double[] c = canonical.vertices();
    for (int i = 0; i < d; i++) {
      rms += (mean[i] - c[i]) * (mean[i] - c[i]);
    }
    double meanToCanonicalMm = 10 * Math.sqrt(rms / canonical.vertexCount());

    Map<String, Object> h = new LinkedHashMap<>(header);
    h.put("trainingFaces", n);
    h.put("shapeVarianceKept", shapeKept);
    h.put("shapeCumulativeVariance", shape.cumulative());
    h.put("textureVarianceKept", textureKept);
    h.put("textureCumulativeVariance", texture.cumulative());
    h.put("meanToCanonicalMillimetres", meanToCanonicalMm);
    float[] meanTexF = new float[t];
    for (int j = 0; j < t; j++) {
      meanTexF[j] = (float) meanTex[j];
    }
    double[] texBasisD = texture.basis(kt);
    float[] texBasis = new float[texBasisD.length];
    for (int j = 0; j < texBasis.length; j++) {
      texBasis[j] = (float) texBasisD[j];
    }
    MorphableModel model =
        new MorphableModel(
            canonical.withVertices(mean),
            shape.basis(k),
            java.util.Arrays.copyOf(shape.values, k),
            atlasSize,
            atlasMask(canonical, atlasSize),
            meanTexF,
            texBasis,
            java.util.Arrays.copyOf(texture.values, kt),
            h);
    return new Result(model, shape.cumulative(), texture.cumulative(), meanToCanonicalMm);
  }

  /**
   * Leave-one-out shape reconstruction: for each face, the model of the others (Procrustes mean and
   * PCA), the face aligned to that mean, projected on the first {@code k} modes.
   *
   * @param samples the faces
   * @param modes the mode counts to report ({@code 0}: the mean alone)
   * @return mean per-vertex RMS error in mm for each count
   */
  public LeaveOneOut leaveOneOut(List<Sample> samples, int... modes) {
    int n = samples.size();
    int d = 3 * canonical.vertexCount();
    double[] sum = new double[modes.length];
    for (int out = 0; out < n; out++) {
      List<double[]> rest = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        if (i != out) {
          rest.add(samples.get(i).shape());
        }
      }
      double[][] aligned = generalizedProcrustes(rest, canonical.vertices());
      double[] mean = meanOf(aligned);
      Pca pca = Pca.of(aligned, mean);
      double[] x = Procrustes.align(samples.get(out).shape(), mean);
      double[] r = new double[d];
      for (int i = 0; i < d; i++) {
        r[i] = x[i] - mean[i];
      }
      for (int m = 0; m < modes.length; m++) {
        int k = Math.min(modes[m], pca.values.length);
        double[] basis = pca.basis(k);
        double[] e = r.clone();
        for (int j = 0; j < k; j++) {
          double dot = 0;
          for (int i = 0; i < d; i++) {
            dot += basis[j * d + i] * r[i];
          }
          for (int i = 0; i < d; i++) {
            e[i] -= dot * basis[j * d + i];
          }
        }
        double ss = 0;
        for (double v : e) {
          ss += v * v;
        }
        sum[m] += 10 * Math.sqrt(ss / canonical.vertexCount());
      }
    }
    for (int m = 0; m < modes.length; m++) {
      sum[m] /= n;
    }
    return new LeaveOneOut(modes.clone(), sum);
  }

  /**
   * Generalized Procrustes analysis onto a reference frame: every shape aligned (similarity) to the
   * current mean, the mean itself aligned to the reference, until the mean settles.
   *
   * @param shapes {@code [N, 3]} each
   * @param reference {@code [N, 3]} the frame and scale of the result
   * @return the aligned shapes
   */
  static double[][] generalizedProcrustes(List<double[]> shapes, double[] reference) {
    int n = shapes.size();
    double[][] aligned = new double[n][];
    double[] target = reference;
    for (int iter = 0; iter < 20; iter++) {
      for (int i = 0; i < n; i++) {
        aligned[i] = Procrustes.align(shapes.get(i), target);
      }
      double[] mean = Procrustes.align(meanOf(aligned), reference);
      double change = 0;
      for (int i = 0; i < mean.length; i++) {
        change = Math.max(change, Math.abs(mean[i] - target[i]));
      }
      target = mean;
      if (iter > 0 && change < 1e-7) {
        break;
      }
    }
    for (int i = 0; i < n; i++) {
      aligned[i] = Procrustes.align(shapes.get(i), target);
    }
    return aligned;
  }

  static double[] meanOf(double[][] rows) {
    double[] m = new double[rows[0].length];
    for (double[] r : rows) {
      for (int i = 0; i < m.length; i++) {
        m[i] += r[i] / rows.length;
      }
    }
    return m;
  }

  /** PCA through the Gram matrix (few samples, many dimensions). */
  static final class Pca {
    final double[] values;
    final double[] gramVectors;
    final double[][] centred;
    final int n;

    private Pca(double[] values, double[] gramVectors, double[][] centred) {
      this.values = values;
      this.gramVectors = gramVectors;
      this.centred = centred;
      this.n = centred.length;
    }

    static Pca of(double[][] rows, double[] mean) {
      int n = rows.length;
      int d = mean.length;
      double[][] x = new double[n][d];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < d; j++) {
          x[i][j] = rows[i][j] - mean[j];
        }
      }
      double[] g = new double[n * n];
      for (int i = 0; i < n; i++) {
        for (int j = i; j < n; j++) {
          double s = 0;
          for (int k = 0; k < d; k++) {
            s += x[i][k] * x[j][k];
          }
          g[i * n + j] = s / (n - 1);
          g[j * n + i] = s / (n - 1);
        }
      }
      double[] vec = new double[n * n];
      double[] val = SymmetricEigen.decompose(g, n, vec);
      // n centred rows span at most n - 1 dimensions: the last value is zero.
      int rank = 0;
      while (rank < n - 1 && val[rank] > 1e-12 * Math.max(val[0], 1e-300)) {
        rank++;
      }
      return new Pca(java.util.Arrays.copyOf(val, rank), vec, x);
    }

    int modesFor(double fraction) {
      double[] c = cumulative();
      for (int k = 0; k < c.length; k++) {
        if (c[k] >= fraction - 1e-12) {
          return k + 1;
        }
      }
      return c.length;
    }

    double[] cumulative() {
      double total = 0;
      for (double v : values) {
        total += v;
      }
      double[] c = new double[values.length];
      double s = 0;
      for (int k = 0; k < values.length; k++) {
        s += values[k];
        c[k] = s / total;
      }
      return c;
    }

    /** The first {@code k} unit principal directions, {@code [k, d]}. */
    double[] basis(int k) {
      int d = centred[0].length;
      double[] b = new double[k * d];
      for (int j = 0; j < k; j++) {
        double norm = Math.sqrt((n - 1) * values[j]);
        for (int i = 0; i < n; i++) {
          double w = gramVectors[i * n + j] / norm;
          for (int q = 0; q < d; q++) {
            b[j * d + q] += w * centred[i][q];
          }
        }
        // Sign convention: the largest-magnitude component positive (reproducible files).
        int arg = 0;
        for (int q = 1; q < d; q++) {
          if (Math.abs(b[j * d + q]) > Math.abs(b[j * d + arg])) {
            arg = q;
          }
        }
        if (b[j * d + arg] < 0) {
          for (int q = 0; q < d; q++) {
            b[j * d + q] = -b[j * d + q];
          }
        }
      }
      return b;
    }
  }
}
