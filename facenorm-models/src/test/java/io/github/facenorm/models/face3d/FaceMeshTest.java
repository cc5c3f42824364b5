package io.github.facenorm.models.face3d;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class FaceMeshTest {

  private static void varint(ByteArrayOutputStream o, long v) {
    while ((v & ~0x7fL) != 0) {
      o.write((int) ((v & 0x7f) | 0x80));
      v >>>= 7;
    }
    o.write((int) v);
  }

  /** A GeometryPipelineMetadata: unpacked floats (as MediaPipe wrote it), packed indices. */
  private static byte[] metadata(double[] v, double[] uv, int[] tri, boolean packedFloats) {
    ByteArrayOutputStream mesh = new ByteArrayOutputStream();
    mesh.write(0x08);
    mesh.write(0);
    mesh.write(0x10);
    mesh.write(0);
    ByteBuffer floats = ByteBuffer.allocate(4 * 5 * 468).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 468; i++) {
      floats
          .putFloat((float) v[3 * i])
          .putFloat((float) v[3 * i + 1])
          .putFloat((float) v[3 * i + 2]);
      floats.putFloat((float) uv[2 * i]).putFloat((float) uv[2 * i + 1]);
    }
    if (packedFloats) {
      mesh.write(0x1a);
      varint(mesh, floats.capacity());
      mesh.write(floats.array(), 0, floats.capacity());
    } else {
      for (int i = 0; i < 5 * 468; i++) {
        mesh.write(0x1d);
        mesh.write(floats.array(), 4 * i, 4);
      }
    }
    ByteArrayOutputStream idx = new ByteArrayOutputStream();
    for (int t : tri) {
      varint(idx, t);
    }
    mesh.write(0x22);
    varint(mesh, idx.size());
    mesh.write(idx.toByteArray(), 0, idx.size());
    ByteArrayOutputStream md = new ByteArrayOutputStream();
    md.write(0x0a);
    varint(md, mesh.size());
    mesh.writeBytes(new byte[0]);
    md.write(mesh.toByteArray(), 0, mesh.size());
    md.write(0x18); // input_source = 1
    md.write(1);
    return md.toByteArray();
  }

  @Test
  void parsesTheMeshFromTheBlobWhereTheLoaderSaysItIs() throws IOException {
    double[] v = new double[3 * 468];
    double[] uv = new double[2 * 468];
    for (int i = 0; i < v.length; i++) {
      v[i] = (i % 7) - 3.25 + i * 0.001;
    }
    for (int i = 0; i < uv.length; i++) {
      uv[i] = (i % 11) / 10.0;
    }
    int[] tri = {0, 1, 2, 467, 300, 5};
    for (boolean packed : new boolean[] {false, true}) {
      byte[] md = metadata(v, uv, tri, packed);
      byte[] blob = new byte[100 + md.length + 50];
      System.arraycopy(md, 0, blob, 100, md.length);
      String loader =
          "{\"filename\": \"/a/face_landmark.tflite\", \"start\": 0, \"end\": 100}, "
              + "{\"filename\": \"/x/geometry_pipeline_metadata_landmarks.binarypb\", \"start\": 100, \"end\": "
              + (100 + md.length)
              + "}";
      FaceMesh m = FaceMesh.parseCanonical(blob, loader);
      assertThat(m.vertexCount()).isEqualTo(468);
      assertThat(m.triangles()).containsExactly(tri);
      for (int i = 0; i < v.length; i++) {
        assertThat(m.vertices()[i]).isEqualTo((float) v[i]);
      }
      for (int i = 0; i < uv.length; i++) {
        assertThat(m.uv()[i]).isEqualTo((float) uv[i]);
      }
      // One byte off: the parser must fail rather than read garbage.
      String shifted = loader.replace("\"start\": 100,", "\"start\": 101,");
      assertThatThrownBy(() -> FaceMesh.parseCanonical(blob, shifted))
          .isInstanceOf(IOException.class);
    }
  }

  @Test
  void rejectsAnIndexOutOfRangeAndAMissingEntry() {
    double[] v = new double[3 * 468];
    double[] uv = new double[2 * 468];
    byte[] md = metadata(v, uv, new int[] {0, 1, 468}, false);
    String loader =
        "\"filename\": \"/geometry_pipeline_metadata_landmarks.binarypb\", \"start\": 0, \"end\": "
            + md.length;
    assertThatThrownBy(() -> FaceMesh.parseCanonical(md, loader))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("468");
    assertThatThrownBy(() -> FaceMesh.parseCanonical(md, "{}"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("geometry_pipeline_metadata_landmarks");
  }

  @Test
  void vtx68HasSixtyEightDistinctVertices() {
    int[] m = FaceMesh.ibug68();
    assertThat(m).hasSize(68).doesNotHaveDuplicates();
    assertThat(m[30]).isEqualTo(4); // nose tip
    assertThat(m[36]).isEqualTo(33); // right eye outer corner
    assertThat(m[45]).isEqualTo(263);
  }

  @Test
  void constructorRejectsBadShapes() {
    assertThatThrownBy(() -> new FaceMesh(new double[4], new double[2], new int[0]))
        .hasMessageContaining("vertices");
    assertThatThrownBy(() -> new FaceMesh(new double[3], new double[4], new int[0]))
        .hasMessageContaining("uv");
    assertThatThrownBy(() -> new FaceMesh(new double[3], new double[2], new int[] {0, 0, 1}))
        .hasMessageContaining("triangles");
  }

  @Test
  @Tag("integration")
  void theCanonicalMeshAndVtx68OfTheFetchedPackages() throws IOException {
    Face3dAssets a = Face3dTestSupport.assumeAssets();
    FaceMesh m = FaceMesh.canonical(a);
    assertThat(m.vertexCount()).isEqualTo(468);
    assertThat(m.triangleCount()).isEqualTo(898);
    double[] v = m.vertices();
    // Nose tip (vertex 4) is the most forward point; the eyes' outer corners mirror each other.
    for (int i = 0; i < 468; i++) {
      assertThat(v[3 * i + 2]).isLessThanOrEqualTo(v[3 * 4 + 2] + 1e-6);
    }
    assertThat(v[3 * 33]).isCloseTo(-v[3 * 263], org.assertj.core.data.Offset.offset(0.01));
    assertThat(v[3 * 33]).isLessThan(0); // right eye at negative x (viewer's left)
    assertThat(v[3 * 152 + 1]).isLessThan(v[3 * 4 + 1]); // chin below nose tip (y up)
    assertThat(FaceMesh.parseVtx68(Files.readString(a.file(Face3dAssets.FACEMESH_COORDS))))
        .containsExactly(FaceMesh.ibug68());
  }
}
