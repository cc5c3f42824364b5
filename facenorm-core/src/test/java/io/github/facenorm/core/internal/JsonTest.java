package io.github.facenorm.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one JSON reader: values, errors, and the depth and size bounds. */
class JsonTest {

  @Test
  void readsPlainJavaValuesWithEveryNumberAsDouble() {
    Object v =
        Json.parse(
            "{\"a\": [1, 2.5, -3e2, true, false, null, \"x\\n\\u00e9\"], \"b\": {}, \"c\": []}");
    assertThat(v).isInstanceOf(Map.class);
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) v;
    assertThat(m.keySet()).containsExactly("a", "b", "c");
    assertThat(m.get("a"))
        .isEqualTo(java.util.Arrays.asList(1.0, 2.5, -300.0, true, false, null, "x\né"));
    assertThat(m.get("b")).isEqualTo(Map.of());
    assertThat(m.get("c")).isEqualTo(List.of());
    assertThat(Json.parse("42")).isEqualTo(42.0);
  }

  @Test
  void writtenNumbersAndStringsReadBackExactly() {
    double[] values = {0, -1, 1e15, 0.1, Math.PI, -2.5e-300, 123456789.123};
    for (double d : values) {
      assertThat(Json.parse(Json.number(d))).isEqualTo(d);
    }
    assertThat(Json.number(Double.NaN)).isEqualTo("null");
    String s = "quote \" backslash \\ tab \t newline \n bell \u0007";
    assertThat(Json.parse(Json.quote(s))).isEqualTo(s);
  }

  @Test
  void syntaxErrorsNameTheSourceAndPosition() {
    assertThatThrownBy(() -> Json.parse("{\"a\": [1, 2", "m.json"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("m.json")
        .hasMessageContaining("malformed JSON");
    assertThatThrownBy(() -> Json.parse("[1] 2", "t.json"))
        .hasMessageContaining("t.json")
        .hasMessageContaining("trailing");
    assertThatThrownBy(() -> Json.parse("{\"a\": 1, \"a\": 2}", "d.json"))
        .hasMessageContaining("duplicate key \"a\"");
    assertThatThrownBy(() -> Json.parse("", "e.json")).hasMessageContaining("e.json");
    assertThatThrownBy(() -> Json.parse("[1,]", "c.json")).hasMessageContaining("c.json");
  }

  @Test
  void deepNestingIsAClearErrorNotAStackOverflow() {
    String deep = "[".repeat(200_000) + "]".repeat(200_000);
    assertThatThrownBy(() -> Json.parse(deep, "deep.json"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("deep.json")
        .hasMessageContaining("nesting depth")
        .hasMessageContaining(String.valueOf(Json.MAX_DEPTH));
    String unclosed = "{\"a\":".repeat(100_000);
    assertThatThrownBy(() -> Json.parse(unclosed, "u.json"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("u.json");
    String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
    assertThat(Json.parse(ok)).isInstanceOf(List.class);
  }

  @Test
  void filesAreBoundedAndNamedInErrors(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("a.json");
    Files.writeString(f, "{\"x\": [1, 2]}");
    assertThat(Json.read(f)).isEqualTo(Map.of("x", List.of(1.0, 2.0)));
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "[" + "[".repeat(1000));
    assertThatThrownBy(() -> Json.read(bad))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("bad.json");
    Path big = dir.resolve("big.json");
    try (var ch =
        java.nio.channels.FileChannel.open(
            big,
            java.nio.file.StandardOpenOption.CREATE_NEW,
            java.nio.file.StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(new byte[] {' '}), Json.MAX_CHARS + 1L); // sparse
    }
    assertThatThrownBy(() -> Json.read(big))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("big.json")
        .hasMessageContaining("allowed");
  }
}
