package io.github.facenorm.augment;

import io.github.facenorm.augment.internal.GridSolver;
import io.github.facenorm.core.FaceImage;
import java.util.Locale;
import java.util.Objects;

/**
 * Gradient-domain compositing of a face texture onto a background texture (paper Sec. 5.2, Eq. 3).
 * The output {@code T_o} solves, per channel and in the least-squares sense, the over-constrained
 * system
 *
 * <pre>
 *   ∂x T_o = ∂x T_f ∘ M + ∂x T_b ∘ (1 − M)
 *   ∂y T_o = ∂y T_f ∘ M + ∂y T_b ∘ (1 − M)
 *   T_o ∘ M = T_f ∘ M
 * </pre>
 *
 * with {@code T_f} the face, {@code T_b} the background and {@code M} the {@link BlendMask}.
 * Gradients are forward differences between 4-neighbours; an edge's mask value is the mean of its
 * two pixels'. The normal equations {@code (Dxᵀ Dx + Dyᵀ Dy + diag(M²)) T_o = Dxᵀ g_x + Dyᵀ g_y +
 * M² T_f} are solved by multigrid-preconditioned conjugate gradients in double precision, started
 * from {@code M T_f + (1 − M) T_b}; the result is clamped to {@code [0, 1]}. Immutable and
 * thread-safe; a solver plan is built per mask ({@link #plan}) and can be shared across threads.
 */
public final class GradientDomainCompositor {

  /** Default relative residual at which the solve stops. */
  public static final double DEFAULT_TOLERANCE = 1e-5;

  /** Default iteration limit. */
  public static final int DEFAULT_MAX_ITERATIONS = 200;

  private final double tolerance;
  private final int maxIterations;

  private GradientDomainCompositor(Builder b) {
    this.tolerance = b.tolerance;
    this.maxIterations = b.maxIterations;
  }

  /**
   * A builder with the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Prepares the solver for one mask (the costly part that does not depend on the images).
   *
   * @param mask the blending mask, positive somewhere
   * @return a plan to composite any images of the mask's size
   * @throws IllegalArgumentException if the mask is zero everywhere
   */
  public Plan plan(BlendMask mask) {
    Objects.requireNonNull(mask, "mask");
    float[] m = mask.values();
    double[] d = new double[m.length];
    for (int i = 0; i < m.length; i++) {
      d[i] = (double) m[i] * m[i];
    }
    try {
      return new Plan(mask, new GridSolver(mask.width(), mask.height(), d));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("mask: zero everywhere, nothing anchors the colors", e);
    }
  }

  /**
   * Composites once (builds a plan and uses it).
   *
   * @param face {@code T_f}, {@code [H, W, 3]}
   * @param background {@code T_b}, same size
   * @param mask {@code M}, same size
   * @return {@code T_o}
   */
  public FaceImage composite(FaceImage face, FaceImage background, BlendMask mask) {
    return plan(mask).composite(face, background);
  }

  /** The relative residual tolerance. */
  public double tolerance() {
    return tolerance;
  }

  /** The iteration limit. */
  public int maxIterations() {
    return maxIterations;
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "GradientDomainCompositor{tolerance=%s, maxIterations=%d}",
        tolerance,
        maxIterations);
  }

  /** A compositor bound to one mask. Immutable and thread-safe. */
  public final class Plan {
    private final BlendMask mask;
    private final GridSolver solver;

    private Plan(BlendMask mask, GridSolver solver) {
      this.mask = mask;
      this.solver = solver;
    }

    /** The mask. */
    public BlendMask mask() {
      return mask;
    }

    /**
     * Composites a face onto a background.
     *
     * @param face {@code T_f}, {@code [H, W, 3]}, the mask's size
     * @param background {@code T_b}, the same size
     * @return {@code T_o}, clamped to {@code [0, 1]}
     */
    public FaceImage composite(FaceImage face, FaceImage background) {
      return FaceImage.of(mask.width(), mask.height(), compositeArray(face, background, null));
    }

    /**
     * Composites, and reports the conjugate-gradient iterations per channel.
     *
     * @param face {@code T_f}
     * @param background {@code T_b}
     * @param iterations receives 3 counts (may be null)
     * @return {@code T_o} as {@code [H, W, 3]} values in {@code [0, 1]}
     */
    public float[] compositeArray(FaceImage face, FaceImage background, int[] iterations) {
      Objects.requireNonNull(face, "face");
      Objects.requireNonNull(background, "background");
      int w = mask.width();
      int h = mask.height();
      check(face, "face", w, h);
      check(background, "background", w, h);
      float[] tf = face.toArray();
      float[] tb = background.toArray();
      float[] m = mask.values();
      int n = w * h;
      // All three channels at once, interleaved like the image: [H, W, 3].
      double[] b = new double[3 * n];
      double[] x = new double[3 * n];
      for (int y = 0; y < h; y++) {
        for (int xx = 0; xx < w; xx++) {
          int i = y * w + xx;
          double mi = m[i];
          for (int ch = 0; ch < 3; ch++) {
            double f = tf[3 * i + ch];
            b[3 * i + ch] += mi * mi * f;
            x[3 * i + ch] = mi * f + (1 - mi) * tb[3 * i + ch];
          }
          if (xx < w - 1) {
            addEdge(b, tf, tb, m, i, i + 1);
          }
          if (y < h - 1) {
            addEdge(b, tf, tb, m, i, i + w);
          }
        }
      }
      int[] its = iterations != null ? iterations : new int[3];
      solver.solve(b, x, 3, tolerance, maxIterations, its);
      float[] out = new float[3 * n];
      for (int i = 0; i < out.length; i++) {
        out[i] = (float) Math.min(1, Math.max(0, x[i]));
      }
      return out;
    }
  }

  /** Adds an edge's target gradients (3 channels) to the right-hand side (Dᵀ g). */
  private static void addEdge(double[] b, float[] tf, float[] tb, float[] m, int i, int j) {
    double me = 0.5 * ((double) m[i] + m[j]);
    for (int ch = 0; ch < 3; ch++) {
      double g =
          me * ((double) tf[3 * j + ch] - tf[3 * i + ch])
              + (1 - me) * ((double) tb[3 * j + ch] - tb[3 * i + ch]);
      b[3 * j + ch] += g;
      b[3 * i + ch] -= g;
    }
  }

  private static void check(FaceImage img, String name, int w, int h) {
    if (img.width() != w || img.height() != h) {
      throw new IllegalArgumentException(
          name
              + ": expected "
              + w
              + " × "
              + h
              + " (the mask's size), got "
              + img.width()
              + " × "
              + img.height());
    }
  }

  /** Builds a {@link GradientDomainCompositor}. */
  public static final class Builder {
    private double tolerance = DEFAULT_TOLERANCE;
    private int maxIterations = DEFAULT_MAX_ITERATIONS;

    private Builder() {}

    /**
     * The relative residual {@code ‖b − A x‖ / ‖b‖} at which the solve stops (default {@value
     * GradientDomainCompositor#DEFAULT_TOLERANCE}).
     *
     * @param value in {@code (0, 1)}
     * @return this builder
     */
    public Builder tolerance(double value) {
      if (!(value > 0 && value < 1)) {
        throw new IllegalArgumentException("tolerance: expected a value in (0, 1), got " + value);
      }
      this.tolerance = value;
      return this;
    }

    /**
     * The most conjugate-gradient iterations per channel (default {@value
     * GradientDomainCompositor#DEFAULT_MAX_ITERATIONS}).
     *
     * @param value at least 1
     * @return this builder
     */
    public Builder maxIterations(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("maxIterations: expected at least 1, got " + value);
      }
      this.maxIterations = value;
      return this;
    }

    /**
     * Builds the compositor.
     *
     * @return the compositor
     */
    public GradientDomainCompositor build() {
      return new GradientDomainCompositor(this);
    }
  }
}
