package io.github.facenorm.models.nets;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One named tensor of a tfjs weight manifest, dequantized.
 *
 * @param name the manifest name, e.g. {@code conv32_down/conv/filters}
 * @param shape the tensor shape in tfjs (TensorFlow) layout, e.g. conv filters {@code [kh, kw, in,
 *     out]}; {@code []} for a scalar
 * @param dtype the logical dtype, {@code float32} or {@code int32}
 * @param storage how the values were stored: {@code float32}, {@code int32}, {@code uint8}, {@code
 *     uint16} or {@code float16}
 * @param values the values in row-major (C) order, {@code product(shape)} of them; int32 tensors
 *     hold their integers as floats (exact up to 2^24)
 */
public record WeightTensor(
    String name, long[] shape, String dtype, String storage, float[] values) {

  /** Checks that the number of values matches the shape. */
  public WeightTensor {
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException(
            "weight '" + name + "': negative dimension in shape " + Arrays.toString(shape));
      }
      n *= d;
    }
    if (n != values.length) {
      throw new IllegalArgumentException(
          "weight '"
              + name
              + "': shape "
              + Arrays.toString(shape)
              + " needs "
              + n
              + " values, got "
              + values.length);
    }
    shape = shape.clone();
  }

  /**
   * The shape, copied.
   *
   * @return the shape, e.g. {@code [3, 3, 32, 64]}
   */
  @Override
  public long[] shape() {
    return shape.clone();
  }

  /**
   * The tensor as a new array of the given type, in the manifest's shape.
   *
   * @param type FLOAT or DOUBLE (values are widened exactly)
   * @return a new array of shape {@link #shape()}
   */
  public INDArray toArray(DataType type) {
    INDArray a =
        shape.length == 0
            ? Nd4j.scalar(values[0])
            : Nd4j.createFromArray(values).reshape('c', shape);
    return type == DataType.FLOAT ? a : a.castTo(type);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WeightTensor w
        && name.equals(w.name)
        && Arrays.equals(shape, w.shape)
        && dtype.equals(w.dtype)
        && storage.equals(w.storage)
        && Arrays.equals(values, w.values);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return "WeightTensor[" + name + " " + Arrays.toString(shape) + " " + storage + "]";
  }
}
