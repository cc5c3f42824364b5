package io.github.facenorm.warp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The JSON goldens made by {@code src/test/python/make_goldens.py} (an independent float64 numpy
 * re-implementation of TFA). Points and flows in them are in TFA's (y, x) order.
 */
final class Goldens {

  private Goldens() {}

  static List<JsonNode> load(String name) {
    try (InputStream in = Goldens.class.getResourceAsStream("/goldens/" + name + ".json")) {
      if (in == null) {
        throw new IllegalStateException("missing test resource /goldens/" + name + ".json");
      }
      List<JsonNode> cases = new ArrayList<>();
      new ObjectMapper().readTree(in).forEach(cases::add);
      return cases;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A nested JSON number array as a DOUBLE INDArray of the same shape. */
  static INDArray array(JsonNode node) {
    List<Long> shape = new ArrayList<>();
    JsonNode n = node;
    while (n.isArray()) {
      shape.add((long) n.size());
      n = n.get(0);
    }
    long count = shape.stream().reduce(1L, (a, b) -> a * b);
    double[] flat = new double[Math.toIntExact(count)];
    int[] pos = {0};
    fill(node, flat, pos);
    return Nd4j.create(flat, shape.stream().mapToLong(Long::longValue).toArray(), 'c');
  }

  private static void fill(JsonNode node, double[] flat, int[] pos) {
    if (node.isArray()) {
      for (JsonNode child : node) {
        fill(child, flat, pos);
      }
    } else {
      flat[pos[0]++] = node.asDouble();
    }
  }

  /** Swaps the two components of the last axis (YX ↔ XY). */
  static INDArray swapLast(INDArray a) {
    int last = a.rank() - 1;
    INDArray first = a.get(lastIndex(a.rank(), 0));
    INDArray second = a.get(lastIndex(a.rank(), 1));
    return Nd4j.concat(
        last, second.reshape(withLast(a.shape(), 1)), first.reshape(withLast(a.shape(), 1)));
  }

  private static org.nd4j.linalg.indexing.INDArrayIndex[] lastIndex(int rank, int i) {
    org.nd4j.linalg.indexing.INDArrayIndex[] idx = new org.nd4j.linalg.indexing.INDArrayIndex[rank];
    for (int a = 0; a < rank - 1; a++) {
      idx[a] = org.nd4j.linalg.indexing.NDArrayIndex.all();
    }
    idx[rank - 1] = org.nd4j.linalg.indexing.NDArrayIndex.point(i);
    return idx;
  }

  private static long[] withLast(long[] shape, long v) {
    long[] s = shape.clone();
    s[s.length - 1] = v;
    return s;
  }
}
