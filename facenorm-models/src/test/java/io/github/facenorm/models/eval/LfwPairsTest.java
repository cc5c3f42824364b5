package io.github.facenorm.models.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pair-list reader on tiny hand-written files. */
class LfwPairsTest {
  private static final String VIEW1 =
      "2\n"
          + "Aaron_Peirsol\t1\t2\n"
          + "Aaron_Peirsol\t3\t4\n"
          + "AJ_Cook\t1\tMarsha_Thomason\t1\n"
          + "Aaron_Sorkin  2   Frank_Solich 15\n"
          + "\n";

  @Test
  void readsView1InFileOrderWithPathsInLfwLayout(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("pairs.txt");
    Files.writeString(f, VIEW1, StandardCharsets.UTF_8);
    List<VerificationPair> p = LfwPairs.read(f);
    assertThat(p).hasSize(4);
    assertThat(p.get(0))
        .isEqualTo(
            new VerificationPair(
                new PhotoId("Aaron_Peirsol", 1), new PhotoId("Aaron_Peirsol", 2), true));
    assertThat(p.get(3))
        .isEqualTo(
            new VerificationPair(
                new PhotoId("Aaron_Sorkin", 2), new PhotoId("Frank_Solich", 15), false));
    assertThat(p).extracting(VerificationPair::same).containsExactly(true, true, false, false);
    assertThat(p.get(3).second().relativePath()).isEqualTo("Frank_Solich/Frank_Solich_0015.jpg");
    assertThat(LfwPairs.photos(p)).hasSize(8);
    assertThat(LfwPairs.photos(List.of(p.get(0), p.get(0), p.get(1))))
        .extracting(PhotoId::toString)
        .containsExactly(
            "Aaron_Peirsol_0001", "Aaron_Peirsol_0002", "Aaron_Peirsol_0003", "Aaron_Peirsol_0004");
  }

  @Test
  void readsView2SetsAndAByteOrderMark() {
    List<String> lines =
        List.of("\uFEFF2\t1", "A\t1\t2", "B\t1\tC\t1", "D\t3\t4", "E\t1\tF\t2", "");
    List<VerificationPair> p = LfwPairs.parse(lines, "pairs.txt");
    assertThat(p).extracting(VerificationPair::same).containsExactly(true, false, true, false);
    assertThat(p.get(2).first()).isEqualTo(new PhotoId("D", 3));
  }

  @Test
  void everyNthKeepsBothClassesBalancedAndDeterministic() {
    List<String> lines =
        List.of(
            "4", "A 1 2", "B 1 2", "C 1 2", "D 1 2", "A 1 B 1", "B 1 C 1", "C 1 D 1", "D 1 A 1");
    List<VerificationPair> all = LfwPairs.parse(lines, "x");
    List<VerificationPair> half = LfwPairs.everyNth(all, 2);
    assertThat(half).containsExactly(all.get(0), all.get(2), all.get(4), all.get(6));
    assertThat(LfwPairs.everyNth(all, 1)).isEqualTo(all);
    assertThatThrownBy(() -> LfwPairs.everyNth(all, 0)).hasMessageContaining("stride");
  }

  @Test
  void errorsNameTheSourceLineAndWhatWasExpected() {
    assertThatThrownBy(() -> LfwPairs.parse(List.of("", " "), "p.txt"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("p.txt: empty pairs file");
    assertThatThrownBy(() -> LfwPairs.parse(List.of("two", "A 1 2", "A 1 B 2"), "p.txt"))
        .hasMessageContaining("p.txt:1: expected the pair count N of the header, got 'two'");
    assertThatThrownBy(() -> LfwPairs.parse(List.of("1 2 3"), "p.txt"))
        .hasMessageContaining("p.txt:1: expected a header 'N' (View 1) or 'S N' (View 2)");
    assertThatThrownBy(() -> LfwPairs.parse(List.of("2", "A 1 2", "A 1 B 2"), "p.txt"))
        .hasMessageContaining("announces 4 pair lines (1 set of 2 same + 2 different), found 2");
    assertThatThrownBy(() -> LfwPairs.parse(List.of("1", "A 1 B 2", "A 1 B 2"), "p.txt"))
        .hasMessageContaining("p.txt:2: expected a same-person pair 'name i j', got 4 fields")
        .hasMessageContaining("'A 1 B 2'");
    assertThatThrownBy(() -> LfwPairs.parse(List.of("1", "", "A 1 2", "A 1 2"), "p.txt"))
        .hasMessageContaining("p.txt:4: expected a different-person pair 'name1 i name2 j'");
    assertThatThrownBy(() -> LfwPairs.parse(List.of("1", "A 1 x", "A 1 B 2"), "p.txt"))
        .hasMessageContaining("p.txt:2: expected a 1-based photo number, got 'x'");
    assertThatThrownBy(() -> LfwPairs.parse(List.of("1", "A 0 1", "A 1 B 2"), "p.txt"))
        .hasMessageContaining("p.txt:2: expected a 1-based photo number (>= 1), got 0");
    assertThatThrownBy(
            () -> LfwPairs.parse(List.of("2 1", "A 1 2", "A 1 B 2", "C 1 2", "C 1 D"), "p.txt"))
        .hasMessageContaining(
            "p.txt:5: expected a different-person pair 'name1 i name2 j' of set 2,"
                + " got 3 fields: 'C 1 D'");
  }

  @Test
  void photoIdsAreValidated() {
    assertThatThrownBy(() -> new PhotoId("a/b", 1)).hasMessageContaining("name");
    assertThatThrownBy(() -> new PhotoId(" ", 1)).hasMessageContaining("name");
    assertThatThrownBy(() -> new PhotoId("A", 0)).hasMessageContaining("number");
  }
}
