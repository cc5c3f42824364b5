package io.github.facenorm.models.nets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The tfjs manifest reader on tiny manifests written here. */
class TfjsWeightsTest {
  @TempDir Path dir;

  private static final String MANIFEST =
      """
      [{"paths": ["m.bin"], "weights": [
        {"name": "a/float", "shape": [2, 2], "dtype": "float32"},
        {"name": "b/u8", "shape": [3], "dtype": "float32",
         "quantization": {"dtype": "uint8", "scale": 0.5, "min": -1.25}},
        {"name": "c/u16", "shape": [2], "dtype": "float32",
         "quantization": {"dtype": "uint16", "scale": 0.001, "min": 2}},
        {"name": "d/int", "shape": [], "dtype": "int32",
         "quantization": {"dtype": "uint8", "scale": 1, "min": 5118}},
        {"name": "e/half", "shape": [2], "dtype": "float32", "quantization": {"dtype": "float16"}},
        {"name": "f/i32", "shape": [1], "dtype": "int32"}
      ]}]
      """;

  private static byte[] shard() {
    ByteBuffer b = ByteBuffer.allocate(16 + 3 + 4 + 1 + 4 + 4).order(ByteOrder.LITTLE_ENDIAN);
    b.putFloat(1.5f).putFloat(-2f).putFloat(0.25f).putFloat(1e-3f);
    b.put((byte) 0).put((byte) 3).put((byte) 255);
    b.putShort((short) 0).putShort((short) 65535);
    b.put((byte) 0);
    b.putShort((short) 0x3C00).putShort((short) 0xC000); // 1.0, -2.0
    b.putInt(-7);
    return b.array();
  }

  private Path write(String manifest, byte[] bin) throws IOException {
    Files.writeString(dir.resolve("m-weights_manifest.json"), manifest);
    if (bin != null) {
      Files.write(dir.resolve("m.bin"), bin);
    }
    return dir.resolve("m-weights_manifest.json");
  }

  @Test
  void readsFloatQuantizedHalfAndIntTensorsInManifestOrder() throws IOException {
    TfjsWeights w = TfjsWeights.read(write(MANIFEST, shard()));
    assertThat(w.tensors().keySet())
        .containsExactly("a/float", "b/u8", "c/u16", "d/int", "e/half", "f/i32");
    WeightTensor a = w.get("a/float", 2, 2);
    assertThat(a.values()).containsExactly(1.5f, -2f, 0.25f, 1e-3f);
    assertThat(a.storage()).isEqualTo("float32");
    INDArray arr = a.toArray(DataType.DOUBLE);
    assertThat(arr.shape()).containsExactly(2, 2);
    assertThat(arr.getDouble(1, 0)).isEqualTo(0.25);
    // q * scale + min in double, stored as float32.
    assertThat(w.get("b/u8").values()).containsExactly(-1.25f, 0.25f, (float) (255 * 0.5 - 1.25));
    assertThat(w.get("b/u8").storage()).isEqualTo("uint8");
    assertThat(w.get("c/u16").values()).containsExactly(2f, (float) (65535 * 0.001 + 2));
    WeightTensor d = w.get("d/int");
    assertThat(d.shape()).isEmpty();
    assertThat(d.dtype()).isEqualTo("int32");
    assertThat(d.values()).containsExactly(5118f);
    assertThat(d.toArray(DataType.FLOAT).getDouble(0)).isEqualTo(5118.0);
    assertThat(w.get("e/half").values()).containsExactly(1f, -2f);
    assertThat(w.get("f/i32").values()).containsExactly(-7f);
  }

  @Test
  void truncatedShardNamesTheShardAndTheWeight() throws IOException {
    byte[] full = shard();
    byte[] cut = java.util.Arrays.copyOf(full, full.length - 6);
    assertThatThrownBy(() -> TfjsWeights.read(write(MANIFEST, cut)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("m-weights_manifest.json")
        .hasMessageContaining("m.bin")
        .hasMessageContaining("truncated")
        .hasMessageContaining("'e/half'");
  }

  @Test
  void longerShardIsASizeMismatch() throws IOException {
    byte[] longer = java.util.Arrays.copyOf(shard(), shard().length + 1);
    assertThatThrownBy(() -> TfjsWeights.read(write(MANIFEST, longer)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("size mismatch")
        .hasMessageContaining("m.bin");
  }

  @Test
  void unknownDtypesAreRejectedWithTheirName() throws IOException {
    String bad = MANIFEST.replace("\"dtype\": \"float32\"}", "\"dtype\": \"complex64\"}");
    assertThatThrownBy(() -> TfjsWeights.read(write(bad, shard())))
        .hasMessageContaining("'a/float'")
        .hasMessageContaining("complex64");
    String badQ = MANIFEST.replace("\"uint16\"", "\"uint4\"");
    assertThatThrownBy(() -> TfjsWeights.read(write(badQ, shard())))
        .hasMessageContaining("'c/u16'")
        .hasMessageContaining("uint4");
  }

  @Test
  void missingFilesAndWeightsAndWrongShapesAreNamed() throws IOException {
    assertThatThrownBy(() -> TfjsWeights.read(write(MANIFEST, null)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("shard not found")
        .hasMessageContaining("m.bin");
    assertThatThrownBy(() -> TfjsWeights.read(dir.resolve("nope.json")))
        .hasMessageContaining("nope.json");
    TfjsWeights w = TfjsWeights.read(write(MANIFEST, shard()));
    assertThatThrownBy(() -> w.get("zz"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("missing weight 'zz'")
        .hasMessageContaining("m-weights_manifest.json");
    assertThatThrownBy(() -> w.get("a/float", 4))
        .hasMessageContaining("'a/float'")
        .hasMessageContaining("[4]")
        .hasMessageContaining("[2, 2]");
  }

  @Test
  void malformedJsonAndDuplicatesFail() throws IOException {
    assertThatThrownBy(() -> TfjsWeights.read(write("[{\"paths\": [\"m.bin\"], ", shard())))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("malformed JSON");
    String dup = MANIFEST.replace("\"f/i32\"", "\"a/float\"");
    assertThatThrownBy(() -> TfjsWeights.read(write(dup, shard())))
        .hasMessageContaining("duplicate weight 'a/float'");
  }
}
