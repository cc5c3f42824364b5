package io.github.facenorm.models.face3d;

import io.github.facenorm.models.face3d.internal.Protobuf;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A triangle mesh with per-vertex texture coordinates: MediaPipe's face topology (468 vertices, 898
 * triangles) or any other. Immutable.
 *
 * <p>Conventions, used throughout {@code face3d}: vertices {@code [N, 3]} row-major {@code x y z};
 * texture coordinates {@code [N, 2]} {@code u v} in {@code [0, 1]} with {@code v = 0} at the
 * <em>top</em> of the atlas (image rows, as MediaPipe stores them; OBJ writes {@code 1 - v});
 * triangles {@code [T, 3]} vertex indices. The canonical mesh is in centimetres, {@code x} to the
 * face's left (viewer's right), {@code y} up, {@code z} towards the viewer.
 */
public final class FaceMesh {

  /** Vertices of MediaPipe's face topology. */
  public static final int MEDIAPIPE_VERTICES = 468;

  private static final String VTX68_RESOURCE = "/io/github/facenorm/models/face3d/vtx68.txt";
  private static final int[] VTX68 = loadVtx68();

  private final double[] vertices;
  private final double[] uv;
  private final int[] triangles;

  /**
   * A mesh from arrays (copied).
   *
   * @param vertices {@code [N, 3]}
   * @param uv {@code [N, 2]}
   * @param triangles {@code [T, 3]}, every index in {@code [0, N)}
   * @throws IllegalArgumentException on mismatched lengths, non-finite values or bad indices
   */
  public FaceMesh(double[] vertices, double[] uv, int[] triangles) {
    Objects.requireNonNull(vertices, "vertices");
    Objects.requireNonNull(uv, "uv");
    Objects.requireNonNull(triangles, "triangles");
    if (vertices.length == 0 || vertices.length % 3 != 0) {
      throw new IllegalArgumentException(
          "vertices: length must be a positive multiple of 3, got " + vertices.length);
    }
    int n = vertices.length / 3;
    if (uv.length != 2 * n) {
      throw new IllegalArgumentException(
          "uv: expected [" + n + ", 2] = " + 2 * n + " values, got " + uv.length);
    }
    if (triangles.length % 3 != 0) {
      throw new IllegalArgumentException(
          "triangles: length must be a multiple of 3, got " + triangles.length);
    }
    for (double v : vertices) {
      if (!Double.isFinite(v)) {
        throw new IllegalArgumentException("vertices: non-finite value " + v);
      }
    }
    for (int t : triangles) {
      if (t < 0 || t >= n) {
        throw new IllegalArgumentException("triangles: index " + t + " outside [0, " + n + ")");
      }
    }
    this.vertices = vertices.clone();
    this.uv = uv.clone();
    this.triangles = triangles.clone();
  }

  /**
   * MediaPipe's canonical face mesh, parsed from {@code @mediapipe/face_mesh}'s packed assets: the
   * file table in the loader script locates {@code geometry_pipeline_metadata_landmarks.binarypb}
   * in the blob, and the protobuf {@code GeometryPipelineMetadata} is parsed field by field (field
   * 1, {@code Mesh3d}: {@code vertex_buffer} = 5 floats {@code x y z u v} per vertex, {@code
   * index_buffer} = triangles). The result is checked: 468 vertices, whole triangles, indices in
   * range.
   *
   * @param assets where the fetched files are
   * @return the mesh, in centimetres
   * @throws IOException if the files are missing or do not parse as described
   */
  public static FaceMesh canonical(Face3dAssets assets) throws IOException {
    Path data = assets.file(Face3dAssets.PACKED_ASSETS);
    Path loader = assets.file(Face3dAssets.PACKED_ASSETS_LOADER);
    return parseCanonical(Files.readAllBytes(data), Files.readString(loader));
  }

  static FaceMesh parseCanonical(byte[] blob, String loaderJs) throws IOException {
    Matcher m =
        Pattern.compile(
                "\"filename\":\\s*\"[^\"]*/geometry_pipeline_metadata_landmarks\\.binarypb\","
                    + "\\s*\"start\":\\s*(\\d+),\\s*\"end\":\\s*(\\d+)")
            .matcher(loaderJs);
    if (!m.find()) {
      throw new IOException(
          "the loader script has no geometry_pipeline_metadata_landmarks.binarypb entry");
    }
    long start = Long.parseLong(m.group(1));
    long end = Long.parseLong(m.group(2));
    if (start < 0 || end <= start || end > blob.length) {
      throw new IOException(
          "geometry metadata at bytes "
              + start
              + ".."
              + end
              + " of a "
              + blob.length
              + "-byte blob");
    }
    Protobuf.Field mesh = null;
    for (Protobuf.Field f : Protobuf.fields(blob, (int) start, (int) end)) {
      if (f.number() == 1) {
        if (f.wireType() != 2 || mesh != null) {
          throw new IOException("GeometryPipelineMetadata: field 1 (canonical_mesh) malformed");
        }
        mesh = f;
      }
    }
    if (mesh == null) {
      throw new IOException("GeometryPipelineMetadata: no canonical_mesh (field 1)");
    }
    List<Float> vb = new ArrayList<>();
    List<Long> ib = new ArrayList<>();
    for (Protobuf.Field f : Protobuf.fields(mesh.bytes(), 0, mesh.bytes().length)) {
      switch (f.number()) {
        case 1, 2 -> {
          if (f.wireType() != 0 || f.varint() != 0) {
            throw new IOException(
                "Mesh3d: field " + f.number() + " (vertex/primitive type) is not 0: " + f);
          }
        }
        case 3 -> {
          if (f.wireType() == 5) {
            vb.add(Float.intBitsToFloat(f.fixed32()));
          } else if (f.wireType() == 2) {
            for (float v : Protobuf.packedFloats(f.bytes())) {
              vb.add(v);
            }
          } else {
            throw new IOException("Mesh3d: vertex_buffer with wire type " + f.wireType());
          }
        }
        case 4 -> {
          if (f.wireType() == 0) {
            ib.add(f.varint());
          } else if (f.wireType() == 2) {
            for (long v : Protobuf.packedVarints(f.bytes())) {
              ib.add(v);
            }
          } else {
            throw new IOException("Mesh3d: index_buffer with wire type " + f.wireType());
          }
        }
        default -> throw new IOException("Mesh3d: unexpected field " + f.number());
      }
    }
    if (vb.size() != 5 * MEDIAPIPE_VERTICES || ib.isEmpty() || ib.size() % 3 != 0) {
      throw new IOException(
          "Mesh3d: " + vb.size() + " vertex floats (expected 5 x 468), " + ib.size() + " indices");
    }
    double[] v = new double[3 * MEDIAPIPE_VERTICES];
    double[] uv = new double[2 * MEDIAPIPE_VERTICES];
    for (int i = 0; i < MEDIAPIPE_VERTICES; i++) {
      for (int k = 0; k < 3; k++) {
        v[3 * i + k] = vb.get(5 * i + k);
      }
      uv[2 * i] = vb.get(5 * i + 3);
      uv[2 * i + 1] = vb.get(5 * i + 4);
    }
    int[] t = new int[ib.size()];
    for (int i = 0; i < t.length; i++) {
      long x = ib.get(i);
      if (x < 0 || x >= MEDIAPIPE_VERTICES) {
        throw new IOException("Mesh3d: index " + x + " outside [0, 468)");
      }
      t[i] = (int) x;
    }
    return new FaceMesh(v, uv, t);
  }

  /**
   * The map from MediaPipe's 468 vertices to the 68 iBUG landmarks ({@code VTX68} of
   * {@code @vladmandic/human@3.3.6}'s {@code src/face/facemeshcoords.ts}, MIT; committed as the
   * resource {@code vtx68.txt}, and checked against the fetched file by a test).
   *
   * @return 68 vertex indices in iBUG order (a copy)
   */
  public static int[] ibug68() {
    return VTX68.clone();
  }

  /**
   * Parses {@code VTX68} out of {@code facemeshcoords.ts}.
   *
   * @param source the TypeScript file's text
   * @return the 68 indices
   * @throws IOException if the array is absent or not 68 indices in [0, 468)
   */
  public static int[] parseVtx68(String source) throws IOException {
    Matcher m =
        Pattern.compile("export const VTX68\\s*:\\s*number\\[\\]\\s*=\\s*\\[([^\\]]*)\\]")
            .matcher(source);
    if (!m.find()) {
      throw new IOException("no 'export const VTX68: number[] = [...]' in the source");
    }
    String body = m.group(1).replaceAll("/\\*.*?\\*/", " ");
    int[] out =
        Arrays.stream(body.split("[,\\s]+"))
            .filter(s -> !s.isEmpty())
            .mapToInt(Integer::parseInt)
            .toArray();
    if (out.length != 68 || Arrays.stream(out).anyMatch(i -> i < 0 || i >= MEDIAPIPE_VERTICES)) {
      throw new IOException("VTX68: expected 68 indices in [0, 468), got " + out.length);
    }
    return out;
  }

  /**
   * The number of vertices {@code N}.
   *
   * @return N
   */
  public int vertexCount() {
    return vertices.length / 3;
  }

  /**
   * The number of triangles {@code T}.
   *
   * @return T
   */
  public int triangleCount() {
    return triangles.length / 3;
  }

  /**
   * The vertices.
   *
   * @return {@code [N, 3]} row-major (a copy)
   */
  public double[] vertices() {
    return vertices.clone();
  }

  /**
   * The texture coordinates.
   *
   * @return {@code [N, 2]} {@code u v}, {@code v = 0} at the top (a copy)
   */
  public double[] uv() {
    return uv.clone();
  }

  /**
   * The triangles.
   *
   * @return {@code [T, 3]} vertex indices (a copy)
   */
  public int[] triangles() {
    return triangles.clone();
  }

  /**
   * The same topology and texture coordinates with other vertex positions.
   *
   * @param newVertices {@code [N, 3]}
   * @return the new mesh
   */
  public FaceMesh withVertices(double[] newVertices) {
    if (newVertices.length != vertices.length) {
      throw new IllegalArgumentException(
          "newVertices: expected " + vertices.length + " values, got " + newVertices.length);
    }
    return new FaceMesh(newVertices, uv, triangles);
  }

  @Override
  public String toString() {
    return "FaceMesh[" + vertexCount() + " vertices, " + triangleCount() + " triangles]";
  }

  private static int[] loadVtx68() {
    try (InputStream in = FaceMesh.class.getResourceAsStream(VTX68_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("resource " + VTX68_RESOURCE + " missing");
      }
      StringBuilder sb = new StringBuilder();
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        int hash = line.indexOf('#');
        sb.append(hash >= 0 ? line.substring(0, hash) : line).append(' ');
      }
      int[] out =
          Arrays.stream(sb.toString().trim().split("\\s+")).mapToInt(Integer::parseInt).toArray();
      if (out.length != 68) {
        throw new IllegalStateException(VTX68_RESOURCE + ": " + out.length + " indices, not 68");
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
