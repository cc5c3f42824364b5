package io.github.facenorm.models.train;

import java.util.Locale;

/**
 * The trainer's settings, recorded in checkpoints and in the model card (a resumed run must use the
 * same ones).
 *
 * @param steps total optimizer steps
 * @param batchSize samples per step
 * @param learningRate Adam's peak learning rate
 * @param minLearningRate the rate at the last step (cosine decay after a linear warm-up)
 * @param warmupSteps linear warm-up steps
 * @param seed seed of the initial weights and of the sample order
 * @param textureWeight weight of the texture MAE (paper: 100)
 * @param landmarkWeight weight of the landmark MSE (paper: 1)
 * @param checkpointEvery steps between checkpoints
 * @param validateEvery steps between validation passes
 */
public record TrainingConfig(
    int steps,
    int batchSize,
    double learningRate,
    double minLearningRate,
    int warmupSteps,
    long seed,
    double textureWeight,
    double landmarkWeight,
    int checkpointEvery,
    int validateEvery) {

  /** Adam's β₁. */
  public static final double BETA1 = 0.9;

  /** Adam's β₂. */
  public static final double BETA2 = 0.999;

  /** Adam's ε. */
  public static final double EPSILON = 1e-8;

  /** Checks the values. */
  public TrainingConfig {
    if (steps < 1 || batchSize < 1 || warmupSteps < 0 || checkpointEvery < 1 || validateEvery < 1) {
      throw new IllegalArgumentException("training: expected positive counts, got " + this);
    }
    if (!(learningRate > 0) || !(minLearningRate >= 0) || minLearningRate > learningRate) {
      throw new IllegalArgumentException(
          "learning rate: expected 0 ≤ min ≤ peak, peak > 0, got "
              + minLearningRate
              + ", "
              + learningRate);
    }
    if (!(textureWeight >= 0) || !(landmarkWeight >= 0) || textureWeight + landmarkWeight == 0) {
      throw new IllegalArgumentException(
          "loss weights: expected non-negative, not both 0, got "
              + textureWeight
              + ", "
              + landmarkWeight);
    }
  }

  /**
   * Defaults for the small preset: batch 32, Adam 1e-3 → 1e-5, 200 warm-up steps, paper weights.
   *
   * @param steps total steps
   * @param seed the seed
   * @return the settings
   */
  public static TrainingConfig defaults(int steps, long seed) {
    return new TrainingConfig(
        steps,
        32,
        1e-3,
        1e-5,
        Math.min(200, steps / 10),
        seed,
        Losses.TEXTURE_WEIGHT,
        Losses.LANDMARK_WEIGHT,
        200,
        500);
  }

  /**
   * The learning rate of a step (0-based): linear warm-up, then cosine decay to the minimum.
   *
   * @param step the step
   * @return the rate
   */
  public double learningRate(int step) {
    if (step < warmupSteps) {
      return learningRate * (step + 1) / warmupSteps;
    }
    double t = (double) (step - warmupSteps) / Math.max(1, steps - warmupSteps);
    return minLearningRate + 0.5 * (learningRate - minLearningRate) * (1 + Math.cos(Math.PI * t));
  }

  /** A stable text form, compared on resume. */
  public String describe() {
    return String.format(
        Locale.ROOT,
        "steps=%d batch=%d lr=%g..%g warmup=%d seed=%d wTexture=%g wLandmarks=%g",
        steps,
        batchSize,
        learningRate,
        minLearningRate,
        warmupSteps,
        seed,
        textureWeight,
        landmarkWeight);
  }
}
