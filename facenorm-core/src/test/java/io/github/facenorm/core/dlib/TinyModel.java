package io.github.facenorm.core.dlib;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Test helper: a shape predictor built by hand, serialized as dlib would write it. */
final class TinyModel {

  /** One tree: splits {@code (idx1, idx2, thresh)} and {@code splits + 1} leaves. */
  record Tree(int[] idx1, int[] idx2, float[] thresh, float[][] leaves) {}

  /** One cascade level. */
  record Level(int[] anchor, float[] deltas, List<Tree> trees) {}

  final float[] initial;
  final List<Level> levels = new ArrayList<>();

  TinyModel(float... initial) {
    this.initial = initial;
  }

  TinyModel level(int[] anchor, float[] deltas, Tree... trees) {
    levels.add(new Level(anchor, deltas, List.of(trees)));
    return this;
  }

  static Tree tree(int[] idx1, int[] idx2, float[] thresh, float[]... leaves) {
    return new Tree(idx1, idx2, thresh, leaves);
  }

  byte[] serialize() {
    DlibWriter w = new DlibWriter();
    w.signed(1);
    w.column(initial);
    w.unsigned(levels.size());
    for (Level l : levels) {
      w.unsigned(l.trees().size());
      for (Tree t : l.trees()) {
        w.unsigned(t.idx1().length);
        for (int s = 0; s < t.idx1().length; s++) {
          w.unsigned(t.idx1()[s]).unsigned(t.idx2()[s]).floatValue(t.thresh()[s]);
        }
        w.unsigned(t.leaves().length);
        for (float[] leaf : t.leaves()) {
          w.column(leaf);
        }
      }
    }
    w.unsigned(levels.size());
    for (Level l : levels) {
      w.unsigned(l.anchor().length);
      for (int a : l.anchor()) {
        w.unsigned(a);
      }
    }
    w.unsigned(levels.size());
    for (Level l : levels) {
      w.unsigned(l.anchor().length);
      for (float d : l.deltas()) {
        w.floatValue(d);
      }
    }
    return w.toByteArray();
  }

  /** A random model shaped like dlib's (complete trees, random leaves of learning-rate size). */
  static TinyModel random(long seed, int parts, int levels, int trees, int depth, int pixels) {
    Random r = new Random(seed);
    float[] init = new float[2 * parts];
    for (int i = 0; i < init.length; i++) {
      init[i] = 0.1f + 0.8f * r.nextFloat();
    }
    TinyModel m = new TinyModel(init);
    int splits = (1 << depth) - 1;
    for (int c = 0; c < levels; c++) {
      int[] anchor = new int[pixels];
      float[] deltas = new float[2 * pixels];
      for (int i = 0; i < pixels; i++) {
        anchor[i] = r.nextInt(parts);
        deltas[2 * i] = (r.nextFloat() - 0.5f) * 0.4f;
        deltas[2 * i + 1] = (r.nextFloat() - 0.5f) * 0.4f;
      }
      Tree[] ts = new Tree[trees];
      for (int t = 0; t < trees; t++) {
        int[] i1 = new int[splits];
        int[] i2 = new int[splits];
        float[] th = new float[splits];
        for (int s = 0; s < splits; s++) {
          i1[s] = r.nextInt(pixels);
          i2[s] = r.nextInt(pixels);
          th[s] = (r.nextFloat() - 0.5f) * 128;
        }
        float[][] leaves = new float[splits + 1][2 * parts];
        for (float[] leaf : leaves) {
          for (int j = 0; j < leaf.length; j++) {
            leaf[j] = (float) (r.nextGaussian() * 0.01);
          }
        }
        ts[t] = new Tree(i1, i2, th, leaves);
      }
      m.level(anchor, deltas, ts);
    }
    return m;
  }
}
