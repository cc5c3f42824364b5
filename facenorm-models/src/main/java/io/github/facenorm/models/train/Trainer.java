package io.github.facenorm.models.train;

import io.github.facenorm.core.FaceDecomposition;
import io.github.facenorm.core.FaceImage;
import io.github.facenorm.core.Landmarks;
import io.github.facenorm.core.MeanShape;
import io.github.facenorm.core.batch.BatchProgress;
import io.github.facenorm.core.internal.AtomicFiles;
import io.github.facenorm.models.normalize.ModelConfig;
import io.github.facenorm.models.normalize.NormalizerModel;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Trains a {@link NormalizerModel} on precomputed features (the recognition net is frozen and not
 * in the loop): loss = {@code wT · MAE(texture) + wL · MSE(landmarks)} (paper Sec. 3.3 without the
 * identity term; for a plain-CNN baseline the texture target is the rendered target image), Adam
 * with a warm-up + cosine learning-rate schedule, a seeded sample order (epoch {@code e} is a
 * permutation drawn from {@code seed} and {@code e}).
 *
 * <p>Every {@link TrainingConfig#checkpointEvery} steps the parameters, Adam's moments, the step,
 * the elapsed time and the loss history are written atomically to {@value #CHECKPOINT}; {@code
 * resume} continues from it exactly: the parameters after step {@code n} of a resumed run equal
 * those of an uninterrupted run.
 */
public final class Trainer {

  /** Checkpoint file name inside the output folder. */
  public static final String CHECKPOINT = "checkpoint.bin";

  /** Loss history file name inside the output folder. */
  public static final String HISTORY = "training.csv";

  private static final int PROGRESS_EVERY = 20;
  private static final int GC_EVERY = 5;
  private static final String LOSS = "loss";
  private static final String TEXTURE_LOSS = "textureLoss";
  private static final String LANDMARK_LOSS = "landmarkLoss";
  static final String TARGET_TEXTURE = "targetTexture";
  static final String TARGET_LANDMARKS = "targetLandmarks";
  private static final String TARGET_DESCRIPTORS = "targetDescriptors";
  private static final String IDENTITY_LOSS = "identityLoss";

  private final TrainingData data;
  private final ModelConfig modelConfig;
  private final TrainingConfig config;
  private final double identityWeight;
  private final NormalizerModel model;
  private final SameDiff sd;
  private final List<String> vars;
  private final Map<String, INDArray> m = new HashMap<>();
  private final Map<String, INDArray> v = new HashMap<>();
  private final MeanShape targetShape; // non-null: targets are rendered images (plain CNN)
  private final int[] train;
  private final int[] validation;
  private final List<String> history = new ArrayList<>();
  private int step;
  private double elapsedSeconds;
  private int permEpoch = -1;
  private int[] perm;

  /**
   * A trainer with a fresh model.
   *
   * @param data the training data
   * @param modelConfig the model's sizes (frame size must equal the data's)
   * @param config the settings
   */
  public Trainer(TrainingData data, ModelConfig modelConfig, TrainingConfig config) {
    this(data, fresh(data, modelConfig, config), config, null, 0);
  }

  /**
   * A trainer that continues a trained model, optionally with the paper's identity loss ({@link
   * Losses#identityCosine(SameDiff, FaceRecognitionNet, SDVariable, ModelConfig, SDVariable,
   * double)}) on the decoded texture: the texture is the face in the mean-landmark geometry, so its
   * chip is read by the frozen recognition net and compared with the input photo's descriptor. (The
   * paper applies it to the warped output; the texture leaves the spline warp out of the loop,
   * which keeps a fine-tuning step affordable on 2 cores.)
   *
   * @param data the training data (the model's frame size)
   * @param initial the model to continue; trained in place
   * @param config the settings
   * @param net the recognition net, or null for no identity term
   * @param identityWeight the identity term's weight (paper: {@value Losses#IDENTITY_WEIGHT}), 0
   *     for none
   */
  public Trainer(
      TrainingData data,
      NormalizerModel initial,
      TrainingConfig config,
      io.github.facenorm.models.nets.FaceRecognitionNet net,
      double identityWeight) {
    this.data = Objects.requireNonNull(data, "data");
    this.model = Objects.requireNonNull(initial, "initial");
    this.modelConfig = initial.config();
    this.config = Objects.requireNonNull(config, "config");
    if (modelConfig.frameSize() != data.size) {
      throw new IllegalArgumentException(
          "data: frames are " + data.size + " px, the model needs " + modelConfig.frameSize());
    }
    if (!(identityWeight >= 0) || (identityWeight > 0 && net == null)) {
      throw new IllegalArgumentException(
          "identityWeight: expected ≥ 0 (and a recognition net when > 0), got " + identityWeight);
    }
    this.identityWeight = identityWeight;
    this.targetShape =
        modelConfig.decoder().warps() ? null : MeanShape.of(initial.meanLandmarks(), 1);
    sd = model.graph();
    int s = modelConfig.frameSize();
    SDVariable tt = sd.placeHolder(TARGET_TEXTURE, DataType.FLOAT, -1, s, s, 3);
    SDVariable tl = sd.placeHolder(TARGET_LANDMARKS, DataType.FLOAT, -1, 68, 2);
    SDVariable texLoss =
        Losses.textureMae(sd, sd.getVariable(NormalizerModel.TEXTURE), tt, config.textureWeight())
            .rename(TEXTURE_LOSS);
    SDVariable lmLoss =
        Losses.landmarkMse(
                sd, sd.getVariable(NormalizerModel.LANDMARKS), tl, config.landmarkWeight())
            .rename(LANDMARK_LOSS);
    SDVariable total = texLoss.add(lmLoss);
    if (identityWeight > 0) {
      SDVariable td = sd.placeHolder(TARGET_DESCRIPTORS, DataType.FLOAT, -1, 128);
      SDVariable idLoss =
          Losses.identityCosine(
                  sd, net, sd.getVariable(NormalizerModel.TEXTURE), modelConfig, td, identityWeight)
              .rename(IDENTITY_LOSS);
      total = total.add(idLoss);
    }
    total.rename(LOSS);
    sd.setLossVariables(LOSS);
    vars = model.trainableVariables();
    for (String name : vars) {
      INDArray p = sd.getArrForVarName(name);
      m.put(name, Nd4j.zerosLike(p));
      v.put(name, Nd4j.zerosLike(p));
    }
    train = data.split(false);
    validation = data.split(true);
    if (train.length < config.batchSize()) {
      throw new IllegalArgumentException(
          "data: "
              + train.length
              + " training samples, fewer than one batch of "
              + config.batchSize());
    }
  }

  private static NormalizerModel fresh(
      TrainingData data, ModelConfig modelConfig, TrainingConfig config) {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(modelConfig, "modelConfig");
    float[][] stats = data.featureStats();
    return NormalizerModel.create(
        modelConfig, data.meanLandmarks, stats[0], stats[1], config.seed());
  }

  private String describe() {
    return config.describe()
        + (identityWeight > 0 ? " wIdentity=" + identityWeight : "")
        + " | "
        + modelConfig
        + " | "
        + data.summary();
  }

  /** The model being trained. */
  public NormalizerModel model() {
    return model;
  }

  /** Steps done so far. */
  public int step() {
    return step;
  }

  /**
   * Loads a checkpoint written by a trainer with the same settings and data.
   *
   * @param file the checkpoint
   * @throws IOException if it is unreadable, corrupt or from other settings
   */
  public void restore(Path file) throws IOException {
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
      String described = in.readUTF();
      String expected = describe();
      if (!described.equals(expected)) {
        throw new IOException(
            file
                + ": written by another run ("
                + described
                + "); this run is ("
                + expected
                + "): use the same settings, or a new --out");
      }
      int s = in.readInt();
      double elapsed = in.readDouble();
      int lines = in.readInt();
      List<String> hist = new ArrayList<>();
      for (int i = 0; i < lines; i++) {
        hist.add(in.readUTF());
      }
      Map<String, INDArray> arrays = NormalizerModel.readArrays(in, file.toString());
      for (String name : vars) {
        for (String kind : List.of("param/", "m/", "v/")) {
          INDArray a = arrays.get(kind + name);
          if (a == null) {
            throw new IOException(file + ": lacks " + kind + name);
          }
          target(kind, name).assign(a);
        }
      }
      step = s;
      elapsedSeconds = elapsed;
      history.clear();
      history.addAll(hist);
    } catch (java.io.EOFException e) {
      throw new IOException(file + ": truncated checkpoint", e);
    }
  }

  private INDArray target(String kind, String name) {
    return switch (kind) {
      case "param/" -> sd.getArrForVarName(name);
      case "m/" -> m.get(name);
      default -> v.get(name);
    };
  }

  /**
   * Writes a checkpoint atomically.
   *
   * @param file the checkpoint
   * @throws IOException if writing fails
   */
  public void checkpoint(Path file) throws IOException {
    Map<String, INDArray> arrays = new LinkedHashMap<>();
    for (String name : vars) {
      arrays.put("param/" + name, sd.getArrForVarName(name));
      arrays.put("m/" + name, m.get(name));
      arrays.put("v/" + name, v.get(name));
    }
    AtomicFiles.write(
        file,
        stream -> {
          DataOutputStream out = new DataOutputStream(new BufferedOutputStream(stream, 1 << 16));
          out.writeUTF(describe());
          out.writeInt(step);
          out.writeDouble(elapsedSeconds);
          out.writeInt(history.size());
          for (String h : history) {
            out.writeUTF(h);
          }
          NormalizerModel.writeArrays(out, arrays);
          out.flush();
        });
    AtomicFiles.writeString(
        file.resolveSibling(HISTORY),
        "step,learning_rate,train_loss,train_texture_mae,train_landmark_mse,validation_loss,"
            + "validation_texture_mae,validation_landmark_mse,elapsed_s\n"
            + String.join("\n", history)
            + (history.isEmpty() ? "" : "\n"));
  }

  /**
   * Runs steps until {@code untilStep} (at most {@link TrainingConfig#steps}), checkpointing into
   * {@code dir} when given.
   *
   * @param untilStep the step to stop at
   * @param dir the folder for checkpoints, or null for none
   * @param log progress lines, or null
   * @throws IOException if a checkpoint cannot be written
   */
  public void run(int untilStep, Path dir, PrintStream log) throws IOException {
    int end = Math.min(untilStep, config.steps());
    double[] sums = new double[4];
    int count = 0;
    long last = System.nanoTime();
    int lastStep = step;
    while (step < end) {
      long t0 = System.nanoTime();
      double lr = config.learningRate(step);
      int[] batch = batch(step);
      OutAndGrad og =
          sd.calculateGradientsAndOutputs(
              placeholders(batch),
              identityWeight > 0
                  ? List.of(LOSS, TEXTURE_LOSS, LANDMARK_LOSS, IDENTITY_LOSS)
                  : List.of(LOSS, TEXTURE_LOSS, LANDMARK_LOSS),
              vars);
      double loss = og.getOutputs().get(LOSS).getDouble(0);
      if (!Double.isFinite(loss)) {
        throw new IllegalStateException(
            "training diverged at step " + step + " (loss " + loss + "); lower the learning rate");
      }
      sums[0] += loss;
      sums[1] += og.getOutputs().get(TEXTURE_LOSS).getDouble(0) / config.textureWeight();
      sums[2] += og.getOutputs().get(LANDMARK_LOSS).getDouble(0) / config.landmarkWeight();
      if (identityWeight > 0) {
        sums[3] += -og.getOutputs().get(IDENTITY_LOSS).getDouble(0) / identityWeight;
      }
      count++;
      adam(og.getGradients(), lr);
      step++;
      if (step % GC_EVERY == 0) {
        System.gc(); // releases the off-heap buffers of collected gradients and outputs
      }
      elapsedSeconds += (System.nanoTime() - t0) / 1e9;
      boolean validate = step % config.validateEvery() == 0 || step == config.steps();
      boolean save = dir != null && (step % config.checkpointEvery() == 0 || step == end);
      if (log != null && step % PROGRESS_EVERY == 0 && !validate && !save) {
        double rate = (step - lastStep) / ((System.nanoTime() - last) / 1e9);
        log.printf(
            Locale.ROOT,
            "facenorm train: step %d/%d  loss %.4f%s  lr %.2g  %.2f steps/s  ETA %s%n",
            step,
            config.steps(),
            sums[0] / count,
            identityWeight > 0
                ? String.format(Locale.ROOT, " (identity cosine %.3f)", sums[3] / count)
                : "",
            lr,
            rate,
            BatchProgress.duration((config.steps() - step) / rate));
      }
      if (validate || save) {
        double[] val = validate ? validate() : new double[] {Double.NaN, Double.NaN, Double.NaN};
        history.add(
            String.format(
                Locale.ROOT,
                "%d,%.3g,%.5f,%.5f,%.4f,%s,%s,%s,%.0f",
                step,
                lr,
                sums[0] / count,
                sums[1] / count,
                sums[2] / count,
                fmt(val[0]),
                fmt(val[1]),
                fmt(val[2]),
                elapsedSeconds));
        if (log != null) {
          double rate = (step - lastStep) / ((System.nanoTime() - last) / 1e9);
          log.printf(
              Locale.ROOT,
              "facenorm train: step %d/%d  loss %.4f (texture MAE %.4f, landmark MSE %.3f px²)%s"
                  + "  lr %.2g  %.2f steps/s  ETA %s%n",
              step,
              config.steps(),
              sums[0] / count,
              sums[1] / count,
              sums[2] / count,
              validate ? String.format(Locale.ROOT, "  validation %.4f", val[0]) : "",
              lr,
              rate,
              BatchProgress.duration((config.steps() - step) / rate));
          last = System.nanoTime();
          lastStep = step;
        }
        sums = new double[4];
        count = 0;
        if (save) {
          checkpoint(dir.resolve(CHECKPOINT));
        }
      }
    }
  }

  private static String fmt(double v) {
    return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.5f", v);
  }

  /** Loss history lines (CSV, without header). */
  public List<String> history() {
    return List.copyOf(history);
  }

  /** Training seconds so far (summed over resumed runs). */
  public double elapsedSeconds() {
    return elapsedSeconds;
  }

  /**
   * The validation loss and its two terms (unweighted), over every held-out sample.
   *
   * @return {@code {loss, texture MAE, landmark MSE}}
   */
  public double[] validate() {
    return evaluate(true);
  }

  /**
   * The loss and its two terms (unweighted) over one split, without training.
   *
   * @param onValidation the validation split, else the training split
   * @return {@code {loss, texture MAE, landmark MSE}}, NaN for an empty split
   */
  double[] evaluate(boolean onValidation) {
    int[] split = onValidation ? validation : train;
    if (split.length == 0) {
      return new double[] {Double.NaN, Double.NaN, Double.NaN};
    }
    double[] s = new double[3];
    for (int i = 0; i < split.length; i += 64) {
      int[] b = java.util.Arrays.copyOfRange(split, i, Math.min(split.length, i + 64));
      Map<String, INDArray> out = sd.output(placeholders(b), LOSS, TEXTURE_LOSS, LANDMARK_LOSS);
      s[0] += out.get(LOSS).getDouble(0) * b.length;
      s[1] += out.get(TEXTURE_LOSS).getDouble(0) / config.textureWeight() * b.length;
      s[2] += out.get(LANDMARK_LOSS).getDouble(0) / config.landmarkWeight() * b.length;
    }
    return new double[] {s[0] / split.length, s[1] / split.length, s[2] / split.length};
  }

  /** Gradients of the loss on some samples, for tests. */
  Map<String, INDArray> gradients(int[] samples) {
    return sd.calculateGradients(placeholders(samples), vars);
  }

  /** The loss on some samples, for tests. */
  double loss(int[] samples) {
    return sd.output(placeholders(samples), LOSS).get(LOSS).getDouble(0);
  }

  private int[] batch(int s) {
    int n = train.length;
    int bs = config.batchSize();
    int[] out = new int[bs];
    for (int j = 0; j < bs; j++) {
      long q = (long) s * bs + j;
      int epoch = (int) (q / n);
      if (epoch != permEpoch) {
        perm = permutation(n, config.seed() * 1_000_003L + epoch);
        permEpoch = epoch;
      }
      out[j] = train[perm[(int) (q % n)]];
    }
    return out;
  }

  private static int[] permutation(int n, long seed) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    Random r = new Random(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  /** The graph's inputs for some samples: features and targets (package-private for tests). */
  Map<String, INDArray> placeholders(int[] idx) {
    int s = data.size;
    int px = s * s * 3;
    float[] f = new float[idx.length * ModelConfig.INPUT_FEATURES];
    float[] tex = new float[idx.length * px];
    float[] lm = new float[idx.length * 136];
    for (int i = 0; i < idx.length; i++) {
      int k = idx[i];
      System.arraycopy(
          data.sampleFeatures[k], 0, f, i * ModelConfig.INPUT_FEATURES, ModelConfig.INPUT_FEATURES);
      data.copyTarget(k, tex, i * px, lm, i * 136);
      if (targetShape != null) {
        renderTarget(tex, i * px, lm, i * 136);
      }
    }
    Map<String, INDArray> ph = new HashMap<>();
    ph.put(
        NormalizerModel.FEATURES,
        Nd4j.create(f, new long[] {idx.length, ModelConfig.INPUT_FEATURES}, 'c'));
    ph.put(TARGET_TEXTURE, Nd4j.create(tex, new long[] {idx.length, s, s, 3}, 'c'));
    ph.put(TARGET_LANDMARKS, Nd4j.create(lm, new long[] {idx.length, 68, 2}, 'c'));
    if (identityWeight > 0) {
      float[] d = new float[idx.length * 128];
      for (int i = 0; i < idx.length; i++) {
        System.arraycopy(data.sampleDescriptors[idx[i]], 0, d, i * 128, 128);
      }
      ph.put(TARGET_DESCRIPTORS, Nd4j.create(d, new long[] {idx.length, 128}, 'c'));
    }
    return ph;
  }

  /**
   * For a {@link ModelConfig.Decoder#PLAIN_CNN} model, replaces a target texture by the target
   * image: the texture warped to the target landmarks, exactly as {@link
   * io.github.facenorm.models.normalize.FaceNormalizer} renders a warping model's output.
   */
  private void renderTarget(float[] tex, int texOffset, float[] lm, int lmOffset) {
    int s = data.size;
    int px = s * s * 3;
    double[] xy = new double[136];
    for (int j = 0; j < 136; j++) {
      xy[j] = lm[lmOffset + j];
    }
    FaceImage texture =
        FaceImage.of(s, s, java.util.Arrays.copyOfRange(tex, texOffset, texOffset + px));
    FaceImage image = FaceDecomposition.compose(texture, Landmarks.of(xy), targetShape);
    System.arraycopy(image.toArray(), 0, tex, texOffset, px);
  }

  private void adam(Map<String, INDArray> grads, double lr) {
    int t = step + 1;
    double c1 = 1 - Math.pow(TrainingConfig.BETA1, t);
    double c2 = 1 - Math.pow(TrainingConfig.BETA2, t);
    for (String name : vars) {
      INDArray g = grads.get(name);
      if (g == null) {
        throw new IllegalStateException("no gradient for trainable variable " + name);
      }
      INDArray mm = m.get(name);
      INDArray vv = v.get(name);
      // In place, with two explicitly closed temporaries: ND4J frees off-heap buffers only when
      // their Java objects are collected, and a small heap is rarely collected.
      INDArray sq = g.mul(g);
      vv.muli(TrainingConfig.BETA2).addi(sq.muli(1 - TrainingConfig.BETA2));
      sq.close();
      mm.muli(TrainingConfig.BETA1).addi(g.muli(1 - TrainingConfig.BETA1));
      INDArray step = Transforms.sqrt(vv, true).divi(Math.sqrt(c2)).addi(TrainingConfig.EPSILON);
      step.rdivi(mm).muli(lr / c1);
      sd.getArrForVarName(name).subi(step);
      step.close();
    }
  }
}
