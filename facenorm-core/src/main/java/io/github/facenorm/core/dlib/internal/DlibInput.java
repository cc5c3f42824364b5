package io.github.facenorm.core.dlib.internal;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Reads dlib's serialization primitives ({@code dlib/serialize.h}) from a stream of known length,
 * strictly: every problem is an {@link IOException} naming the source, the byte offset, what was
 * expected and what was found. Also computes the SHA-256 of the bytes it consumes.
 *
 * <p>Encodings: integers are a control byte (bit 7 = negative for signed types, bits 0–3 = number
 * of value bytes 1..8, bits 4–6 reserved and 0) followed by the magnitude, little-endian; a float
 * is a signed int64 mantissa then a signed int16 exponent, value {@code ldexp((float) mantissa,
 * exponent)}.
 */
public final class DlibInput implements Closeable {

  private static final int EXP_INF = 32000;

  private final InputStream in;
  private final String source;
  private final long length;
  private final byte[] buf = new byte[1 << 16];
  private final MessageDigest sha256;
  private int pos;
  private int lim;
  private long base;
  private String where = "";

  /**
   * Wraps a stream.
   *
   * @param in the bytes (closed by {@link #close()})
   * @param length the total number of bytes the stream holds, used to bound every count
   * @param source a name for messages, usually the file path
   */
  public DlibInput(InputStream in, long length, String source) {
    this.in = in;
    this.length = length;
    this.source = source;
    this.sha256 = io.github.facenorm.core.internal.Sha256.newDigest();
  }

  /** Sets what is being read, for messages (e.g. {@code "forests[3][17]"}). */
  public void where(String where) {
    this.where = where;
  }

  /** Offset of the next byte. */
  public long offset() {
    return base + pos;
  }

  /** Bytes left before the end of the stream. */
  public long remaining() {
    return length - offset();
  }

  /**
   * An exception at an offset.
   *
   * @param offset byte offset of the problem
   * @param expected what the format requires there
   * @param problem what was wrong
   * @return the exception, to throw
   */
  public IOException error(long offset, String expected, String problem) {
    String in = where.isEmpty() ? "" : " (in " + where + ")";
    return new IOException(
        source + ": at byte offset " + offset + in + ": expected " + expected + ": " + problem);
  }

  private boolean fill() throws IOException {
    base += lim;
    pos = 0;
    lim = 0;
    int n;
    do {
      n = in.read(buf, 0, buf.length);
    } while (n == 0);
    if (n < 0) {
      return false;
    }
    sha256.update(buf, 0, n);
    lim = n;
    return true;
  }

  private int next(long start, String what) throws IOException {
    if (pos == lim && !fill()) {
      throw error(
          start,
          what,
          "the file is truncated: it ends at byte " + offset() + " (file length " + length + ")");
    }
    return buf[pos++] & 0xFF;
  }

  /**
   * Reads an unsigned integer ({@code unsigned long}, {@code size_t}).
   *
   * @param what what the value is, for messages
   * @param max the largest value the format allows here
   * @return the value, {@code 0..max}
   * @throws IOException if the bytes are not a valid unsigned integer or the value exceeds max
   */
  public long readUnsigned(String what, long max) throws IOException {
    long start = offset();
    int ctrl = next(start, what);
    if ((ctrl & 0x80) != 0) {
      throw error(start, what, "control byte " + hex(ctrl) + " has the sign bit set");
    }
    if ((ctrl & 0x70) != 0) {
      throw error(start, what, "control byte " + hex(ctrl) + " has reserved bits 0x70 set");
    }
    int n = ctrl & 0x0F;
    if (n < 1 || n > 8) {
      throw error(start, what, "control byte " + hex(ctrl) + " gives " + n + " bytes, not 1..8");
    }
    long v = 0;
    for (int k = 0; k < n; k++) {
      v |= ((long) next(start, what)) << (8 * k);
    }
    if (v < 0 || v > max) {
      throw error(
          start, what, "got " + Long.toUnsignedString(v) + ", more than the maximum " + max);
    }
    return v;
  }

  /**
   * Reads a signed integer (sign-magnitude, not two's complement).
   *
   * @param what what the value is, for messages
   * @param maxBytes {@code sizeof} the C++ type: 2 for int16, 4 for int, 8 for long and int64
   * @return the value
   * @throws IOException if the bytes are not a valid signed integer of that size
   */
  public long readSigned(String what, int maxBytes) throws IOException {
    return readSigned(what, "", maxBytes);
  }

  // `part` is appended to `what` only when building a message: no string work on the hot path.
  private long readSigned(String what, String part, int maxBytes) throws IOException {
    long start = offset();
    int ctrl = next(start, what);
    if ((ctrl & 0x70) != 0) {
      throw error(start, what + part, "control byte " + hex(ctrl) + " has reserved bits 0x70 set");
    }
    int n = ctrl & 0x0F;
    if (n < 1 || n > maxBytes) {
      throw error(
          start,
          what + part,
          "control byte " + hex(ctrl) + " gives " + n + " bytes, not 1.." + maxBytes);
    }
    long v = 0;
    for (int k = 0; k < n; k++) {
      v |= ((long) next(start, what)) << (8 * k);
    }
    long limit = maxBytes == 8 ? Long.MAX_VALUE : (1L << (8 * maxBytes - 1)) - 1;
    if (v < 0 || v > limit) {
      throw error(
          start, what + part, "magnitude " + Long.toUnsignedString(v) + " overflows the type");
    }
    return (ctrl & 0x80) != 0 ? -v : v;
  }

  /**
   * Reads a {@code float} (dlib's {@code float_details}: mantissa, then exponent).
   *
   * @param what what the value is, for messages
   * @return the value, always finite
   * @throws IOException if the encoding is invalid, uses dlib's old text format, or the value is
   *     infinite or NaN
   */
  public float readFloat(String what) throws IOException {
    long start = offset();
    if (pos == lim && !fill()) {
      throw error(
          start,
          what,
          "the file is truncated: it ends at byte " + offset() + " (file length " + length + ")");
    }
    int ctrl = buf[pos] & 0xFF;
    if ((ctrl & 0x70) != 0) {
      throw error(
          start,
          what,
          "byte "
              + hex(ctrl)
              + " is not a binary float (dlib's old text float format is not supported)");
    }
    long mantissa = readSigned(what, " (mantissa, int64)", 8);
    long exponent = readSigned(what, " (exponent, int16)", 2);
    if (exponent >= EXP_INF) {
      throw error(start, what, "a finite float, got infinity or NaN (exponent " + exponent + ")");
    }
    return Math.scalb((float) mantissa, (int) exponent);
  }

  /**
   * Reads a container count and checks that the rest of the file can hold that many elements.
   *
   * @param what what is counted, for messages
   * @param minElementBytes the fewest bytes one element can take
   * @param max the largest count the format allows here
   * @return the count
   * @throws IOException if the count is invalid or cannot fit in the bytes that remain
   */
  public int readCount(String what, long minElementBytes, int max) throws IOException {
    long start = offset();
    long n = readUnsigned(what, max);
    long need = n * minElementBytes;
    if (need > remaining()) {
      throw error(
          start,
          what,
          "a count of "
              + n
              + " needs at least "
              + need
              + " more bytes, but only "
              + remaining()
              + " remain (truncated or corrupt file)");
    }
    return (int) n;
  }

  /**
   * Requires the end of the stream.
   *
   * @param after what was read last, for messages
   * @throws IOException if bytes remain
   */
  public void expectEnd(String after) throws IOException {
    long at = offset();
    if (pos < lim || fill()) {
      throw error(
          at,
          "the end of the file after " + after,
          (length - at) + " more bytes follow (corrupt file, or not a shape predictor)");
    }
  }

  /** SHA-256 of the bytes consumed so far, lower-case hex. */
  public String sha256Hex() {
    try {
      return HexFormat.of().formatHex(((MessageDigest) sha256.clone()).digest());
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(int b) {
    return String.format(Locale.ROOT, "0x%02x", b);
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
