package io.github.facenorm.core.dlib.internal;

import io.github.facenorm.core.dlib.internal.ShapePredictorModel.Cascade;
import io.github.facenorm.core.dlib.internal.ShapePredictorModel.Tree;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Parses dlib's {@code shape_predictor} serialization ({@code
 * dlib/image_processing/shape_predictor.h}, version 1):
 *
 * <pre>
 * int                               version == 1
 * matrix&lt;float,0,1&gt;                 initial_shape
 * vector&lt;vector&lt;regression_tree&gt;&gt;   forests       (tree = vector&lt;split&gt;, vector&lt;matrix&gt;)
 * vector&lt;vector&lt;unsigned long&gt;&gt;     anchor_idx
 * vector&lt;vector&lt;vector&lt;float,2&gt;&gt;&gt;  deltas
 * </pre>
 *
 * <p>Strict: every count is bounded by the bytes that remain before anything is allocated, the
 * parts are checked for consistency (leaf sizes, split indices, anchor indices, complete trees),
 * and the file must end right after the deltas.
 */
public final class ShapePredictorReader {

  /** Bounds that no real model comes near; they keep corrupt counts from overflowing ints. */
  static final int MAX_ROWS = 1 << 20;

  static final int MAX_CASCADES = 1 << 16;
  static final int MAX_TREES = 1 << 24;
  static final int MAX_SPLITS = 1 << 20;
  static final int MAX_PIXELS = 1 << 24;

  /** Fewest bytes of a float: two one-byte integers. */
  private static final int MIN_FLOAT = 4;

  /** Fewest bytes of an integer. */
  private static final int MIN_INT = 2;

  private ShapePredictorReader() {}

  /**
   * The model and facts about the file it came from.
   *
   * @param model the arrays
   * @param sha256 SHA-256 of the file, lower-case hex
   * @param bytes file length
   */
  public record Result(ShapePredictorModel model, String sha256, long bytes) {}

  /**
   * Reads a file.
   *
   * @param file the {@code .dat} file
   * @return the model
   * @throws IOException if the file cannot be read or is not a valid shape predictor
   */
  public static Result read(Path file) throws IOException {
    long size = Files.size(file);
    try (InputStream in = Files.newInputStream(file);
        DlibInput d = new DlibInput(in, size, file.toString())) {
      ShapePredictorModel model = read(d);
      return new Result(model, d.sha256Hex(), size);
    }
  }

  /**
   * Reads a model from a positioned input; requires the input to end right after it.
   *
   * @param d the input
   * @return the model
   * @throws IOException if the bytes are not a valid shape predictor
   */
  public static ShapePredictorModel read(DlibInput d) throws IOException {
    d.where("the header");
    long at = d.offset();
    long version = d.readSigned("the shape_predictor version (int)", 4);
    if (version != 1) {
      throw d.error(
          at, "shape_predictor version 1", "got " + version + " (not a dlib shape predictor?)");
    }
    d.where("initial_shape");
    at = d.offset();
    float[] initial = readColumn(d, "initial_shape", -1);
    if (initial.length < 2 || initial.length % 2 != 0) {
      throw d.error(
          at,
          "initial_shape with an even number (>= 2) of values (x, y per landmark)",
          "got " + initial.length);
    }
    final int dims = initial.length;

    d.where("forests");
    int numCascades = d.readCount("the number of cascade levels (forests)", MIN_INT, MAX_CASCADES);
    Tree[][] forests = new Tree[numCascades][];
    long[][] treeOffsets = new long[numCascades][];
    for (int c = 0; c < numCascades; c++) {
      d.where("forests[" + c + "]");
      int numTrees = d.readCount("the number of trees in a cascade level", 2L * MIN_INT, MAX_TREES);
      forests[c] = new Tree[numTrees];
      treeOffsets[c] = new long[numTrees];
      for (int t = 0; t < numTrees; t++) {
        d.where("forests[" + c + "][" + t + "]");
        treeOffsets[c][t] = d.offset();
        forests[c][t] = readTree(d, dims);
      }
    }

    d.where("anchor_idx");
    at = d.offset();
    int n = d.readCount("the number of anchor_idx vectors", MIN_INT, MAX_CASCADES);
    if (n != numCascades) {
      throw d.error(at, numCascades + " anchor_idx vectors (one per cascade level)", "got " + n);
    }
    int[][] anchors = new int[numCascades][];
    final int numParts = dims / 2;
    for (int c = 0; c < numCascades; c++) {
      d.where("anchor_idx[" + c + "]");
      int np = d.readCount("the number of feature pixels", MIN_INT, MAX_PIXELS);
      int[] a = new int[np];
      for (int i = 0; i < np; i++) {
        a[i] = (int) d.readUnsigned("a landmark index < " + numParts, numParts - 1L);
      }
      anchors[c] = a;
    }

    d.where("deltas");
    at = d.offset();
    n = d.readCount("the number of deltas vectors", MIN_INT, MAX_CASCADES);
    if (n != numCascades) {
      throw d.error(at, numCascades + " deltas vectors (one per cascade level)", "got " + n);
    }
    Cascade[] cascades = new Cascade[numCascades];
    for (int c = 0; c < numCascades; c++) {
      d.where("deltas[" + c + "]");
      at = d.offset();
      int np = d.readCount("the number of feature pixel offsets", 2L * MIN_FLOAT, MAX_PIXELS);
      if (np != anchors[c].length) {
        throw d.error(
            at, anchors[c].length + " offsets, as many as anchor_idx[" + c + "]", "got " + np);
      }
      float[] deltas = new float[2 * np];
      for (int i = 0; i < 2 * np; i++) {
        deltas[i] = d.readFloat("a feature pixel offset (float)");
      }
      for (int t = 0; t < forests[c].length; t++) {
        checkSplitIndices(d, forests[c][t], np, c, t, treeOffsets[c][t]);
      }
      cascades[c] = new Cascade(anchors[c], deltas, forests[c]);
    }
    d.where("");
    d.expectEnd("the deltas");
    return new ShapePredictorModel(initial, cascades);
  }

  private static Tree readTree(DlibInput d, int dims) throws IOException {
    int ns = d.readCount("the number of splits", 2L * MIN_INT + MIN_FLOAT, MAX_SPLITS);
    int[] idx1 = new int[ns];
    int[] idx2 = new int[ns];
    float[] thresh = new float[ns];
    for (int s = 0; s < ns; s++) {
      idx1[s] = (int) d.readUnsigned("split idx1 (unsigned long)", MAX_PIXELS);
      idx2[s] = (int) d.readUnsigned("split idx2 (unsigned long)", MAX_PIXELS);
      thresh[s] = d.readFloat("split thresh (float)");
    }
    long at = d.offset();
    long leafBytes = 2L * MIN_INT + (long) MIN_FLOAT * dims;
    int nl = d.readCount("the number of leaves", leafBytes, MAX_SPLITS + 1);
    if (nl != ns + 1 || Integer.bitCount(nl) != 1) {
      throw d.error(
          at,
          "a complete binary tree: " + (ns + 1) + " leaves for " + ns + " splits, a power of 2",
          "got " + nl + " leaves");
    }
    if ((long) nl * dims > Integer.MAX_VALUE - 8) {
      throw d.error(at, "fewer leaf values", nl + " leaves of " + dims + " values is too many");
    }
    float[] leaves = new float[nl * dims];
    for (int l = 0; l < nl; l++) {
      readColumnInto(d, "a leaf value vector", dims, leaves, l * dims);
    }
    return new Tree(idx1, idx2, thresh, leaves);
  }

  private static void checkSplitIndices(
      DlibInput d, Tree tree, int numPixels, int c, int t, long offset) throws IOException {
    for (int s = 0; s < tree.numSplits(); s++) {
      int bad = Math.max(tree.idx1()[s], tree.idx2()[s]);
      if (bad >= numPixels) {
        d.where("forests[" + c + "][" + t + "].splits[" + s + "]");
        throw d.error(
            offset,
            "split pixel indices < " + numPixels + " (the feature pixels of cascade " + c + ")",
            "got " + bad + " (the offset is that of the tree)");
      }
    }
  }

  /** Reads a {@code matrix<float,0,1>}; {@code rows < 0} accepts any size. */
  private static float[] readColumn(DlibInput d, String what, int rows) throws IOException {
    int nr = readColumnHeader(d, what, rows);
    float[] v = new float[nr];
    for (int i = 0; i < nr; i++) {
      v[i] = d.readFloat("an initial_shape value (float)");
    }
    return v;
  }

  private static void readColumnInto(DlibInput d, String what, int rows, float[] dst, int off)
      throws IOException {
    readColumnHeader(d, what, rows);
    for (int i = 0; i < rows; i++) {
      dst[off + i] = d.readFloat("a leaf value (float)");
    }
  }

  private static int readColumnHeader(DlibInput d, String what, int rows) throws IOException {
    long at = d.offset();
    long nr = d.readSigned("the row count (long) of " + what, 8);
    long nc = d.readSigned("the column count (long) of " + what, 8);
    // dlib's newer format writes both sizes negated; the reader takes them back.
    if (nr < 0 || nc < 0) {
      nr = -nr;
      nc = -nc;
    }
    if (nr < 0 || nc != 1) {
      throw d.error(at, what + " as a column vector (1 column)", "got " + nr + " x " + nc);
    }
    if (rows >= 0 && nr != rows) {
      throw d.error(at, what + " with " + rows + " rows (2 per landmark)", "got " + nr);
    }
    if (nr > MAX_ROWS || nr * MIN_FLOAT > d.remaining()) {
      throw d.error(
          at,
          what + " that fits in the file",
          nr + " rows need at least " + (nr * MIN_FLOAT) + " bytes, " + d.remaining() + " remain");
    }
    return (int) nr;
  }
}
