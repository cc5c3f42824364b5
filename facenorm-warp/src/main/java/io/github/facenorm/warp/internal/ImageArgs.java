package io.github.facenorm.warp.internal;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A checked {@code [B, H, W, C]} image argument and its elements, read into an array from {@link
 * ArrayPool}: call {@link #release()} when the elements are no longer needed.
 */
public final class ImageArgs {
  public final int batch;
  public final int height;
  public final int width;
  public final int channels;
  public final long[] shape;
  public final boolean isDouble;
  public final float[] floats;
  public final double[] doubles;

  /**
   * Checks the image's rank, type, sizes and values, and reads its elements.
   *
   * @param image {@code [B, H, W, C]} FLOAT or DOUBLE
   */
  public ImageArgs(INDArray image) {
    shape = NdArrays.requireRank(image, "image", "[B, H, W, C]");
    batch = NdArrays.toInt(shape[0], "image");
    height = NdArrays.toInt(shape[1], "image");
    width = NdArrays.toInt(shape[2], "image");
    channels = NdArrays.toInt(shape[3], "image");
    if (batch < 1 || height < 2 || width < 2 || channels < 1) {
      throw new IllegalArgumentException(
          "image: expected B ≥ 1, H ≥ 2, W ≥ 2, C ≥ 1 (bilinear sampling needs 2×2 pixels), got"
              + " shape "
              + java.util.Arrays.toString(shape));
    }
    isDouble = image.dataType() == DataType.DOUBLE;
    if (isDouble) {
      doubles = NdArrays.toDoubles(image, true);
      floats = null;
      requireFinite(doubles, null);
    } else {
      floats = NdArrays.toFloats(image, true);
      doubles = null;
      requireFinite(null, floats);
    }
  }

  private void requireFinite(double[] d, float[] f) {
    try {
      if (d != null) {
        NdArrays.requireFinite(d, shape, "image");
      } else {
        NdArrays.requireFinite(f, shape, "image");
      }
    } catch (RuntimeException e) {
      release();
      throw e;
    }
  }

  /**
   * Gives the elements' array back to {@link ArrayPool}; the fields must not be used afterwards.
   */
  public void release() {
    ArrayPool.give(floats, doubles);
  }

  /** B·H·W. */
  public long pixels() {
    return (long) batch * height * width;
  }
}
