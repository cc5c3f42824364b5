package io.github.facenorm.models.face3d.internal;

import io.github.facenorm.core.internal.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A plain evaluator of a small tfjs graph model ({@code model.json} with an inline {@code
 * weightsManifest}): batch 1, NHWC, float32. It implements exactly the ops MediaPipe's facemesh
 * graph uses, with tfjs semantics: {@code _FusedConv2D} (BiasAdd, optionally Prelu), {@code
 * DepthwiseConv2dNative} (multiplier 1), {@code AddV2}, {@code Prelu} ({@code x < 0 ? a x : x} with
 * the stored alpha as is), {@code MaxPool} (VALID), {@code Pad} (zeros), {@code Reshape} (to {@code
 * [1, n]}), {@code Sigmoid}, {@code Identity}, {@code Const}, {@code Placeholder}; SAME padding
 * puts the odd pixel after, as TensorFlow does. Weights: float32, int32, and float16 quantization
 * (IEEE half). Any other op, attribute or dtype fails at load, naming the node.
 *
 * <p>Immutable after load; {@link #run} is thread-safe.
 */
public final class TfjsGraph {

  /** A tensor: {@code shape} (rank 1 to 4; rank 4 is {@code [1, H, W, C]}) and its values. */
  public record Tensor(int[] shape, float[] data) {
    int h() {
      return shape[1];
    }

    int w() {
      return shape[2];
    }

    int c() {
      return shape[3];
    }
  }

  private record Node(String name, String op, List<String> inputs, Map<?, ?> attr) {}

  private final String source;
  private final Map<String, Node> nodes = new LinkedHashMap<>();
  private final Map<String, Tensor> consts = new HashMap<>();
  private final String placeholder;

  private TfjsGraph(String source, String placeholder) {
    this.source = source;
    this.placeholder = placeholder;
  }

  /**
   * Loads a graph model and its weight shards (resolved beside the JSON).
   *
   * @param modelJson the {@code model.json}
   * @return the graph
   * @throws IOException on a missing file, an unsupported op/attribute/dtype, or shards that do not
   *     match the manifest
   */
  public static TfjsGraph load(Path modelJson) throws IOException {
    Object root = Json.read(modelJson);
    if (!(root instanceof Map<?, ?> m)
        || !(m.get("modelTopology") instanceof Map<?, ?> topo)
        || !(topo.get("node") instanceof List<?> nodeList)
        || !(m.get("weightsManifest") instanceof List<?> manifest)) {
      throw new IOException(
          modelJson + ": not a tfjs graph model (modelTopology.node, weightsManifest)");
    }
    String placeholder = null;
    List<Node> parsed = new ArrayList<>();
    for (Object o : nodeList) {
      Map<?, ?> n = (Map<?, ?>) o;
      String name = (String) n.get("name");
      String op = (String) n.get("op");
      List<String> inputs = new ArrayList<>();
      if (n.get("input") instanceof List<?> in) {
        for (Object i : in) {
          String s = (String) i;
          if (s.startsWith("^")) {
            continue;
          }
          int colon = s.indexOf(':');
          inputs.add(colon >= 0 ? s.substring(0, colon) : s);
        }
      }
      Map<?, ?> attr = n.get("attr") instanceof Map<?, ?> a ? a : Map.of();
      parsed.add(new Node(name, op, inputs, attr));
      if (op.equals("Placeholder")) {
        if (placeholder != null) {
          throw new IOException(modelJson + ": more than one Placeholder");
        }
        placeholder = name;
      }
    }
    if (placeholder == null) {
      throw new IOException(modelJson + ": no Placeholder");
    }
    TfjsGraph g = new TfjsGraph(modelJson.toString(), placeholder);
    for (Node n : parsed) {
      g.check(n);
      g.nodes.put(n.name(), n);
    }
    Path dir = modelJson.toAbsolutePath().getParent();
    for (Object grp : manifest) {
      g.readGroup(dir, (Map<?, ?>) grp);
    }
    for (Node n : parsed) {
      if (n.op().equals("Const") && !g.consts.containsKey(n.name())) {
        throw new IOException(modelJson + ": Const " + n.name() + " has no weights");
      }
    }
    return g;
  }

  private void check(Node n) throws IOException {
    switch (n.op()) {
      case "Const", "Placeholder", "AddV2", "Prelu", "Reshape", "Sigmoid", "Identity", "Pad" -> {}
      case "_FusedConv2D" -> {
        List<String> fused = fusedOps(n);
        if (fused.isEmpty()
            || !fused.get(0).equals("BiasAdd")
            || fused.size() > 2
            || (fused.size() == 2 && !fused.get(1).equals("Prelu"))) {
          throw new IOException(source + ": node " + n.name() + ": fused ops " + fused);
        }
        checkUnitDilations(n);
      }
      case "DepthwiseConv2dNative" -> checkUnitDilations(n);
      case "MaxPool" -> {
        if (!padding(n).equals("VALID")) {
          throw new IOException(source + ": node " + n.name() + ": MaxPool padding " + padding(n));
        }
      }
      default ->
          throw new IOException(source + ": node " + n.name() + ": unsupported op " + n.op());
    }
  }

  private void checkUnitDilations(Node n) throws IOException {
    int[] d = ints(n, "dilations");
    if (d != null) {
      for (int v : d) {
        if (v != 1) {
          throw new IOException(
              source + ": node " + n.name() + ": dilations " + Arrays.toString(d));
        }
      }
    }
  }

  private void readGroup(Path dir, Map<?, ?> grp) throws IOException {
    List<?> paths = (List<?>) grp.get("paths");
    ByteArrayCollector all = new ByteArrayCollector();
    for (Object p : paths) {
      Path f = dir.resolve((String) p).normalize();
      if (!dir.equals(f.getParent())) {
        throw new IOException(source + ": shard " + p + " is not beside the model");
      }
      all.add(Files.readAllBytes(f));
    }
    ByteBuffer buf = ByteBuffer.wrap(all.bytes()).order(ByteOrder.LITTLE_ENDIAN);
    for (Object o : (List<?>) grp.get("weights")) {
      Map<?, ?> w = (Map<?, ?>) o;
      String name = (String) w.get("name");
      List<?> shapeList = (List<?>) w.get("shape");
      int[] shape = shapeList.stream().mapToInt(x -> ((Number) x).intValue()).toArray();
      int count = Math.max(1, Arrays.stream(shape).reduce(1, (a, b) -> a * b));
      String dtype = (String) w.get("dtype");
      String quant = w.get("quantization") instanceof Map<?, ?> q ? (String) q.get("dtype") : null;
      float[] v = new float[count];
      int bytesPer = quant == null ? 4 : quant.equals("float16") ? 2 : -1;
      if (bytesPer < 0 || !(dtype.equals("float32") || (dtype.equals("int32") && quant == null))) {
        throw new IOException(
            source + ": weight " + name + ": dtype " + dtype + " quantization " + quant);
      }
      if (buf.remaining() < (long) count * bytesPer) {
        throw new IOException(source + ": shards end before weight " + name);
      }
      for (int i = 0; i < count; i++) {
        if (quant != null) {
          v[i] = halfToFloat(buf.getShort() & 0xffff);
        } else if (dtype.equals("int32")) {
          v[i] = buf.getInt();
        } else {
          v[i] = buf.getFloat();
        }
      }
      consts.put(name, new Tensor(shape, v));
    }
    if (buf.hasRemaining()) {
      throw new IOException(source + ": " + buf.remaining() + " bytes of shards left over");
    }
  }

  /** IEEE 754 half precision to float (subnormals, infinities and NaN included). */
  static float halfToFloat(int h) {
    int sign = (h >>> 15) & 1;
    int exp = (h >>> 10) & 0x1f;
    int mant = h & 0x3ff;
    float v;
    if (exp == 0) {
      v = mant * 0x1p-24f;
    } else if (exp == 31) {
      v = mant == 0 ? Float.POSITIVE_INFINITY : Float.NaN;
    } else {
      v = Float.intBitsToFloat(((exp - 15 + 127) << 23) | (mant << 13));
    }
    return sign == 1 ? -v : v;
  }

  /**
   * Runs the graph.
   *
   * @param input {@code [1, H, W, C]} values for the Placeholder
   * @param outputs node names to return
   * @return the outputs, in the order asked
   */
  public List<Tensor> run(Tensor input, String... outputs) {
    Map<String, Tensor> values = new HashMap<>();
    values.put(placeholder, input);
    List<Tensor> out = new ArrayList<>();
    for (String o : outputs) {
      if (!nodes.containsKey(o)) {
        throw new IllegalArgumentException("outputs: no node '" + o + "' in " + source);
      }
      out.add(eval(o, values));
    }
    return out;
  }

  private Tensor eval(String name, Map<String, Tensor> values) {
    Tensor t = values.get(name);
    if (t != null) {
      return t;
    }
    Node n = nodes.get(name);
    if (n.op().equals("Const")) {
      return consts.get(name);
    }
    List<Tensor> in = new ArrayList<>();
    for (String i : n.inputs()) {
      in.add(eval(i, values));
    }
    t = apply(n, in);
    values.put(name, t);
    return t;
  }

  private Tensor apply(Node n, List<Tensor> in) {
    return switch (n.op()) {
      case "_FusedConv2D" -> {
        Tensor y = conv(in.get(0), in.get(1), in.get(2), ints(n, "strides")[1], padding(n));
        yield in.size() > 3 ? prelu(y, in.get(3)) : y;
      }
      case "DepthwiseConv2dNative" ->
          depthwise(in.get(0), in.get(1), ints(n, "strides")[1], padding(n));
      case "AddV2" -> add(in.get(0), in.get(1));
      case "Prelu" -> prelu(in.get(0), in.get(1));
      case "MaxPool" -> maxPool(in.get(0), ints(n, "ksize")[1], ints(n, "strides")[1]);
      case "Pad" -> pad(in.get(0), in.get(1));
      case "Reshape" -> new Tensor(new int[] {1, in.get(0).data().length}, in.get(0).data());
      case "Sigmoid" -> {
        float[] x = in.get(0).data();
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
          y[i] = (float) (1 / (1 + Math.exp(-x[i])));
        }
        yield new Tensor(in.get(0).shape(), y);
      }
      case "Identity" -> in.get(0);
      default -> throw new IllegalStateException("op " + n.op());
    };
  }

  /** TensorFlow's SAME padding before the input: {@code total / 2}, the odd pixel after. */
  private static int padBefore(int in, int k, int s, String padding) {
    if (padding.equals("VALID")) {
      return 0;
    }
    int out = (in + s - 1) / s;
    int total = Math.max((out - 1) * s + k - in, 0);
    return total / 2;
  }

  private static int outSize(int in, int k, int s, String padding) {
    return padding.equals("VALID") ? (in - k) / s + 1 : (in + s - 1) / s;
  }

  private static Tensor conv(Tensor x, Tensor w, Tensor b, int s, String padding) {
    int kh = w.shape()[0];
    int kw = w.shape()[1];
    int ci = w.shape()[2];
    int co = w.shape()[3];
    if (x.c() != ci) {
      throw new IllegalStateException("conv: input has " + x.c() + " channels, filter " + ci);
    }
    int oh = outSize(x.h(), kh, s, padding);
    int ow = outSize(x.w(), kw, s, padding);
    int pt = padBefore(x.h(), kh, s, padding);
    int pl = padBefore(x.w(), kw, s, padding);
    float[] xd = x.data();
    float[] wd = w.data();
    float[] y = new float[oh * ow * co];
    float[] acc = new float[co];
    for (int oy = 0; oy < oh; oy++) {
      for (int ox = 0; ox < ow; ox++) {
        Arrays.fill(acc, 0f);
        for (int ky = 0; ky < kh; ky++) {
          int iy = oy * s - pt + ky;
          if (iy < 0 || iy >= x.h()) {
            continue;
          }
          for (int kx = 0; kx < kw; kx++) {
            int ix = ox * s - pl + kx;
            if (ix < 0 || ix >= x.w()) {
              continue;
            }
            int xo = (iy * x.w() + ix) * ci;
            int wo = (ky * kw + kx) * ci * co;
            for (int c = 0; c < ci; c++) {
              float xv = xd[xo + c];
              int wr = wo + c * co;
              for (int o = 0; o < co; o++) {
                acc[o] += xv * wd[wr + o];
              }
            }
          }
        }
        int yo = (oy * ow + ox) * co;
        float[] bd = b.data();
        for (int o = 0; o < co; o++) {
          y[yo + o] = acc[o] + bd[o];
        }
      }
    }
    return new Tensor(new int[] {1, oh, ow, co}, y);
  }

  private static Tensor depthwise(Tensor x, Tensor w, int s, String padding) {
    int kh = w.shape()[0];
    int kw = w.shape()[1];
    int c = w.shape()[2];
    if (x.c() != c || w.shape()[3] != 1) {
      throw new IllegalStateException("depthwise: input " + x.c() + " channels, filter " + c);
    }
    int oh = outSize(x.h(), kh, s, padding);
    int ow = outSize(x.w(), kw, s, padding);
    int pt = padBefore(x.h(), kh, s, padding);
    int pl = padBefore(x.w(), kw, s, padding);
    float[] xd = x.data();
    float[] wd = w.data();
    float[] y = new float[oh * ow * c];
    for (int oy = 0; oy < oh; oy++) {
      for (int ox = 0; ox < ow; ox++) {
        int yo = (oy * ow + ox) * c;
        for (int ky = 0; ky < kh; ky++) {
          int iy = oy * s - pt + ky;
          if (iy < 0 || iy >= x.h()) {
            continue;
          }
          for (int kx = 0; kx < kw; kx++) {
            int ix = ox * s - pl + kx;
            if (ix < 0 || ix >= x.w()) {
              continue;
            }
            int xo = (iy * x.w() + ix) * c;
            int wo = (ky * kw + kx) * c;
            for (int k = 0; k < c; k++) {
              y[yo + k] += xd[xo + k] * wd[wo + k];
            }
          }
        }
      }
    }
    return new Tensor(new int[] {1, oh, ow, c}, y);
  }

  private static Tensor add(Tensor a, Tensor b) {
    if (!Arrays.equals(a.shape(), b.shape())) {
      throw new IllegalStateException(
          "AddV2: shapes " + Arrays.toString(a.shape()) + " and " + Arrays.toString(b.shape()));
    }
    float[] y = new float[a.data().length];
    for (int i = 0; i < y.length; i++) {
      y[i] = a.data()[i] + b.data()[i];
    }
    return new Tensor(a.shape(), y);
  }

  private static Tensor prelu(Tensor x, Tensor alpha) {
    int c = x.c();
    float[] a = alpha.data();
    if (a.length != c) {
      throw new IllegalStateException("Prelu: " + a.length + " alphas for " + c + " channels");
    }
    float[] xd = x.data();
    float[] y = new float[xd.length];
    for (int i = 0; i < y.length; i++) {
      float v = xd[i];
      y[i] = v < 0 ? a[i % c] * v : v;
    }
    return new Tensor(x.shape(), y);
  }

  private static Tensor maxPool(Tensor x, int k, int s) {
    int oh = (x.h() - k) / s + 1;
    int ow = (x.w() - k) / s + 1;
    int c = x.c();
    float[] y = new float[oh * ow * c];
    Arrays.fill(y, Float.NEGATIVE_INFINITY);
    for (int oy = 0; oy < oh; oy++) {
      for (int ox = 0; ox < ow; ox++) {
        int yo = (oy * ow + ox) * c;
        for (int ky = 0; ky < k; ky++) {
          for (int kx = 0; kx < k; kx++) {
            int xo = ((oy * s + ky) * x.w() + ox * s + kx) * c;
            for (int j = 0; j < c; j++) {
              y[yo + j] = Math.max(y[yo + j], x.data()[xo + j]);
            }
          }
        }
      }
    }
    return new Tensor(new int[] {1, oh, ow, c}, y);
  }

  private static Tensor pad(Tensor x, Tensor paddings) {
    float[] p = paddings.data();
    if (p.length != 8 || p[0] != 0 || p[1] != 0) {
      throw new IllegalStateException("Pad: paddings " + Arrays.toString(p));
    }
    int t = (int) p[2];
    int bo = (int) p[3];
    int l = (int) p[4];
    int r = (int) p[5];
    int cb = (int) p[6];
    int ca = (int) p[7];
    int h = x.h() + t + bo;
    int w = x.w() + l + r;
    int c = x.c() + cb + ca;
    float[] y = new float[h * w * c];
    for (int iy = 0; iy < x.h(); iy++) {
      for (int ix = 0; ix < x.w(); ix++) {
        System.arraycopy(
            x.data(), (iy * x.w() + ix) * x.c(), y, ((iy + t) * w + ix + l) * c + cb, x.c());
      }
    }
    return new Tensor(new int[] {1, h, w, c}, y);
  }

  private static String padding(Node n) {
    return attrString(n, "padding");
  }

  private static List<String> fusedOps(Node n) {
    List<String> out = new ArrayList<>();
    if (n.attr().get("fused_ops") instanceof Map<?, ?> a
        && a.get("list") instanceof Map<?, ?> l
        && l.get("s") instanceof List<?> s) {
      for (Object o : s) {
        out.add(new String(Base64.getDecoder().decode((String) o), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  private static String attrString(Node n, String key) {
    if (n.attr().get(key) instanceof Map<?, ?> a && a.get("s") instanceof String s) {
      return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
    }
    throw new IllegalStateException("node " + n.name() + ": no attribute " + key);
  }

  private static int[] ints(Node n, String key) {
    if (n.attr().get(key) instanceof Map<?, ?> a
        && a.get("list") instanceof Map<?, ?> l
        && l.get("i") instanceof List<?> i) {
      return i.stream().mapToInt(o -> Integer.parseInt(o.toString())).toArray();
    }
    return null;
  }

  private static final class ByteArrayCollector {
    private final List<byte[]> parts = new ArrayList<>();

    void add(byte[] b) {
      parts.add(b);
    }

    byte[] bytes() {
      int n = parts.stream().mapToInt(p -> p.length).sum();
      byte[] out = new byte[n];
      int o = 0;
      for (byte[] p : parts) {
        System.arraycopy(p, 0, out, o, p.length);
        o += p.length;
      }
      return out;
    }
  }
}
