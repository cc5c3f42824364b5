package io.github.facenorm.models.face3d.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The graph evaluator on a small hand-made graph using every op the facemesh graph uses, against
 * naive loops written here with TensorFlow's definitions (NHWC, SAME padding with the odd pixel
 * after, Prelu {@code x < 0 ? a x : x}, float16 weights).
 */
class TfjsGraphTest {

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String node(String name, String op, String attrs, String... inputs) {
    StringBuilder in = new StringBuilder();
    for (String i : inputs) {
      in.append(in.length() == 0 ? "" : ",").append('"').append(i).append('"');
    }
    return "{\"name\":\""
        + name
        + "\",\"op\":\""
        + op
        + "\",\"input\":["
        + in
        + "],\"attr\":{"
        + attrs
        + "}}";
  }

  private static String ints(String key, int... v) {
    StringBuilder s = new StringBuilder();
    for (int x : v) {
      s.append(s.length() == 0 ? "" : ",").append('"').append(x).append('"');
    }
    return "\"" + key + "\":{\"list\":{\"i\":[" + s + "]}}";
  }

  private static String str(String key, String v) {
    return "\"" + key + "\":{\"s\":\"" + b64(v) + "\"}";
  }

  /** Rounds to a value a half float holds exactly (multiples of 1/64 in [-4, 4]). */
  private static float half(float v) {
    return Math.round(v * 64) / 64f;
  }

  private static short toHalf(float v) {
    // Only for values half(v): normal numbers with few mantissa bits, or zero.
    if (v == 0) {
      return 0;
    }
    int bits = Float.floatToIntBits(v);
    int sign = (bits >>> 31) & 1;
    int exp = ((bits >>> 23) & 0xff) - 127 + 15;
    int mant = (bits >>> 13) & 0x3ff;
    return (short) ((sign << 15) | (exp << 10) | mant);
  }

  @Test
  void everyOpMatchesTheNaiveDefinition(@TempDir Path dir) throws IOException {
    Random rnd = new Random(5);
    int h = 6;
    int ci = 2;
    int co = 3;
    float[] w = new float[3 * 3 * ci * co];
    float[] bias = new float[co];
    float[] alpha1 = {0.25f, -0.5f, 1.5f};
    float[] wd = new float[3 * 3 * co];
    float[] alpha2 = {0.125f, 2f, -0.75f};
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) rnd.nextGaussian();
    }
    for (int i = 0; i < co; i++) {
      bias[i] = half((float) rnd.nextGaussian());
    }
    for (int i = 0; i < wd.length; i++) {
      wd[i] = half((float) rnd.nextGaussian());
    }
    // Weights in manifest order: W float32, bias float16, alpha1 float16, Wd float16, alpha2
    // float32, paddings int32, shape int32.
    ByteBuffer bin = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : w) {
      bin.putFloat(v);
    }
    for (float v : bias) {
      bin.putShort(toHalf(v));
    }
    for (float v : alpha1) {
      bin.putShort(toHalf(v));
    }
    for (float v : wd) {
      bin.putShort(toHalf(v));
    }
    for (float v : alpha2) {
      bin.putFloat(v);
    }
    int[] paddings = {0, 0, 0, 0, 0, 0, 1, 2};
    for (int v : paddings) {
      bin.putInt(v);
    }
    bin.putInt(-1).putInt(6);
    Files.write(dir.resolve("m.bin"), java.util.Arrays.copyOf(bin.array(), bin.position()));
    String f16 = ",\"quantization\":{\"dtype\":\"float16\",\"original_dtype\":\"float32\"}";
    String manifest =
        "[{\"paths\":[\"m.bin\"],\"weights\":["
            + "{\"name\":\"W\",\"shape\":[3,3,2,3],\"dtype\":\"float32\"},"
            + "{\"name\":\"b\",\"shape\":[3],\"dtype\":\"float32\""
            + f16
            + "},"
            + "{\"name\":\"a1\",\"shape\":[1,1,3],\"dtype\":\"float32\""
            + f16
            + "},"
            + "{\"name\":\"Wd\",\"shape\":[3,3,3,1],\"dtype\":\"float32\""
            + f16
            + "},"
            + "{\"name\":\"a2\",\"shape\":[1,1,3],\"dtype\":\"float32\"},"
            + "{\"name\":\"pads\",\"shape\":[4,2],\"dtype\":\"int32\"},"
            + "{\"name\":\"shape\",\"shape\":[2],\"dtype\":\"int32\"}]}]";
    List<String> nodes = new ArrayList<>();
    nodes.add(node("x", "Placeholder", ""));
    for (String c : new String[] {"W", "b", "a1", "Wd", "a2", "pads", "shape"}) {
      nodes.add(node(c, "Const", ""));
    }
    nodes.add(
        node(
            "conv",
            "_FusedConv2D",
            ints("strides", 1, 2, 2, 1)
                + ","
                + str("padding", "SAME")
                + ",\"fused_ops\":{\"list\":{\"s\":[\""
                + b64("BiasAdd")
                + "\",\""
                + b64("Prelu")
                + "\"]}}",
            "x",
            "W",
            "b",
            "a1"));
    nodes.add(
        node(
            "dw",
            "DepthwiseConv2dNative",
            ints("strides", 1, 1, 1, 1) + "," + str("padding", "SAME"),
            "conv",
            "Wd"));
    nodes.add(node("add", "AddV2", "", "conv", "dw"));
    nodes.add(node("pr", "Prelu", "", "add", "a2"));
    nodes.add(
        node(
            "mp",
            "MaxPool",
            ints("ksize", 1, 2, 2, 1)
                + ","
                + ints("strides", 1, 2, 2, 1)
                + ","
                + str("padding", "VALID"),
            "pr"));
    nodes.add(node("pad", "Pad", "", "mp", "pads"));
    nodes.add(node("sig", "Sigmoid", "", "pad"));
    nodes.add(node("rs", "Reshape", "", "sig", "shape"));
    nodes.add(node("out", "Identity", "", "rs:0"));
    String json =
        "{\"format\":\"graph-model\",\"modelTopology\":{\"node\":["
            + String.join(",", nodes)
            + "]},\"weightsManifest\":"
            + manifest
            + "}";
    Path model = dir.resolve("m.json");
    Files.writeString(model, json);
    TfjsGraph g = TfjsGraph.load(model);

    float[] x = new float[h * h * ci];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rnd.nextGaussian();
    }
    List<TfjsGraph.Tensor> got =
        g.run(new TfjsGraph.Tensor(new int[] {1, h, h, ci}, x), "conv", "pr", "out");

    // Naive reference. Conv 3x3 stride 2 SAME on 6x6: output 3x3, total padding 1, all of it after
    // (rows/cols 6 are zeros), so output (i, j) reads input rows 2i..2i+2.
    double[][][] conv = new double[3][3][co];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        for (int o = 0; o < co; o++) {
          double s = bias[o];
          for (int ky = 0; ky < 3; ky++) {
            for (int kx = 0; kx < 3; kx++) {
              int yy = 2 * i + ky;
              int xx = 2 * j + kx;
              if (yy >= h || xx >= h) {
                continue;
              }
              for (int c = 0; c < ci; c++) {
                s += x[(yy * h + xx) * ci + c] * w[((ky * 3 + kx) * ci + c) * co + o];
              }
            }
          }
          conv[i][j][o] = s < 0 ? alpha1[o] * s : s;
        }
      }
    }
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        for (int o = 0; o < co; o++) {
          assertThat((double) got.get(0).data()[(i * 3 + j) * co + o])
              .isCloseTo(conv[i][j][o], within(1e-5));
        }
      }
    }
    // Depthwise 3x3 stride 1 SAME on 3x3: one pixel of zeros on every side.
    double[][][] pr = new double[3][3][co];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        for (int c = 0; c < co; c++) {
          double s = 0;
          for (int ky = 0; ky < 3; ky++) {
            for (int kx = 0; kx < 3; kx++) {
              int yy = i + ky - 1;
              int xx = j + kx - 1;
              if (yy >= 0 && xx >= 0 && yy < 3 && xx < 3) {
                s += conv[yy][xx][c] * wd[(ky * 3 + kx) * co + c];
              }
            }
          }
          double a = conv[i][j][c] + s;
          pr[i][j][c] = a < 0 ? alpha2[c] * a : a;
          assertThat((double) got.get(1).data()[(i * 3 + j) * co + c])
              .isCloseTo(pr[i][j][c], within(1e-5));
        }
      }
    }
    // MaxPool 2x2 VALID on 3x3 -> the top-left 2x2 block; Pad channels 1 before, 2 after; sigmoid.
    float[] out = got.get(2).data();
    assertThat(got.get(2).shape()).containsExactly(1, 6);
    assertThat(out[0]).isEqualTo(0.5f);
    assertThat(out[4]).isEqualTo(0.5f);
    assertThat(out[5]).isEqualTo(0.5f);
    for (int c = 0; c < co; c++) {
      double m = Math.max(Math.max(pr[0][0][c], pr[0][1][c]), Math.max(pr[1][0][c], pr[1][1][c]));
      assertThat((double) out[1 + c]).isCloseTo(1 / (1 + Math.exp(-m)), within(1e-6));
    }
  }

  @Test
  void halfPrecisionDecoding() {
    assertThat(TfjsGraph.halfToFloat(0x3c00)).isEqualTo(1f);
    assertThat(TfjsGraph.halfToFloat(0xc000)).isEqualTo(-2f);
    assertThat(TfjsGraph.halfToFloat(0x3555)).isCloseTo(0.333251953125f, within(0f));
    assertThat(TfjsGraph.halfToFloat(0x0001)).isEqualTo(0x1p-24f); // smallest subnormal
    assertThat(TfjsGraph.halfToFloat(0x7bff)).isEqualTo(65504f);
    assertThat(TfjsGraph.halfToFloat(0x7c00)).isEqualTo(Float.POSITIVE_INFINITY);
    assertThat(TfjsGraph.halfToFloat(0x7e00)).isNaN();
    assertThat(TfjsGraph.halfToFloat(0x8000)).isEqualTo(-0f);
  }

  @Test
  void unsupportedOpsAndMissingWeightsAreRefusedByName(@TempDir Path dir) throws IOException {
    Path model = dir.resolve("m.json");
    Files.writeString(
        model,
        "{\"modelTopology\":{\"node\":["
            + node("x", "Placeholder", "")
            + ","
            + node("y", "Softmax", "", "x")
            + "]},\"weightsManifest\":[]}");
    assertThatThrownBy(() -> TfjsGraph.load(model))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("node y")
        .hasMessageContaining("Softmax");
    Files.writeString(
        model,
        "{\"modelTopology\":{\"node\":["
            + node("x", "Placeholder", "")
            + ","
            + node("c", "Const", "")
            + "]},\"weightsManifest\":[]}");
    assertThatThrownBy(() -> TfjsGraph.load(model))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("Const c has no weights");
  }
}
