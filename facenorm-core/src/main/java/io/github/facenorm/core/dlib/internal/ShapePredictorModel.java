package io.github.facenorm.core.dlib.internal;

/**
 * The arrays of a dlib {@code shape_predictor}, in the layout inference reads.
 *
 * <p>Shapes are in normalized box coordinates, interleaved {@code x0, y0, x1, y1, …} ({@code dims =
 * 2 * numParts} floats).
 *
 * @param initialShape the mean shape, {@code [dims]}
 * @param cascades the cascade levels, in order
 */
public record ShapePredictorModel(float[] initialShape, Cascade[] cascades) {

  /** Number of landmarks. */
  public int numParts() {
    return initialShape.length / 2;
  }

  /**
   * One cascade level: its feature pixels and its trees.
   *
   * @param anchor for each feature pixel, the index of the landmark it hangs from, {@code
   *     [numPixels]}
   * @param deltas for each feature pixel, its offset from that landmark in the initial shape,
   *     interleaved {@code [2 * numPixels]}
   * @param trees the regression trees, in file order
   */
  public record Cascade(int[] anchor, float[] deltas, Tree[] trees) {

    /** Number of feature pixels. */
    public int numPixels() {
      return anchor.length;
    }
  }

  /**
   * A complete binary regression tree. Split {@code n}'s children are {@code 2n + 1} (taken when
   * {@code feature[idx1] - feature[idx2] > thresh}) and {@code 2n + 2}; node {@code n >= numSplits}
   * is leaf {@code n - numSplits}.
   *
   * @param idx1 first feature pixel of each split
   * @param idx2 second feature pixel of each split
   * @param thresh threshold of each split
   * @param leaves leaf shape increments, {@code [numSplits + 1, dims]} row-major
   */
  public record Tree(int[] idx1, int[] idx2, float[] thresh, float[] leaves) {

    /** Number of split nodes. */
    public int numSplits() {
      return idx1.length;
    }
  }
}
