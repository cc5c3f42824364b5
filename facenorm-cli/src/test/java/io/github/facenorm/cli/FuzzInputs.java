package io.github.facenorm.cli;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** The fuzz suite's seeded generators: images with known pixels, and the ways files break. */
final class FuzzInputs {

  private FuzzInputs() {}

  /** An encoded image and the upright pixels a correct decoder returns. */
  record Sample(String label, byte[] bytes, int width, int height, float[] rgb, double tolerance) {
    boolean png() {
      return (bytes[0] & 0xFF) == 0x89;
    }
  }

  /** The kinds of valid image the generator makes. */
  static final String[] KINDS = {
    "rgb-png",
    "gray-png",
    "gray16-png",
    "rgba-png",
    "indexed-png",
    "rgb-jpeg",
    "gray-jpeg",
    "exif-jpeg"
  };

  /** A smooth picture (JPEG keeps it within a few levels) with a distinct corner. */
  static float[] picture(int w, int h, Random r) {
    double fx = 1 + 3 * r.nextDouble();
    double fy = 1 + 3 * r.nextDouble();
    double ph = 6 * r.nextDouble();
    float[] v = new float[w * h * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double u = x / (double) Math.max(1, w - 1);
        double t = y / (double) Math.max(1, h - 1);
        int i = 3 * (y * w + x);
        v[i] = (float) (0.15 + 0.7 * u);
        v[i + 1] = (float) (0.5 + 0.35 * Math.sin(fx * u + fy * t + ph));
        v[i + 2] = (float) (0.15 + 0.7 * t);
      }
    }
    return v;
  }

  static Sample valid(String kind, Random r) throws IOException {
    int w = 8 + r.nextInt(73);
    int h = 8 + r.nextInt(73);
    float[] p = picture(w, h, r);
    switch (kind) {
      case "rgb-png", "rgba-png", "rgb-jpeg" -> {
        boolean alpha = kind.equals("rgba-png");
        BufferedImage img =
            new BufferedImage(
                w, h, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        float[] exact = new float[p.length];
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            int i = 3 * (y * w + x);
            int rr = Math.round(p[i] * 255);
            int gg = Math.round(p[i + 1] * 255);
            int bb = Math.round(p[i + 2] * 255);
            int a = alpha ? 40 + r.nextInt(216) : 255;
            img.setRGB(x, y, (a << 24) | (rr << 16) | (gg << 8) | bb);
            exact[i] = rr / 255f;
            exact[i + 1] = gg / 255f;
            exact[i + 2] = bb / 255f;
          }
        }
        if (kind.equals("rgb-jpeg")) {
          return new Sample(kind, jpeg(img), w, h, exact, 0.03);
        }
        return new Sample(kind, png(img), w, h, exact, 1e-6);
      }
      case "gray-png", "gray-jpeg", "gray16-png" -> {
        boolean deep = kind.equals("gray16-png");
        BufferedImage img =
            new BufferedImage(
                w, h, deep ? BufferedImage.TYPE_USHORT_GRAY : BufferedImage.TYPE_BYTE_GRAY);
        float[] exact = new float[p.length];
        int max = deep ? 65535 : 255;
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            int i = 3 * (y * w + x);
            int g = Math.round(p[i + 1] * max);
            img.getRaster().setSample(x, y, 0, g);
            exact[i] = exact[i + 1] = exact[i + 2] = g / (float) max;
          }
        }
        if (kind.equals("gray-jpeg")) {
          return new Sample(kind, jpeg(img), w, h, exact, 0.03);
        }
        return new Sample(kind, png(img), w, h, exact, 1e-6);
      }
      case "indexed-png" -> {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED);
        float[] exact = new float[p.length];
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            int i = 3 * (y * w + x);
            int rgb =
                (Math.round(p[i] * 255) << 16)
                    | (Math.round(p[i + 1] * 255) << 8)
                    | Math.round(p[i + 2] * 255);
            img.setRGB(x, y, rgb);
            int q = img.getRGB(x, y); // the palette colour it became
            exact[i] = ((q >> 16) & 0xFF) / 255f;
            exact[i + 1] = ((q >> 8) & 0xFF) / 255f;
            exact[i + 2] = (q & 0xFF) / 255f;
          }
        }
        return new Sample(kind, png(img), w, h, exact, 1e-6);
      }
      case "exif-jpeg" -> {
        int[] orientations = {1, 3, 6, 8};
        int o = orientations[r.nextInt(orientations.length)];
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            int i = 3 * (y * w + x);
            img.setRGB(
                x,
                y,
                (Math.round(p[i] * 255) << 16)
                    | (Math.round(p[i + 1] * 255) << 8)
                    | Math.round(p[i + 2] * 255));
          }
        }
        byte[] jpg = withOrientation(jpeg(img), o);
        boolean turned = o == 6 || o == 8;
        int uw = turned ? h : w;
        int uh = turned ? w : h;
        float[] up = new float[p.length];
        for (int y = 0; y < uh; y++) {
          for (int x = 0; x < uw; x++) {
            int sx;
            int sy;
            switch (o) {
              case 3 -> {
                sx = w - 1 - x;
                sy = h - 1 - y;
              }
              case 6 -> {
                sx = y;
                sy = h - 1 - x;
              }
              case 8 -> {
                sx = w - 1 - y;
                sy = x;
              }
              default -> {
                sx = x;
                sy = y;
              }
            }
            System.arraycopy(p, 3 * (sy * w + sx), up, 3 * (y * uw + x), 3);
          }
        }
        return new Sample(kind + "-o" + o, jpg, uw, uh, up, 0.03);
      }
      default -> throw new IllegalArgumentException(kind);
    }
  }

  static byte[] png(BufferedImage img) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    if (!ImageIO.write(img, "png", b)) {
      throw new IOException("no PNG writer");
    }
    return b.toByteArray();
  }

  static byte[] jpeg(BufferedImage img) throws IOException {
    ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (ImageOutputStream o = ImageIO.createImageOutputStream(b)) {
      w.setOutput(o);
      ImageWriteParam param = w.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(0.95f);
      w.write(null, new IIOImage(img, null, null), param);
    } finally {
      w.dispose();
    }
    return b.toByteArray();
  }

  /** A JPEG with an APP1 Exif segment holding only the orientation tag, right after SOI. */
  static byte[] withOrientation(byte[] jpeg, int orientation) {
    ByteBuffer app1 = ByteBuffer.allocate(36);
    app1.put((byte) 0xFF).put((byte) 0xE1).putShort((short) 34);
    app1.put(new byte[] {'E', 'x', 'i', 'f', 0, 0});
    app1.put(new byte[] {'M', 'M', 0, 42}).putInt(8);
    app1.putShort((short) 1); // one IFD entry
    app1.putShort((short) 0x0112).putShort((short) 3).putInt(1);
    app1.putShort((short) orientation).putShort((short) 0);
    app1.putInt(0); // no next IFD
    byte[] out = new byte[jpeg.length + 36];
    System.arraycopy(jpeg, 0, out, 0, 2);
    System.arraycopy(app1.array(), 0, out, 2, 36);
    System.arraycopy(jpeg, 2, out, 38, jpeg.length - 2);
    return out;
  }

  /** A 4-component (CMYK) JPEG, as ImageIO writes a 4-band raster. */
  static byte[] cmykJpeg(Random r) throws IOException {
    java.awt.image.WritableRaster ras =
        java.awt.image.Raster.createInterleavedRaster(
            java.awt.image.DataBuffer.TYPE_BYTE, 16, 12, 4, null);
    for (int y = 0; y < 12; y++) {
      for (int x = 0; x < 16; x++) {
        ras.setPixel(x, y, new int[] {r.nextInt(256), r.nextInt(256), r.nextInt(256), 30});
      }
    }
    ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (ImageOutputStream o = ImageIO.createImageOutputStream(b)) {
      w.setOutput(o);
      w.write(null, new IIOImage(ras, null, null), null);
    } finally {
      w.dispose();
    }
    return b.toByteArray();
  }

  /** The file cut at a random length in {@code [0, length - 1]}. */
  static byte[] truncated(byte[] b, Random r) {
    // Half the cuts near the end, where a decoder is most tempted to call the image complete.
    int cut =
        r.nextBoolean() ? r.nextInt(b.length) : b.length - 1 - r.nextInt(Math.min(16, b.length));
    return Arrays.copyOf(b, cut);
  }

  /** One bit flipped at a random position. */
  static byte[] flipped(byte[] b, Random r) {
    byte[] c = b.clone();
    c[r.nextInt(c.length)] ^= (byte) (1 << r.nextInt(8));
    return c;
  }

  /** Random bytes appended after the end of the image (decoders ignore them, as they should). */
  static byte[] trailing(byte[] b, Random r) {
    byte[] tail = new byte[1 + r.nextInt(100)];
    r.nextBytes(tail);
    byte[] c = Arrays.copyOf(b, b.length + tail.length);
    System.arraycopy(tail, 0, c, b.length, tail.length);
    return c;
  }

  /**
   * The header's size changed to {@code w × h}: PNG's IHDR (with its CRC fixed, so only the pixel
   * limit can catch it) or the JPEG's frame header.
   */
  static byte[] inflated(byte[] b, int w, int h) {
    byte[] c = b.clone();
    if ((c[0] & 0xFF) == 0x89) {
      ByteBuffer.wrap(c, 16, 8).putInt(w).putInt(h);
      CRC32 crc = new CRC32();
      crc.update(c, 12, 17);
      ByteBuffer.wrap(c, 29, 4).putInt((int) crc.getValue());
      return c;
    }
    for (int i = 2; i + 9 < c.length; ) {
      int marker = c[i + 1] & 0xFF;
      int len = ((c[i + 2] & 0xFF) << 8) | (c[i + 3] & 0xFF);
      if (marker == 0xC0 || marker == 0xC2) {
        ByteBuffer.wrap(c, i + 5, 4)
            .putShort((short) Math.min(h, 65535))
            .putShort((short) Math.min(w, 65535));
        return c;
      }
      i += 2 + len;
    }
    throw new IllegalStateException("no SOF0/SOF2 marker");
  }

  /** Random bytes behind a real magic number. */
  static byte[] randomWithMagic(boolean png, Random r) {
    byte[] c = new byte[8 + r.nextInt(2000)];
    r.nextBytes(c);
    byte[] magic =
        png
            ? new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}
            : new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF};
    System.arraycopy(magic, 0, c, 0, magic.length);
    return c;
  }

  /** {@code depth} nested {@code [}: a JSON depth bomb. */
  static String nested(int depth) {
    return "[".repeat(depth) + "]".repeat(depth);
  }

  static double maxAbsDiff(float[] a, float[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }

  static double meanAbsDiff(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += Math.abs(a[i] - b[i]);
    }
    return s / a.length;
  }
}
