package io.github.facenorm.core.dlib;

import java.io.ByteArrayOutputStream;

/**
 * Test helper: writes dlib's serialization exactly as {@code dlib/serialize.h} and {@code
 * float_details.h} do (minimal integer bytes, sign-magnitude; floats as frexp mantissa with 24 bits
 * and trailing zero bytes stripped), so the reader can be tested without the 100 MB model.
 */
final class DlibWriter {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  byte[] toByteArray() {
    return out.toByteArray();
  }

  DlibWriter raw(int... bytes) {
    for (int b : bytes) {
      out.write(b);
    }
    return this;
  }

  DlibWriter signed(long v) {
    long mag = Math.abs(v);
    byte[] b = magnitude(mag);
    out.write(b.length | (v < 0 ? 0x80 : 0));
    out.write(b, 0, b.length);
    return this;
  }

  DlibWriter unsigned(long v) {
    byte[] b = magnitude(v);
    out.write(b.length);
    out.write(b, 0, b.length);
    return this;
  }

  private static byte[] magnitude(long v) {
    int n = 1;
    while (n < 8 && (v >>> (8 * n)) != 0) {
      n++;
    }
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (v >>> (8 * i));
    }
    return b;
  }

  /** dlib's {@code float_details(float)}: mantissa then exponent. */
  DlibWriter floatValue(float f) {
    long[] me = floatDetails(f);
    signed(me[0]);
    signed(me[1]);
    return this;
  }

  static long[] floatDetails(float f) {
    if (Float.isNaN(f) || Float.isInfinite(f)) {
      throw new IllegalArgumentException("non-finite");
    }
    long mantissa;
    int exponent;
    if (f == 0) {
      mantissa = 0;
      exponent = -24; // frexp(0) gives (0, 0)
    } else {
      double d = f; // exact; normal in double even for float subnormals
      int e = Math.getExponent(d) + 1; // frexp: d = m * 2^e, 0.5 <= |m| < 1
      double m = Math.scalb(d, -e);
      mantissa = (long) (m * (1 << 24));
      exponent = e - 24;
    }
    for (int i = 0; i < 8 && (mantissa & 0xFF) == 0; i++) {
      mantissa >>= 8;
      exponent += 8;
    }
    return new long[] {mantissa, exponent};
  }

  /** {@code matrix<float,0,1>} in dlib's newer format (sizes negated). */
  DlibWriter column(float... v) {
    signed(-v.length);
    signed(-1);
    for (float f : v) {
      floatValue(f);
    }
    return this;
  }
}
