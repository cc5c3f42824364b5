package io.github.facenorm.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.facenorm.core.FaceImage;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one decoder's limits and refusals: pixel bombs, CMYK, damaged PNG chunks, gray levels. */
class ImageCodecLimitsTest {

  @TempDir Path dir;

  @AfterEach
  void clearProperties() {
    System.clearProperty(Limits.MAX_PIXELS_PROPERTY);
    System.clearProperty(Limits.MAX_POINTS_PROPERTY);
  }

  /** A real, valid 1-bit gray PNG: 16000 × 16000 pixels in about 30 KB. */
  static byte[] hugeOneBitPng(int w, int h) throws IOException {
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    Deflater d = new Deflater(9);
    byte[] row = new byte[1 + (w + 7) / 8];
    byte[] out = new byte[1 << 16];
    for (int y = 0; y < h; y++) {
      d.setInput(row);
      while (!d.needsInput()) {
        raw.write(out, 0, d.deflate(out));
      }
    }
    d.finish();
    while (!d.finished()) {
      raw.write(out, 0, d.deflate(out));
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    chunk(png, "IHDR", ByteBuffer.allocate(13).putInt(w).putInt(h).put(new byte[] {1, 0, 0, 0, 0}));
    chunk(png, "IDAT", ByteBuffer.wrap(raw.toByteArray()).position(raw.size()));
    chunk(png, "IEND", ByteBuffer.allocate(0));
    return png.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream png, String type, ByteBuffer data) {
    byte[] d = java.util.Arrays.copyOf(data.array(), data.position());
    byte[] t = type.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(d);
    png.writeBytes(ByteBuffer.allocate(4).putInt(d.length).array());
    png.writeBytes(t);
    png.writeBytes(d);
    png.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  @Test
  void aPixelBombIsRefusedFromItsHeaderBeforeDecoding() throws IOException {
    Path f = dir.resolve("bomb.png");
    Files.write(f, hugeOneBitPng(16000, 16000));
    assertThat(Files.size(f)).isLessThan(1 << 20);
    assertThatThrownBy(() -> FaceImage.read(f))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith(f.toString())
        .hasMessageContaining("16000 × 16000 = 256,000,000 pixels")
        .hasMessageContaining("limit of 50,000,000")
        .hasMessageContaining("-Dfacenorm.maxPixels=N");
  }

  @Test
  void thePixelLimitIsAPropertyAndAnArgument() throws IOException {
    Path f = dir.resolve("small.png");
    Files.write(f, hugeOneBitPng(40, 30));
    assertThat(FaceImage.read(f).width()).isEqualTo(40);
    assertThatThrownBy(() -> FaceImage.read(f, 1199)).hasMessageContaining("1,200 pixels");
    assertThat(FaceImage.read(f, 1200).height()).isEqualTo(30);
    System.setProperty(Limits.MAX_PIXELS_PROPERTY, "1000");
    assertThatThrownBy(() -> FaceImage.read(f)).hasMessageContaining("limit of 1,000");
    System.setProperty(Limits.MAX_PIXELS_PROPERTY, "lots");
    assertThatThrownBy(() -> FaceImage.read(f))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-Dfacenorm.maxPixels: expected a whole number from 1 to");
  }

  @Test
  void cmykJpegsAreRefusedClearly() throws IOException {
    WritableRaster r = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 16, 16, 4, null);
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 16; x++) {
        r.setPixel(x, y, new int[] {200, 100, 50, 30});
      }
    }
    ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (ImageOutputStream o = ImageIO.createImageOutputStream(b)) {
      w.setOutput(o);
      w.write(null, new IIOImage(r, null, null), null);
    } finally {
      w.dispose();
    }
    Path f = dir.resolve("cmyk.jpg");
    Files.write(f, b.toByteArray());
    assertThat(ImageCodec.jpegComponents(b.toByteArray())).isEqualTo(4);
    assertThatThrownBy(() -> FaceImage.read(f))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith(f.toString())
        .hasMessageContaining("CMYK");
  }

  @Test
  void grayJpegAndPngKeepTheirLevels() throws IOException {
    BufferedImage g = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 16; x++) {
        g.getRaster().setSample(x, y, 0, 128);
      }
    }
    for (String format : new String[] {"png", "jpeg"}) {
      Path f = dir.resolve("gray." + format);
      ImageIO.write(g, format, f.toFile());
      FaceImage img = FaceImage.read(f);
      for (int c = 0; c < 3; c++) {
        assertThat(Math.round(img.get(7, 7, c) * 255)).as(format).isEqualTo(128);
      }
    }
  }

  @Test
  void aDamagedPngChunkIsCaughtByItsCrc() throws IOException {
    byte[] png = hugeOneBitPng(40, 30);
    Path f = dir.resolve("flipped.png");
    byte[] bad = png.clone();
    bad[19] ^= 0x01; // the low byte of the width in IHDR: ImageIO alone would read 41 columns
    Files.write(f, bad);
    assertThatThrownBy(() -> FaceImage.read(f))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith(f.toString())
        .hasMessageContaining("CRC of its IHDR chunk");
    Path cut = dir.resolve("cut.png");
    Files.write(cut, java.util.Arrays.copyOf(png, png.length - 12));
    assertThatThrownBy(() -> FaceImage.read(cut)).hasMessageContaining("truncated PNG");
  }

  @Test
  void splinePointLimitsNameTheLimitAndTheProperty() {
    Limits.checkSplinePoints("p", 68, 2);
    assertThatThrownBy(() -> Limits.checkSplinePoints("--boundary-points", 0, 100_000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--boundary-points: 0 points + 4 × 100000 boundary points")
        .hasMessageContaining("4096")
        .hasMessageContaining("-Dfacenorm.maxPoints=N");
    assertThatThrownBy(() -> Limits.checkSplinePoints("x", 50_000, 0))
        .hasMessageContaining("50000 points");
    assertThatThrownBy(() -> Limits.checkSplinePoints("x", 0, Integer.MAX_VALUE))
        .hasMessageContaining("4 × 2147483647");
    assertThatThrownBy(() -> Limits.checkSplinePoints("x", -1, 0)).hasMessageContaining("negative");
    System.setProperty(Limits.MAX_POINTS_PROPERTY, "8000");
    Limits.checkSplinePoints("p", 7000, 250);
    System.setProperty(Limits.MAX_POINTS_PROPERTY, "100000");
    assertThatThrownBy(Limits::maxPoints).hasMessageContaining("from 1 to 46000");
  }
}
