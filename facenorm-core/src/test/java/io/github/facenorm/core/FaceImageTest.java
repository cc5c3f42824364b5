package io.github.facenorm.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.facenorm.core.internal.ExifOrientation;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class FaceImageTest {

  @TempDir Path dir;

  private static FaceImage random8(int w, int h, long seed) {
    Random r = new Random(seed);
    byte[] b = new byte[w * h * 3];
    r.nextBytes(b);
    return FaceImage.ofRgb8(w, h, b);
  }

  @Test
  void layoutIsRowMajorInterleaved() {
    float[] v = new float[2 * 3 * 3];
    v[(1 * 3 + 2) * 3 + 1] = 0.5f; // x = 2, y = 1, green
    FaceImage img = FaceImage.of(3, 2, v);
    assertThat(img.width()).isEqualTo(3);
    assertThat(img.height()).isEqualTo(2);
    assertThat(img.get(2, 1, 1)).isEqualTo(0.5f);
    assertThat(img.get(1, 2 - 1, 1)).isZero();
    assertThat(img.toString()).isEqualTo("FaceImage[H=2, W=3, 3]");
    assertThatThrownBy(() -> img.get(3, 0, 0)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void intensityIsDlibsIntegerMean() {
    FaceImage img = FaceImage.ofRgb8(2, 1, new byte[] {(byte) 255, 0, 1, 10, 20, 31});
    assertThat(img.intensity8(0, 0)).isEqualTo(85); // 256 / 3
    assertThat(img.intensity8(1, 0)).isEqualTo(20); // 61 / 3
    assertThat(img.gray()).containsExactly(85f, 20f);
  }

  @Test
  void rejectsBadArguments() {
    assertThatThrownBy(() -> FaceImage.of(2, 2, new float[11]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected length H * W * 3 = 2 * 2 * 3 = 12, got 11");
    float[] v = new float[12];
    v[7] = 1.5f;
    assertThatThrownBy(() -> FaceImage.of(2, 2, v))
        .hasMessageContaining("[0, 1]")
        .hasMessageContaining("1.5")
        .hasMessageContaining("flat index 7");
    v[7] = Float.NaN;
    assertThatThrownBy(() -> FaceImage.of(2, 2, v)).hasMessageContaining("NaN");
    assertThatThrownBy(() -> FaceImage.of(0, 2, new float[0])).hasMessageContaining("W = 0");
  }

  @Test
  void pngRoundTripsExactlyAndWritesAtomically() throws IOException {
    FaceImage img = random8(7, 5, 1);
    Path f = dir.resolve("a.png");
    img.write(f);
    assertThat(FaceImage.read(f)).isEqualTo(img);
    img.write(f); // replaces
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(f); // no temporary file left behind
    }
  }

  @Test
  void jpegRoundTripsApproximately() throws IOException {
    float[] v = new float[16 * 16 * 3];
    Arrays.fill(v, 0.5f);
    FaceImage img = FaceImage.of(16, 16, v);
    Path f = dir.resolve("a.JPG");
    img.write(f);
    FaceImage back = FaceImage.read(f);
    assertThat(back.width()).isEqualTo(16);
    assertThat(back.get(8, 8, 0)).isCloseTo(0.5f, within(0.02f));
  }

  @Test
  void writeRejectsUnknownExtensions() {
    assertThatThrownBy(() -> random8(2, 2, 1).write(dir.resolve("a.bmp")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(".png, .jpg or .jpeg");
  }

  @Test
  void grayscalePngBecomesThreeEqualChannels() throws IOException {
    BufferedImage g = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
    WritableRaster r = g.getRaster();
    r.setSample(0, 0, 0, 10);
    r.setSample(2, 1, 0, 200);
    Path f = dir.resolve("g.png");
    ImageIO.write(g, "png", f.toFile());
    FaceImage img = FaceImage.read(f);
    for (int c = 0; c < 3; c++) {
      assertThat(img.get(0, 0, c)).isEqualTo(10 / 255f);
      assertThat(img.get(2, 1, c)).isEqualTo(200 / 255f);
      assertThat(img.get(1, 0, c)).isZero();
    }
  }

  @Test
  void sixteenBitGrayIsScaledByItsDepth() {
    BufferedImage g = new BufferedImage(1, 1, BufferedImage.TYPE_USHORT_GRAY);
    g.getRaster().setSample(0, 0, 0, 65535);
    assertThat(FaceImage.fromBufferedImage(g).get(0, 0, 2)).isEqualTo(1f);
  }

  @Test
  void bufferedImageRoundTrip() {
    FaceImage img = random8(4, 3, 2);
    BufferedImage b = img.toBufferedImage();
    assertThat(b.getRGB(1, 2) & 0xFFFFFF)
        .isEqualTo(
            (Math.round(img.get(1, 2, 0) * 255) << 16)
                | (Math.round(img.get(1, 2, 1) * 255) << 8)
                | Math.round(img.get(1, 2, 2) * 255));
    assertThat(FaceImage.fromBufferedImage(b)).isEqualTo(img);
    BufferedImage bgr = new BufferedImage(4, 3, BufferedImage.TYPE_3BYTE_BGR);
    bgr.getGraphics().drawImage(b, 0, 0, null);
    assertThat(FaceImage.fromBufferedImage(bgr)).isEqualTo(img);
  }

  @Test
  void ndarrayRoundTrip() {
    FaceImage img = random8(4, 3, 3);
    INDArray a = img.toINDArray();
    assertThat(a.shape()).containsExactly(1, 3, 4, 3);
    assertThat(a.dataType()).isEqualTo(DataType.FLOAT);
    assertThat(a.getFloat(0, 2, 1, 0)).isEqualTo(img.get(1, 2, 0));
    assertThat(FaceImage.fromINDArray(a)).isEqualTo(img);
    assertThat(FaceImage.fromINDArray(a.reshape(3, 4, 3))).isEqualTo(img);
    assertThatThrownBy(() -> FaceImage.fromINDArray(Nd4j.zeros(DataType.FLOAT, 3, 4, 4)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[H, W, 3] or [1, H, W, 3], got [3, 4, 4]");
  }

  // --- Corrupt, truncated and unsupported files ---

  private static byte[] jpegBytes(FaceImage img) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img.toBufferedImage(), "jpeg", out);
    return out.toByteArray();
  }

  @Test
  void truncatedJpegIsAnIoExceptionNamingTheFile() throws IOException {
    byte[] full = jpegBytes(random8(64, 64, 4));
    Path f = dir.resolve("cut.jpg");
    Files.write(f, Arrays.copyOf(full, full.length / 2));
    assertThatThrownBy(() -> FaceImage.read(f))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith(f.toString())
        .hasMessageContaining("truncated");
  }

  @Test
  void truncatedPngIsAnIoExceptionNamingTheFile() throws IOException {
    Path ok = dir.resolve("ok.png");
    random8(32, 32, 5).write(ok);
    byte[] full = Files.readAllBytes(ok);
    Path f = dir.resolve("cut.png");
    Files.write(f, Arrays.copyOf(full, full.length / 2));
    assertThatThrownBy(() -> FaceImage.read(f))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith(f.toString())
        .hasMessageContaining("PNG");
  }

  @Test
  void corruptJpegIsAnIoException() throws IOException {
    byte[] b = jpegBytes(random8(32, 32, 6));
    for (int i = b.length / 3; i < b.length / 3 + 40; i++) {
      b[i] = (byte) 0xFF; // a run of marker bytes in the entropy-coded data
    }
    Path f = dir.resolve("bad.jpg");
    Files.write(f, b);
    assertThatThrownBy(() -> FaceImage.read(f))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith(f.toString());
  }

  @Test
  void unsupportedAndEmptyFilesAreIoExceptions() throws IOException {
    Path txt = dir.resolve("notes.jpg");
    Files.writeString(txt, "hello");
    assertThatThrownBy(() -> FaceImage.read(txt))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(txt.toString())
        .hasMessageContaining("not a JPEG or PNG")
        .hasMessageContaining("68 65 6c 6c 6f");
    Path empty = dir.resolve("empty.png");
    Files.write(empty, new byte[0]);
    assertThatThrownBy(() -> FaceImage.read(empty)).hasMessageContaining("empty");
  }

  // --- EXIF orientation ---

  /** An APP1 Exif segment holding only an orientation tag, big-endian TIFF. */
  private static byte[] exifApp1(int orientation) {
    return new byte[] {
      (byte) 0xFF,
      (byte) 0xE1,
      0,
      34, // APP1, length 34 (includes itself)
      'E',
      'x',
      'i',
      'f',
      0,
      0,
      'M',
      'M',
      0,
      42,
      0,
      0,
      0,
      8, // TIFF header, IFD0 at offset 8
      0,
      1, // one entry
      0x01,
      0x12,
      0,
      3,
      0,
      0,
      0,
      1,
      0,
      (byte) orientation,
      0,
      0, // orientation, SHORT, 1 value
      0,
      0,
      0,
      0 // no next IFD
    };
  }

  /** Inserts an APP1 segment after the JFIF APP0 segment of an ImageIO JPEG. */
  private static byte[] withExif(byte[] jpeg, int orientation) {
    assertThat(jpeg[3] & 0xFF).isEqualTo(0xE0);
    int app0End = 4 + (((jpeg[4] & 0xFF) << 8) | (jpeg[5] & 0xFF));
    byte[] app1 = exifApp1(orientation);
    byte[] out = new byte[jpeg.length + app1.length];
    System.arraycopy(jpeg, 0, out, 0, app0End);
    System.arraycopy(app1, 0, out, app0End, app1.length);
    System.arraycopy(jpeg, app0End, out, app0End + app1.length, jpeg.length - app0End);
    return out;
  }

  /** 32 wide, 16 high: left half red, right half blue (large blocks survive JPEG). */
  private static FaceImage redLeftBlueRight() {
    float[] v = new float[32 * 16 * 3];
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 32; x++) {
        v[(y * 32 + x) * 3 + (x < 16 ? 0 : 2)] = 1f;
      }
    }
    return FaceImage.of(32, 16, v);
  }

  private static boolean red(FaceImage img, int x, int y) {
    return img.get(x, y, 0) > 0.8f && img.get(x, y, 2) < 0.2f;
  }

  private static boolean blue(FaceImage img, int x, int y) {
    return img.get(x, y, 2) > 0.8f && img.get(x, y, 0) < 0.2f;
  }

  @Test
  void exifOrientation6IsRotatedClockwiseOnRead() throws IOException {
    Path f = dir.resolve("rot6.jpg");
    Files.write(f, withExif(jpegBytes(redLeftBlueRight()), 6));
    FaceImage img = FaceImage.read(f);
    // Upright: 16 wide, 32 high; the stored left (red) half is now on top.
    assertThat(img.width()).isEqualTo(16);
    assertThat(img.height()).isEqualTo(32);
    assertThat(red(img, 8, 4)).isTrue();
    assertThat(blue(img, 8, 28)).isTrue();
  }

  @Test
  void exifOrientation8IsRotatedCounterClockwiseOnRead() throws IOException {
    Path f = dir.resolve("rot8.jpg");
    Files.write(f, withExif(jpegBytes(redLeftBlueRight()), 8));
    FaceImage img = FaceImage.read(f);
    assertThat(img.width()).isEqualTo(16);
    assertThat(blue(img, 8, 4)).isTrue();
    assertThat(red(img, 8, 28)).isTrue();
  }

  @Test
  void exifOrientation1AndNoExifLeaveTheImageAsStored() throws IOException {
    byte[] plain = jpegBytes(redLeftBlueRight());
    assertThat(ExifOrientation.fromJpeg(plain)).isEqualTo(ExifOrientation.NONE);
    assertThat(ExifOrientation.fromJpeg(withExif(plain, 1))).isEqualTo(1);
    Path f = dir.resolve("rot1.jpg");
    Files.write(f, withExif(plain, 1));
    FaceImage img = FaceImage.read(f);
    assertThat(img.width()).isEqualTo(32);
    assertThat(red(img, 4, 8)).isTrue();
  }

  @Test
  void malformedExifIsIgnored() throws IOException {
    byte[] b = withExif(jpegBytes(redLeftBlueRight()), 6);
    int tiff =
        4 + (((b[4] & 0xFF) << 8) | (b[5] & 0xFF)) + 10; // after APP0, APP1 header, "Exif\0\0"
    assertThat(b[tiff]).isEqualTo((byte) 'M');
    b[tiff] = 'X'; // breaks the byte-order mark
    assertThat(ExifOrientation.fromJpeg(b)).isEqualTo(ExifOrientation.MALFORMED);
    Path f = dir.resolve("badexif.jpg");
    Files.write(f, b);
    assertThat(FaceImage.read(f).width()).isEqualTo(32);
  }

  /**
   * Every orientation on a 3 x 2 image with distinct pixels, against the EXIF definitions: where
   * the stored top-left pixel (the 0th row's 0th column) must end up.
   */
  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
  void applyMatchesTheExifDefinitions(int o) {
    int w = 3;
    int h = 2;
    float[] v = new float[w * h * 3];
    for (int i = 0; i < w * h; i++) {
      v[3 * i] = i; // stored pixel index in the red channel
    }
    float[] out = ExifOrientation.apply(o, w, h, v);
    int uw = ExifOrientation.uprightWidth(o, w, h);
    int uh = ExifOrientation.uprightHeight(o, w, h);
    float[][] expected = {
      null,
      {0, 1, 2, 3, 4, 5}, // 1: as stored
      {2, 1, 0, 5, 4, 3}, // 2: mirrored horizontally
      {5, 4, 3, 2, 1, 0}, // 3: rotated 180
      {3, 4, 5, 0, 1, 2}, // 4: mirrored vertically
      {0, 3, 1, 4, 2, 5}, // 5: transposed (2 wide, 3 high)
      {3, 0, 4, 1, 5, 2}, // 6: rotated 90 clockwise
      {5, 2, 4, 1, 3, 0}, // 7: transverse
      {2, 5, 1, 4, 0, 3}, // 8: rotated 90 counter-clockwise
    };
    float[] red = new float[uw * uh];
    for (int i = 0; i < red.length; i++) {
      red[i] = out[3 * i];
    }
    assertThat(red).containsExactly(expected[o]);
    assertThat(uw * uh).isEqualTo(6);
    assertThat(uw).isEqualTo(o >= 5 ? 2 : 3);
  }

  @Test
  void cropsARectangleAndRejectsOnesOutsideTheImage() {
    byte[] b = new byte[4 * 3 * 3];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) i;
    }
    FaceImage img = FaceImage.ofRgb8(4, 3, b);
    FaceImage c = img.crop(1, 1, 2, 2);
    assertThat(c.width()).isEqualTo(2);
    assertThat(c.height()).isEqualTo(2);
    for (int y = 0; y < 2; y++) {
      for (int x = 0; x < 2; x++) {
        for (int ch = 0; ch < 3; ch++) {
          assertThat(c.get(x, y, ch)).isEqualTo(img.get(x + 1, y + 1, ch));
        }
      }
    }
    assertThatThrownBy(() -> img.crop(3, 0, 2, 1)).hasMessageContaining("crop");
    assertThatThrownBy(() -> img.crop(0, 0, 0, 1)).hasMessageContaining("crop");
    assertThatThrownBy(() -> img.crop(-1, 0, 1, 1)).hasMessageContaining("crop");
  }

  @Test
  void boxesIntersectOverUnion() {
    FaceBox a = new FaceBox(0, 0, 2, 2);
    assertThat(a.iou(a)).isEqualTo(1.0);
    assertThat(a.iou(FaceBox.scored(1, 0, 2, 2, 0.5))).isCloseTo(1.0 / 3, within(1e-12));
    assertThat(a.iou(new FaceBox(5, 5, 1, 1))).isZero();
    assertThat(a.right()).isEqualTo(2);
    assertThat(FaceBox.scored(1, 2, 3, 4, 0.25).score()).hasValue(0.25);
  }
}
