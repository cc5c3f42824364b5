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
   * Reads a JPEG or PNG file, applying a JPEG's EXIF orientation.
   *
   * @param file the file
   * @return the upright pixels
   * @throws IOException with a message naming the file and the problem
   */
  public static Decoded read(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    String format = sniff(bytes);
    if (format == null) {
      throw new IOException(
          file + ": not a JPEG or PNG file (" + describeStart(bytes) + "); only JPEG and PNG");
    }
    BufferedImage image = decode(file, bytes, format);
    int w = image.getWidth();
    int h = image.getHeight();
    float[] rgb = toRgb(image);
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

  private static BufferedImage decode(Path file, byte[] bytes, String format) throws IOException {
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
