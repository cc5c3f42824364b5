package io.github.facenorm.augment;

import io.github.facenorm.core.FaceImage;
import io.github.facenorm.core.Landmarks;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Random face morphs (paper Sec. 5.1): a seed face {@code A} drawn uniformly, a target {@code B}
 * drawn uniformly from A's {@code k} nearest neighbours ({@link NeighbourTable}, Eq. 2), and their
 * landmarks and textures interpolated independently with weights drawn uniformly from {@code [0,
 * 1]}: {@code L = (1 − w_L) L_A + w_L L_B}, {@code T = (1 − w_T) T_A + w_T T_B}. A weight of 0
 * gives A and a weight of 1 gives B exactly. Immutable and thread-safe; the randomness comes from
 * the caller's generator, so a seed fixes every choice.
 */
public final class RandomMorph {

  private final FaceSet faces;
  private final NeighbourTable table;

  /**
   * A morph generator over a face set and its neighbour table.
   *
   * @param faces the faces
   * @param table their neighbour table ({@link NeighbourTable#compute})
   * @throws IllegalArgumentException if the table was made for a set of another size
   */
  public RandomMorph(FaceSet faces, NeighbourTable table) {
    this.faces = Objects.requireNonNull(faces, "faces");
    this.table = Objects.requireNonNull(table, "table");
    if (table.size() != faces.size()) {
      throw new IllegalArgumentException(
          "table: made for " + table.size() + " faces, the set has " + faces.size());
    }
  }

  /**
   * One morph of two faces with given weights.
   *
   * @param a face {@code A}
   * @param b face {@code B}, with a texture of the same size
   * @param landmarkWeight {@code w_L} in {@code [0, 1]}
   * @param textureWeight {@code w_T} in {@code [0, 1]}
   * @return the morphed landmarks and texture
   */
  public static Morph morph(MorphFace a, MorphFace b, double landmarkWeight, double textureWeight) {
    Objects.requireNonNull(a, "a");
    Objects.requireNonNull(b, "b");
    weight(landmarkWeight, "landmarkWeight");
    weight(textureWeight, "textureWeight");
    if (a.texture().width() != b.texture().width()
        || a.texture().height() != b.texture().height()) {
      throw new IllegalArgumentException(
          "b: texture is "
              + b.texture().width()
              + " × "
              + b.texture().height()
              + ", A's is "
              + a.texture().width()
              + " × "
              + a.texture().height());
    }
    double[] la = a.landmarks().toFlatArray();
    double[] lb = b.landmarks().toFlatArray();
    double[] l = new double[la.length];
    double wl = landmarkWeight;
    for (int i = 0; i < l.length; i++) {
      l[i] = (1 - wl) * la[i] + wl * lb[i];
    }
    float[] ta = a.texture().toArray();
    float[] tb = b.texture().toArray();
    float[] t = new float[ta.length];
    float wt = (float) textureWeight;
    for (int i = 0; i < t.length; i++) {
      // Clamped: rounding may step a hair outside [0, 1].
      t[i] = Math.min(1f, Math.max(0f, (1 - wt) * ta[i] + wt * tb[i]));
    }
    return new Morph(
        a.id(),
        b.id(),
        landmarkWeight,
        textureWeight,
        Landmarks.of(l),
        FaceImage.of(a.texture().width(), a.texture().height(), t));
  }

  /**
   * Draws one random morph: {@code A}, then {@code B} among A's neighbours, then {@code w_L} and
   * {@code w_T}, in that order from {@code random}.
   *
   * @param random the generator (consumes exactly two ints and two doubles)
   * @return the morph and where it came from
   */
  public Sample sample(SplittableRandom random) {
    Objects.requireNonNull(random, "random");
    int a = random.nextInt(faces.size());
    int b = table.neighbour(a, random.nextInt(table.k()));
    double wl = random.nextDouble();
    double wt = random.nextDouble();
    return new Sample(a, b, morph(faces.face(a), faces.face(b), wl, wt));
  }

  /** The face set. */
  public FaceSet faces() {
    return faces;
  }

  /** The neighbour table. */
  public NeighbourTable table() {
    return table;
  }

  private static void weight(double w, String name) {
    if (!(w >= 0 && w <= 1)) {
      throw new IllegalArgumentException(name + ": expected a weight in [0, 1], got " + w);
    }
  }

  /**
   * A morph's result.
   *
   * @param idA face A's id
   * @param idB face B's id
   * @param landmarkWeight {@code w_L}
   * @param textureWeight {@code w_T}
   * @param landmarks the morphed landmarks
   * @param texture the morphed texture, {@code [H, W, 3]}
   */
  public record Morph(
      String idA,
      String idB,
      double landmarkWeight,
      double textureWeight,
      Landmarks landmarks,
      FaceImage texture) {}

  /**
   * A random morph with the indices of its faces.
   *
   * @param a index of face A in the set
   * @param b index of face B
   * @param morph the morph
   */
  public record Sample(int a, int b, Morph morph) {}
}
