package io.github.facenorm.core.dlib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.facenorm.core.dlib.internal.DlibInput;
import io.github.facenorm.core.dlib.internal.ShapePredictorReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DlibReaderTest {

  @TempDir Path dir;

  private static DlibInput input(int... bytes) {
    byte[] b = new byte[bytes.length];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) bytes[i];
    }
    return input(b);
  }

  private static DlibInput input(byte[] b) {
    return new DlibInput(new ByteArrayInputStream(b), b.length, "test.dat");
  }

  @Test
  void decodesTheNotesExamples() throws IOException {
    assertThat(input(0x81, 0x88).readSigned("long", 8)).isEqualTo(-136);
    assertThat(input(0x01, 0x01).readSigned("int", 4)).isEqualTo(1);
    assertThat(input(0x81, 0x1d).readSigned("int16", 2)).isEqualTo(-29);
    assertThat(input(0x01, 0x00).readUnsigned("size", 10)).isZero();
    // The model's first float: mantissa 0xf1384d, exponent -29.
    float f = input(0x03, 0x4d, 0x38, 0xf1, 0x81, 0x1d).readFloat("float");
    assertThat(Float.floatToRawIntBits(f)).isEqualTo(0x3cf1384d);
    // Non-minimal lengths are valid.
    assertThat(input(0x04, 0x07, 0, 0, 0).readUnsigned("size", 10)).isEqualTo(7);
  }

  @Test
  void floatsRoundTripBitExactly() throws IOException {
    Random r = new Random(3);
    float[] values = new float[2000];
    for (int i = 0; i < values.length; i++) {
      values[i] = Float.intBitsToFloat(r.nextInt());
      if (!Float.isFinite(values[i])) {
        values[i] = i;
      }
    }
    values[0] = 0f;
    values[1] = Float.MIN_VALUE;
    values[2] = -Float.MAX_VALUE;
    values[3] = 0.029445791617f;
    DlibWriter w = new DlibWriter();
    for (float v : values) {
      w.floatValue(v);
    }
    DlibInput in = input(w.toByteArray());
    for (float v : values) {
      // dlib writes -0 as 0 (mantissa 0 has no sign); everything else is bit exact.
      assertThat(Float.floatToRawIntBits(in.readFloat("f")))
          .isEqualTo(Float.floatToRawIntBits(v == 0f ? 0f : v));
    }
    in.expectEnd("the floats");
  }

  @Test
  void rejectsBadPrimitives() {
    assertThatThrownBy(() -> input(0x81, 0x01).readUnsigned("a count", 10))
        .hasMessageContaining("test.dat: at byte offset 0")
        .hasMessageContaining("sign bit");
    assertThatThrownBy(() -> input(0x11, 0x01).readUnsigned("a count", 10))
        .hasMessageContaining("reserved bits");
    assertThatThrownBy(() -> input(0x00).readUnsigned("a count", 10))
        .hasMessageContaining("gives 0 bytes");
    assertThatThrownBy(() -> input(0x05, 1, 2, 3, 4, 5).readSigned("an int", 4))
        .hasMessageContaining("not 1..4");
    assertThatThrownBy(() -> input(0x02, 0xff, 0xff).readSigned("an int16", 2))
        .hasMessageContaining("overflows");
    assertThatThrownBy(() -> input(0x01, 11).readUnsigned("a count", 10))
        .hasMessageContaining("maximum 10")
        .hasMessageContaining("got 11");
    assertThatThrownBy(() -> input(0x03, 1, 2).readUnsigned("a count", 1000000))
        .hasMessageContaining("truncated");
    assertThatThrownBy(() -> input('1', '.', '5', ' ').readFloat("a float"))
        .hasMessageContaining("old text float format");
    assertThatThrownBy(() -> input(0x01, 0x00, 0x02, 0x00, 0x7d).readFloat("a float"))
        .hasMessageContaining("infinity or NaN");
  }

  @Test
  void countsAreBoundedByTheBytesThatRemainBeforeAllocating() {
    // 2^40 cascades in a 10-byte file.
    DlibInput in = input(0x05, 0, 0, 0, 0, 1, 0, 0, 0, 0);
    assertThatThrownBy(() -> in.readCount("cascades", 2, Integer.MAX_VALUE))
        .hasMessageContaining("at byte offset 0");
    DlibInput in2 = input(0x02, 0x10, 0x27, 0, 0, 0, 0);
    assertThatThrownBy(() -> in2.readCount("cascades", 2, Integer.MAX_VALUE))
        .hasMessageContaining(
            "a count of 10000 needs at least 20000 more bytes, but only 4 remain");
  }

  private static TinyModel sample() {
    return TinyModel.random(11, 3, 2, 3, 2, 5);
  }

  private Path write(byte[] bytes) throws IOException {
    Path f = dir.resolve("m.dat");
    Files.write(f, bytes);
    return f;
  }

  @Test
  void readsWhatDlibWrites() throws IOException {
    TinyModel m = sample();
    ShapePredictorReader.Result r = ShapePredictorReader.read(write(m.serialize()));
    assertThat(r.model().initialShape()).containsExactly(m.initial);
    assertThat(r.model().cascades()).hasSize(2);
    assertThat(r.model().cascades()[1].anchor()).containsExactly(m.levels.get(1).anchor());
    assertThat(r.model().cascades()[1].deltas()).containsExactly(m.levels.get(1).deltas());
    TinyModel.Tree t = m.levels.get(1).trees().get(2);
    var rt = r.model().cascades()[1].trees()[2];
    assertThat(rt.idx1()).containsExactly(t.idx1());
    assertThat(rt.idx2()).containsExactly(t.idx2());
    assertThat(rt.thresh()).containsExactly(t.thresh());
    assertThat(Arrays.copyOfRange(rt.leaves(), 6, 12)).containsExactly(t.leaves()[1]);
    assertThat(r.bytes()).isEqualTo(m.serialize().length);
    assertThat(r.sha256()).hasSize(64);
  }

  @Test
  void everyTruncationIsAnIoExceptionNamingTheFileAndOffset() throws IOException {
    byte[] full = sample().serialize();
    for (int len = 0; len < full.length; len++) {
      Path f = write(Arrays.copyOf(full, len));
      assertThatThrownBy(() -> DlibShapePredictor.load(f))
          .as("truncated to %d of %d bytes", len, full.length)
          .isInstanceOf(IOException.class)
          .hasMessageStartingWith(f.toString() + ": at byte offset ")
          .hasMessageContaining("expected");
    }
  }

  @Test
  void randomByteCorruptionNeverEscapesAsAnotherException() throws IOException {
    byte[] full = sample().serialize();
    Random r = new Random(5);
    for (int trial = 0; trial < 300; trial++) {
      byte[] b = full.clone();
      b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
      Path f = write(b);
      try {
        DlibShapePredictor.load(f);
      } catch (IOException e) {
        assertThat(e).hasMessageStartingWith(f.toString() + ": at byte offset ");
      }
    }
  }

  @Test
  void rejectsStructuralErrors() throws IOException {
    byte[] good = sample().serialize();

    byte[] v2 = good.clone();
    v2[1] = 2;
    assertThatThrownBy(() -> DlibShapePredictor.load(write(v2)))
        .hasMessageContaining("at byte offset 0")
        .hasMessageContaining("version 1")
        .hasMessageContaining("got 2");

    byte[] trailing = Arrays.copyOf(good, good.length + 3);
    assertThatThrownBy(() -> DlibShapePredictor.load(write(trailing)))
        .hasMessageContaining("at byte offset " + good.length)
        .hasMessageContaining("3 more bytes follow");

    TinyModel badSplit = sample();
    badSplit.levels.get(1).trees().get(0).idx2()[1] = 5; // cascade 1 has 5 pixels: 0..4
    assertThatThrownBy(() -> DlibShapePredictor.load(write(badSplit.serialize())))
        .hasMessageContaining("forests[1][0].splits[1]")
        .hasMessageContaining("< 5");

    TinyModel badAnchor = sample();
    badAnchor.levels.get(0).anchor()[2] = 3; // 3 parts: 0..2
    assertThatThrownBy(() -> DlibShapePredictor.load(write(badAnchor.serialize())))
        .hasMessageContaining("anchor_idx[0]")
        .hasMessageContaining("< 3");

    TinyModel incomplete =
        new TinyModel(0.1f, 0.2f, 0.3f, 0.4f)
            .level(
                new int[] {0},
                new float[] {0, 0},
                TinyModel.tree(
                    new int[] {0, 0},
                    new int[] {0, 0},
                    new float[] {0, 0},
                    new float[4],
                    new float[4],
                    new float[4]));
    assertThatThrownBy(() -> DlibShapePredictor.load(write(incomplete.serialize())))
        .hasMessageContaining("complete binary tree")
        .hasMessageContaining("got 3 leaves");

    TinyModel wrongLeaf =
        new TinyModel(0.1f, 0.2f, 0.3f, 0.4f)
            .level(
                new int[] {0},
                new float[] {0, 0},
                TinyModel.tree(new int[0], new int[0], new float[0], new float[6]));
    assertThatThrownBy(() -> DlibShapePredictor.load(write(wrongLeaf.serialize())))
        .hasMessageContaining("forests[0][0]")
        .hasMessageContaining("4 rows")
        .hasMessageContaining("got 6");
  }

  @Test
  void rejectsAFileThatIsNotAModel() throws IOException {
    Path png = write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    assertThatThrownBy(() -> DlibShapePredictor.load(png))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith(png + ": at byte offset 0");
  }
}
