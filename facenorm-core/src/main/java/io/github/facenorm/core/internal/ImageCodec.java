package io.github.facenorm.core.internal;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** JPEG/PNG decoding and encoding for {@code FaceImage}, through ImageIO. */
public final class ImageCodec {

  private static final Logger LOG = LoggerFactory.getLogger(ImageCodec.class);
  private static final float JPEG_QUALITY = 0.95f;

  private ImageCodec() {}

  /**
   * A decoded, upright image.
   *
   * @param width width in pixels
   * @param height height in pixels
   * @param rgb {@code [height, width, 3]} interleaved values in {@code [0, 1]}
   */
  public record Decoded(int width, int height, float[] rgb) {}

  /**
   * Reads a JPEG or PNG file, applying a JPEG's EXIF orientation, with the pixel limit in force
   * ({@link Limits#maxPixels()}).
   *
   * @param file the file
   * @return the upright pixels
   * @throws IOException with a message naming the file and the problem
   */
  public static Decoded read(Path file) throws IOException {
    return read(file, Limits.maxPixels());
  }

  /**
   * Reads a JPEG or PNG file, applying a JPEG's EXIF orientation.
   *
   * <p>The image's size is read from its header and checked against {@code maxPixels} before
   * anything of that size is allocated; the file itself may be at most {@code max(64 MiB, 8 ×
   * maxPixels)} bytes (a 16-bit RGBA PNG that does not compress). Truncated or corrupt data is an
   * error (ImageIO only warns and fills the rest with gray). Gray images are read from their
   * samples (no linear-gray conversion: 128 stays 128). CMYK and YCCK JPEGs are refused: without
   * their colour profile no conversion to RGB is right, and ImageIO's is visibly off.
   *
   * @param file the file
   * @param maxPixels the most pixels ({@code width × height}) accepted
   * @return the upright pixels
   * @throws IOException with a message naming the file and the problem
   */
  public static Decoded read(Path file, long maxPixels) throws IOException {
    if (maxPixels < 1) {
      throw new IllegalArgumentException("maxPixels: expected at least 1, got " + maxPixels);
    }
    if (Files.isDirectory(file)) {
      throw new IOException(file + ": is a folder, not an image file");
    }
    if (!Files.exists(file)) {
      throw new java.nio.file.NoSuchFileException(file.toString(), null, "no such image file");
    }
    checkBytes(file, Files.size(file), maxPixels);
    return decode(file, Files.readAllBytes(file), maxPixels);
  }

  /**
   * Decodes the bytes of a JPEG or PNG file exactly as {@link #read(Path, long)} reads a file (same
   * checks, same errors), for photos that arrive as bytes (a cluster job's binary-file rows).
   *
   * @param file what the bytes are, named in every error (it need not exist)
   * @param bytes the file's content
   * @param maxPixels the most pixels ({@code width × height}) accepted
   * @return the upright pixels
   * @throws IOException with a message naming {@code file} and the problem
   */
  public static Decoded decode(Path file, byte[] bytes, long maxPixels) throws IOException {
    if (maxPixels < 1) {
      throw new IllegalArgumentException("maxPixels: expected at least 1, got " + maxPixels);
    }
    checkBytes(file, bytes.length, maxPixels);
    String format = sniff(bytes);
    if (format == null) {
      throw new IOException(
          file + ": not a JPEG or PNG file (" + describeStart(bytes) + "); only JPEG and PNG");
    }
    if (format.equals("jpeg")) {
      int components = jpegComponents(bytes);
      if (components == 4) {
        throw new IOException(
            file
                + ": a CMYK (or YCCK) JPEG, which facenorm does not read: without its colour"
                + " profile no conversion to RGB is right; convert it to an RGB JPEG or PNG first");
      }
      if (components != 1 && components != 3 && components != 0) {
        throw new IOException(
            file + ": a JPEG with " + components + " colour components; only gray and RGB");
      }
    }
    if (format.equals("png")) {
      checkPngChunks(file, bytes);
    }
    BufferedImage image = decode(file, bytes, format, maxPixels);
    int w = image.getWidth();
    int h = image.getHeight();
    float[] rgb = toRgb(image);
    image = null; // NOPMD: the decoder's copy may go before the rotation allocates another
    if (format.equals("jpeg")) {
      int o = ExifOrientation.fromJpeg(bytes);
      if (o == ExifOrientation.MALFORMED) {
        LOG.warn("{}: malformed EXIF orientation data; using the image as stored", file);
      } else if (o > 1) {
        rgb = ExifOrientation.apply(o, w, h, rgb);
        int uw = ExifOrientation.uprightWidth(o, w, h);
        h = ExifOrientation.uprightHeight(o, w, h);
        w = uw;
      }
    }
    return new Decoded(w, h, rgb);
  }

  private static void checkBytes(Path file, long size, long maxPixels) throws IOException {
    long maxBytes = Math.min(Integer.MAX_VALUE - 16L, Math.max(64L << 20, 8 * maxPixels));
    if (size > maxBytes) {
      throw new IOException(
          file
              + ": "
              + size
              + " bytes is more than the "
              + maxBytes
              + " an image within the pixel limit of "
              + maxPixels
              + " may have; raise the limit with -D"
              + Limits.MAX_PIXELS_PROPERTY
              + "=N");
    }
  }

  /**
   * Walks a PNG's chunks: each must fit the file, critical chunks must match their CRC-32 (ImageIO
   * does not check them, so a damaged header or palette would decode as a different image), and the
   * file must reach its IEND chunk (else it is truncated).
   */
  static void checkPngChunks(Path file, byte[] b) throws IOException {
    int i = 8;
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    while (true) {
      if (i + 12 > b.length) {
        throw new IOException(file + ": truncated PNG (it ends before its IEND chunk)");
      }
      long len =
          ((b[i] & 0xFFL) << 24)
              | ((b[i + 1] & 0xFF) << 16)
              | ((b[i + 2] & 0xFF) << 8)
              | (b[i + 3] & 0xFF);
      if (len > b.length - i - 12L) {
        throw new IOException(
            file
                + ": truncated or corrupt PNG (a chunk of "
                + len
                + " bytes at byte "
                + i
                + " runs past the end of the file)");
      }
      int n = (int) len;
      String type = new String(b, i + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
      crc.reset();
      crc.update(b, i + 4, 4 + n);
      int at = i + 8 + n;
      long stored =
          ((b[at] & 0xFFL) << 24)
              | ((b[at + 1] & 0xFF) << 16)
              | ((b[at + 2] & 0xFF) << 8)
              | (b[at + 3] & 0xFF);
      boolean critical = Character.isUpperCase(type.charAt(0));
      if (stored != crc.getValue() && critical) {
        throw new IOException(
            file
                + ": corrupt PNG (the CRC of its "
                + type
                + " chunk at byte "
                + i
                + " does not match its content)");
      }
      if (type.equals("IEND")) {
        return;
      }
      i = at + 4;
    }
  }

  /**
   * The number of colour components in a JPEG's frame header (the first SOF marker), or 0 if the
   * header cannot be found before the image data (the decoder then reports the problem).
   */
  static int jpegComponents(byte[] b) {
    int n = b.length;
    int i = 2;
    while (i + 4 <= n) {
      if ((b[i] & 0xFF) != 0xFF) {
        return 0;
      }
      int marker = b[i + 1] & 0xFF;
      if (marker == 0xFF) {
        i++;
        continue;
      }
      if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
        i += 2;
        continue;
      }
      if (marker == 0xDA || marker == 0xD9) {
        return 0;
      }
      int len = ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
      boolean sof =
          marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
      if (sof) {
        return len >= 8 && i + 9 < n ? b[i + 9] & 0xFF : 0;
      }
      if (len < 2) {
        return 0;
      }
      i += 2 + len;
    }
    return 0;
  }

  private static String sniff(byte[] b) {
    if (b.length >= 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF) {
      return "jpeg";
    }
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    if (b.length >= png.length) {
      for (int i = 0; i < png.length; i++) {
        if (b[i] != png[i]) {
          return null;
        }
      }
      return "png";
    }
    return null;
  }

  private static String describeStart(byte[] b) {
    if (b.length == 0) {
      return "the file is empty";
    }
    StringBuilder s = new StringBuilder("it starts with bytes");
    for (int i = 0; i < Math.min(8, b.length); i++) {
      s.append(String.format(Locale.ROOT, " %02x", b[i] & 0xFF));
    }
    return s.toString();
  }

  private static BufferedImage decode(Path file, byte[] bytes, String format, long maxPixels)
      throws IOException {
    String name = format.equals("jpeg") ? "JPEG" : "PNG";
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
    if (!readers.hasNext()) {
      throw new IOException(file + ": no ImageIO reader for " + name + " in this JVM");
    }
    ImageReader reader = readers.next();
    List<String> warnings = new ArrayList<>();
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      reader.setInput(in, true, true);
      // ImageIO only warns about truncated or corrupt data and returns a partly gray image;
      // a silently damaged face would poison everything downstream, so warnings are errors.
      reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
      // The header alone says the size: check it before the decoder allocates the image.
      Limits.checkPixels(file, reader.getWidth(0), reader.getHeight(0), maxPixels);
      BufferedImage image = reader.read(0);
      if (!warnings.isEmpty()) {
        throw new IOException(
            file + ": corrupt or truncated " + name + " (" + String.join("; ", warnings) + ")");
      }
      if (image == null || image.getWidth() < 1 || image.getHeight() < 1) {
        throw new IOException(file + ": " + name + " decoded to an empty image");
      }
      return image;
    } catch (IOException e) {
      if (e.getMessage() != null && e.getMessage().startsWith(file.toString())) {
        throw e;
      }
      throw new IOException(
          file + ": cannot decode " + name + " (corrupt, truncated or unsupported): " + e, e);
    } catch (RuntimeException e) {
      // ImageIO's decoders throw unchecked exceptions on some malformed inputs.
      throw new IOException(file + ": cannot decode " + name + " (corrupt): " + e, e);
    } finally {
      reader.dispose();
    }
  }

  /**
   * Converts a {@link BufferedImage} to interleaved RGB floats in {@code [0, 1]} (alpha dropped).
   *
   * @param image the image
   * @return {@code [H, W, 3]} values
   */
  public static float[] toRgb(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    float[] out = new float[w * h * 3];
    ColorModel cm = image.getColorModel();
    Raster raster = image.getRaster();
    int transfer = raster.getTransferType();
    boolean integral =
        transfer == DataBuffer.TYPE_BYTE
            || transfer == DataBuffer.TYPE_USHORT
            || transfer == DataBuffer.TYPE_INT;
    boolean direct = integral && !(cm instanceof IndexColorModel);
    int[] row = new int[w];
    if (direct && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
      // Raster samples, not getRGB: getRGB would push linear gray through a color conversion.
      float max = (float) ((1L << cm.getComponentSize(0)) - 1);
      for (int y = 0; y < h; y++) {
        raster.getSamples(0, y, w, 1, 0, row);
        int base = y * w * 3;
        for (int x = 0; x < w; x++) {
          float v = row[x] / max;
          out[base + 3 * x] = v;
          out[base + 3 * x + 1] = v;
          out[base + 3 * x + 2] = v;
        }
      }
    } else if (direct && cm.getColorSpace().isCS_sRGB() && cm.getNumColorComponents() == 3) {
      for (int c = 0; c < 3; c++) {
        float max = (float) ((1L << cm.getComponentSize(c)) - 1);
        for (int y = 0; y < h; y++) {
          raster.getSamples(0, y, w, 1, c, row);
          int base = y * w * 3 + c;
          for (int x = 0; x < w; x++) {
            out[base + 3 * x] = Math.min(1f, row[x] / max);
          }
        }
      }
    } else {
      for (int y = 0; y < h; y++) {
        image.getRGB(0, y, w, 1, row, 0, w);
        int base = y * w * 3;
        for (int x = 0; x < w; x++) {
          int p = row[x];
          out[base + 3 * x] = ((p >> 16) & 0xFF) / 255f;
          out[base + 3 * x + 1] = ((p >> 8) & 0xFF) / 255f;
          out[base + 3 * x + 2] = (p & 0xFF) / 255f;
        }
      }
    }
    return out;
  }

  /**
   * Encodes an image as PNG or JPEG (quality 0.95).
   *
   * @param image the image
   * @param format {@code png} or {@code jpeg}
   * @return the file's bytes
   * @throws IOException if encoding fails
   */
  public static byte[] encode(BufferedImage image, String format) throws IOException {
    if (!format.equals("png") && !format.equals("jpeg")) {
      throw new IllegalArgumentException("format: expected png or jpeg, got " + format);
    }
    ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      if (format.equals("jpeg")) {
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(JPEG_QUALITY);
      }
      writer.write(null, new IIOImage(image, null, null), param);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  /**
   * Writes an image atomically ({@link AtomicFiles#write}), in the format its name says.
   *
   * @param image the image
   * @param file destination ending in .png, .jpg or .jpeg
   * @throws IOException if writing fails
   */
  public static void write(BufferedImage image, Path file) throws IOException {
    Path name = file.getFileName();
    String lower = name == null ? "" : name.toString().toLowerCase(Locale.ROOT);
    String format;
    if (lower.endsWith(".png")) {
      format = "png";
    } else if (lower.endsWith(".jpg") || lower.endsWith(".jpeg")) {
      format = "jpeg";
    } else {
      throw new IllegalArgumentException(
          "file: expected a name ending in .png, .jpg or .jpeg, got " + file);
    }
    try {
      AtomicFiles.write(file, encode(image, format));
    } catch (IOException e) {
      throw new IOException(file + ": cannot write image: " + e.getMessage(), e);
    }
  }
}
