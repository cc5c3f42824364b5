package io.github.facenorm.core.internal;

/**
 * Finds the EXIF orientation tag (0x0112) of a JPEG and applies it to interleaved RGB pixels.
 *
 * <p>Only the first IFD (IFD0) of the first APP1 {@code Exif} segment is read, which is where
 * cameras put the tag. The scan stops at the first start-of-scan marker: metadata after the image
 * data is ignored.
 */
public final class ExifOrientation {

  /** Returned by {@link #fromJpeg} when the JPEG has no orientation tag. */
  public static final int NONE = 0;

  /** Returned by {@link #fromJpeg} when an Exif segment exists but cannot be parsed. */
  public static final int MALFORMED = -1;

  private static final int TAG_ORIENTATION = 0x0112;
  private static final int TYPE_SHORT = 3;

  private ExifOrientation() {}

  /**
   * Reads the orientation of a JPEG file's bytes.
   *
   * @param b the whole file, starting with the SOI marker {@code FF D8}
   * @return 1..8 as in the EXIF specification, {@link #NONE} or {@link #MALFORMED}
   */
  public static int fromJpeg(byte[] b) {
    int n = b.length;
    int i = 2;
    while (i + 4 <= n) {
      if ((b[i] & 0xFF) != 0xFF) {
        return NONE; // not at a marker: garbage between segments; leave it to the decoder
      }
      int marker = b[i + 1] & 0xFF;
      if (marker == 0xFF) {
        i++; // fill byte
        continue;
      }
      if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
        i += 2; // markers without a length
        continue;
      }
      if (marker == 0xDA || marker == 0xD9) {
        return NONE; // start of scan or end of image: no more metadata
      }
      int len = u16(b, i + 2, false);
      if (len < 2 || (long) i + 2 + len > n) {
        return NONE; // truncated segment: the decoder will report it
      }
      if (marker == 0xE1 && len >= 8 && isExifHeader(b, i + 4)) {
        int o = fromTiff(b, i + 10, len - 8);
        if (o != NONE) {
          return o;
        }
      }
      i += 2 + len;
    }
    return NONE;
  }

  private static boolean isExifHeader(byte[] b, int at) {
    return b[at] == 'E'
        && b[at + 1] == 'x'
        && b[at + 2] == 'i'
        && b[at + 3] == 'f'
        && b[at + 4] == 0
        && b[at + 5] == 0;
  }

  private static int fromTiff(byte[] b, int start, int length) {
    if (length < 8) {
      return MALFORMED;
    }
    boolean little;
    if (b[start] == 'I' && b[start + 1] == 'I') {
      little = true;
    } else if (b[start] == 'M' && b[start + 1] == 'M') {
      little = false;
    } else {
      return MALFORMED;
    }
    if (u16(b, start + 2, little) != 42) {
      return MALFORMED;
    }
    long ifd = u32(b, start + 4, little);
    if (ifd < 8 || ifd + 2 > length) {
      return MALFORMED;
    }
    int count = u16(b, start + (int) ifd, little);
    int entries = start + (int) ifd + 2;
    if (ifd + 2 + 12L * count > length) {
      return MALFORMED;
    }
    for (int k = 0; k < count; k++) {
      int e = entries + 12 * k;
      if (u16(b, e, little) == TAG_ORIENTATION) {
        int type = u16(b, e + 2, little);
        long n = u32(b, e + 4, little);
        int value = u16(b, e + 8, little);
        if (type != TYPE_SHORT || n < 1 || value < 1 || value > 8) {
          return MALFORMED;
        }
        return value;
      }
    }
    return NONE;
  }

  private static int u16(byte[] b, int at, boolean little) {
    int b0 = b[at] & 0xFF;
    int b1 = b[at + 1] & 0xFF;
    return little ? b0 | (b1 << 8) : (b0 << 8) | b1;
  }

  private static long u32(byte[] b, int at, boolean little) {
    long lo = u16(b, little ? at : at + 2, little);
    long hi = u16(b, little ? at + 2 : at, little);
    return (hi << 16) | lo;
  }

  /** Width of the upright image for a stored image of this width and height. */
  public static int uprightWidth(int orientation, int width, int height) {
    return orientation >= 5 ? height : width;
  }

  /** Height of the upright image for a stored image of this width and height. */
  public static int uprightHeight(int orientation, int width, int height) {
    return orientation >= 5 ? width : height;
  }

  /**
   * Applies an orientation to stored pixels so that they show upright.
   *
   * @param orientation 1..8 (anything else is treated as 1)
   * @param w stored width
   * @param h stored height
   * @param rgb stored {@code [h, w, 3]} interleaved pixels
   * @return {@code rgb} itself for orientation 1, else a new upright array of {@code
   *     [uprightHeight, uprightWidth, 3]}
   */
  public static float[] apply(int orientation, int w, int h, float[] rgb) {
    if (orientation < 2 || orientation > 8) {
      return rgb;
    }
    int dw = uprightWidth(orientation, w, h);
    int dh = uprightHeight(orientation, w, h);
    float[] out = new float[rgb.length];
    for (int dy = 0; dy < dh; dy++) {
      for (int dx = 0; dx < dw; dx++) {
        int sx;
        int sy;
        switch (orientation) {
          case 2 -> { // mirror horizontally
            sx = w - 1 - dx;
            sy = dy;
          }
          case 3 -> { // rotate 180
            sx = w - 1 - dx;
            sy = h - 1 - dy;
          }
          case 4 -> { // mirror vertically
            sx = dx;
            sy = h - 1 - dy;
          }
          case 5 -> { // transpose (mirror across the main diagonal)
            sx = dy;
            sy = dx;
          }
          case 6 -> { // stored image must be rotated 90 degrees clockwise
            sx = dy;
            sy = h - 1 - dx;
          }
          case 7 -> { // transverse (mirror across the anti-diagonal)
            sx = w - 1 - dy;
            sy = h - 1 - dx;
          }
          default -> { // 8: stored image must be rotated 90 degrees counter-clockwise
            sx = w - 1 - dy;
            sy = dx;
          }
        }
        int s = (sy * w + sx) * 3;
        int d = (dy * dw + dx) * 3;
        out[d] = rgb[s];
        out[d + 1] = rgb[s + 1];
        out[d + 2] = rgb[s + 2];
      }
    }
    return out;
  }
}
