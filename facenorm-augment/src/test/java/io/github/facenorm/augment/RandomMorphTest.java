package io.github.facenorm.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RandomMorphTest {

  @Test
  void weightZeroGivesAAndOneGivesBExactly() {
    FaceSet set = SyntheticSets.faces(4, 24, 1);
    MorphFace a = set.face(0);
    MorphFace b = set.face(1);
    RandomMorph.Morph m0 = RandomMorph.morph(a, b, 0, 0);
    assertThat(m0.landmarks()).isEqualTo(a.landmarks());
    assertThat(m0.texture()).isEqualTo(a.texture());
    RandomMorph.Morph m1 = RandomMorph.morph(a, b, 1, 1);
    assertThat(m1.landmarks()).isEqualTo(b.landmarks());
    assertThat(m1.texture()).isEqualTo(b.texture());
    // Landmarks and texture are interpolated independently.
    RandomMorph.Morph mixed = RandomMorph.morph(a, b, 1, 0);
    assertThat(mixed.landmarks()).isEqualTo(b.landmarks());
    assertThat(mixed.texture()).isEqualTo(a.texture());
    RandomMorph.Morph half = RandomMorph.morph(a, b, 0.5, 0.5);
    assertThat(half.landmarks().x(7))
        .isEqualTo(0.5 * a.landmarks().x(7) + 0.5 * b.landmarks().x(7));
    assertThat(half.texture().get(3, 4, 1))
        .isEqualTo(0.5f * a.texture().get(3, 4, 1) + 0.5f * b.texture().get(3, 4, 1));
  }

  @Test
  void samplesPickANeighbourAndAreFixedByTheSeed() {
    FaceSet set = SyntheticSets.faces(10, 16, 2);
    NeighbourTable table = NeighbourTable.compute(set, 3, 10, 1);
    RandomMorph morph = new RandomMorph(set, table);
    SplittableRandom r1 = new SplittableRandom(42);
    SplittableRandom r2 = new SplittableRandom(42);
    boolean differentA = false;
    int firstA = -1;
    for (int i = 0; i < 50; i++) {
      RandomMorph.Sample s = morph.sample(r1);
      RandomMorph.Sample t = morph.sample(r2);
      assertThat(s.a()).isEqualTo(t.a());
      assertThat(s.b()).isEqualTo(t.b());
      assertThat(s.morph().texture()).isEqualTo(t.morph().texture());
      assertThat(table.neighbours(s.a())).contains(s.b());
      assertThat(s.morph().landmarkWeight()).isBetween(0.0, 1.0);
      assertThat(s.morph().idA()).isEqualTo(set.face(s.a()).id());
      firstA = firstA < 0 ? s.a() : firstA;
      differentA |= s.a() != firstA;
    }
    assertThat(differentA).isTrue();
  }

  @Test
  void badInputIsNamed() {
    FaceSet set = SyntheticSets.faces(4, 16, 3);
    assertThatThrownBy(() -> RandomMorph.morph(set.face(0), set.face(1), 1.5, 0))
        .hasMessageContaining("landmarkWeight");
    FaceSet other = SyntheticSets.faces(5, 16, 3);
    NeighbourTable t = NeighbourTable.compute(other, 2, 10, 1);
    assertThatThrownBy(() -> new RandomMorph(set, t)).hasMessageContaining("table");
    FaceSet small = SyntheticSets.faces(2, 8, 3);
    assertThatThrownBy(() -> RandomMorph.morph(set.face(0), small.face(0), 0, 0))
        .hasMessageContaining("b:");
  }
}
