package io.github.facenorm.models.face3d;

import io.github.facenorm.core.FaceImage;
import io.github.facenorm.core.internal.AtomicFiles;
import io.github.facenorm.models.face3d.internal.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Writes a textured mesh as Wavefront OBJ + MTL + PNG texture, and renders headless previews of it
 * (orthographic, depth-buffered, texture times Lambert shading).
 */
public final class AvatarFiles {
  private AvatarFiles() {}

  /**
   * Writes {@code <dir>/<name>.obj}, {@code <name>.mtl} and {@code <name>.png}, each atomically.
   * OBJ vertices are the mesh's (cm; {@code y} up, {@code z} towards the viewer), {@code vt} is
   * {@code (u, 1 - v)} (OBJ's {@code v} points up), faces are counter-clockwise from the front.
   *
   * @param mesh the mesh
   * @param texture its UV atlas
   * @param dir the output folder (created if missing)
   * @param name the base name ({@code [A-Za-z0-9._-]+})
   * @return the three files written: obj, mtl, png
   * @throws IOException if writing fails
   */
  public static List<Path> write(FaceMesh mesh, FaceImage texture, Path dir, String name)
      throws IOException {
    Objects.requireNonNull(mesh, "mesh");
    Objects.requireNonNull(texture, "texture");
    if (name == null || !name.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException("name: expected [A-Za-z0-9._-]+, got " + name);
    }
    Files.createDirectories(dir);
    Path obj = dir.resolve(name + ".obj");
    Path mtl = dir.resolve(name + ".mtl");
    Path png = dir.resolve(name + ".png");
    texture.write(png);
    AtomicFiles.writeString(
        mtl,
        "# facenorm avatar material\nnewmtl face\nKa 1 1 1\nKd 1 1 1\nKs 0 0 0\nillum 1\nmap_Kd "
            + name
            + ".png\n");
    double[] v = mesh.vertices();
    double[] uv = mesh.uv();
    int[] t = mesh.triangles();
    StringBuilder sb = new StringBuilder(64 * (v.length + t.length));
    sb.append("# facenorm avatar: ")
        .append(mesh.vertexCount())
        .append(" vertices, ")
        .append(mesh.triangleCount())
        .append(" triangles, centimetres\n");
    sb.append("mtllib ").append(name).append(".mtl\n");
    for (int i = 0; i < v.length; i += 3) {
      sb.append(String.format(Locale.ROOT, "v %.5f %.5f %.5f%n", v[i], v[i + 1], v[i + 2]));
    }
    for (int i = 0; i < uv.length; i += 2) {
      sb.append(String.format(Locale.ROOT, "vt %.6f %.6f%n", uv[i], 1 - uv[i + 1]));
    }
    sb.append("usemtl face\n");
    for (int i = 0; i < t.length; i += 3) {
      int a = t[i] + 1;
      int b = t[i + 1] + 1;
      int c = t[i + 2] + 1;
      sb.append("f ")
          .append(a)
          .append('/')
          .append(a)
          .append(' ')
          .append(b)
          .append('/')
          .append(b)
          .append(' ')
          .append(c)
          .append('/')
          .append(c)
          .append('\n');
    }
    AtomicFiles.writeString(obj, sb.toString());
    return List.of(obj, mtl, png);
  }

  /**
   * Renders a textured mesh: rotated by {@code yaw} about the vertical axis, orthographic, the
   * mesh's bounding box filling 90 % of the view, light from the upper left front, on grey.
   *
   * @param mesh the mesh (model frame)
   * @param texture its UV atlas
   * @param size output side in pixels
   * @param yawDegrees rotation about {@code y} (positive: the face turns to its left)
   * @return the rendering {@code [size, size, 3]}
   */
  public static FaceImage render(FaceMesh mesh, FaceImage texture, int size, double yawDegrees) {
    if (size < 8 || size > 8192) {
      throw new IllegalArgumentException("size: expected 8..8192, got " + size);
    }
    double[] v = mesh.vertices();
    int n = mesh.vertexCount();
    double c = Math.cos(Math.toRadians(yawDegrees));
    double s = Math.sin(Math.toRadians(yawDegrees));
    double[] r = new double[v.length];
    double minX = Double.MAX_VALUE;
    double maxX = -Double.MAX_VALUE;
    double minY = Double.MAX_VALUE;
    double maxY = -Double.MAX_VALUE;
    for (int i = 0; i < n; i++) {
      double x = v[3 * i];
      double z = v[3 * i + 2];
      r[3 * i] = c * x + s * z;
      r[3 * i + 1] = v[3 * i + 1];
      r[3 * i + 2] = -s * x + c * z;
      minX = Math.min(minX, r[3 * i]);
      maxX = Math.max(maxX, r[3 * i]);
      minY = Math.min(minY, r[3 * i + 1]);
      maxY = Math.max(maxY, r[3 * i + 1]);
    }
    double scale = 0.9 * size / Math.max(maxX - minX, maxY - minY);
    double cx = (minX + maxX) / 2;
    double cy = (minY + maxY) / 2;
    double[] xy = new double[2 * n];
    double[] depth = new double[n];
    for (int i = 0; i < n; i++) {
      xy[2 * i] = (size - 1) / 2.0 + scale * (r[3 * i] - cx);
      xy[2 * i + 1] = (size - 1) / 2.0 - scale * (r[3 * i + 1] - cy);
      depth[i] = r[3 * i + 2];
    }
    int[] tri = mesh.triangles();
    Raster ras = Raster.render(size, size, xy, depth, tri);
    double[] normals = MorphableModelFitter.vertexNormals(r, tri);
    double[] light = {-0.4, 0.5, 0.77};
    double ll = Math.sqrt(light[0] * light[0] + light[1] * light[1] + light[2] * light[2]);
    double[] uvPix = mesh.uv();
    for (int i = 0; i < n; i++) {
      uvPix[2 * i] = uvPix[2 * i] * texture.width() - 0.5;
      uvPix[2 * i + 1] = uvPix[2 * i + 1] * texture.height() - 0.5;
    }
    float[] tex = texture.toArray();
    float[] out = new float[size * size * 3];
    java.util.Arrays.fill(out, 0.82f);
    double[] uv = new double[2];
    double[] nrm = new double[3];
    double[] rgb = new double[3];
    for (int p = 0; p < size * size; p++) {
      if (ras.triangle[p] < 0) {
        continue;
      }
      ras.interpolate(p, tri, uvPix, 2, uv);
      ras.interpolate(p, tri, normals, 3, nrm);
      double nl = Math.sqrt(nrm[0] * nrm[0] + nrm[1] * nrm[1] + nrm[2] * nrm[2]);
      double lambert =
          nl > 0
              ? Math.max(0, (nrm[0] * light[0] + nrm[1] * light[1] + nrm[2] * light[2]) / (nl * ll))
              : 0;
      double shade = 0.45 + 0.55 * lambert;
      Raster.sample(tex, texture.width(), texture.height(), uv[0], uv[1], rgb);
      for (int k = 0; k < 3; k++) {
        out[3 * p + k] = (float) Math.min(1, Math.max(0, rgb[k] * shade));
      }
    }
    return FaceImage.of(size, size, out);
  }
}
