package io.github.facenorm.warp;

/**
 * The order of the two coordinates of a 2-D point, and of the two components of a flow.
 *
 * <p>This is the one place the convention is defined. A point {@code (a, b)} stored in the last
 * axis of a {@code [B, n, 2]} array means:
 *
 * <ul>
 *   <li>{@link #XY}: {@code a} = x = column, {@code b} = y = row (what face landmarks use; the
 *       default).
 *   <li>{@link #YX}: {@code a} = y = row, {@code b} = x = column (TensorFlow Addons' order).
 * </ul>
 *
 * <p>Pixel {@code (row, col)} has its center at coordinates {@code x = col, y = row}: integer
 * positions are pixel centers, and the image spans {@code [0, W - 1] × [0, H - 1]}.
 *
 * <p>A dense flow {@code [B, H, W, 2]} stores its components in the same order: {@code (dx, dy)}
 * for {@code XY}, {@code (dy, dx)} for {@code YX}. A warp with flow {@code f} reads the output
 * pixel at {@code p} from the input at {@code p - f(p)} (backward mapping, TFA's sign).
 */
public enum PointOrder {
  /** {@code (x, y)}: column first. */
  XY,
  /** {@code (y, x)}: row first, as TensorFlow Addons. */
  YX;

  /** Index of the x (column) coordinate within a point stored in this order. */
  public int xIndex() {
    return this == XY ? 0 : 1;
  }

  /** Index of the y (row) coordinate within a point stored in this order. */
  public int yIndex() {
    return this == XY ? 1 : 0;
  }
}
