package io.github.facenorm.cli;

import io.github.facenorm.models.nets.FaceRecognitionNet;
import io.github.facenorm.models.normalize.ModelConfig;
import io.github.facenorm.models.normalize.NormalizerModel;
import io.github.facenorm.models.train.AugmentedExamples;
import io.github.facenorm.models.train.ModelCard;
import io.github.facenorm.models.train.PhotoRecord;
import io.github.facenorm.models.train.Trainer;
import io.github.facenorm.models.train.TrainingConfig;
import io.github.facenorm.models.train.TrainingData;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code facenorm train}: photo cache ({@link io.github.facenorm.models.train.PhotoCache}), targets
 * ({@link TrainingData}), training ({@link Trainer}) with checkpoints and {@code --resume}, then
 * the model folder with its card.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Train a normalizer model (paper Sec. 3) from photo collections with one folder per person.",
      "Stages: <out>/photos (landmarks, frames, recognition features; cached, resumable),"
          + " targets (per-identity averages, Sec. 6.2), training with checkpoints in"
          + " <out>/checkpoint.bin, and the model in <out>/model with MODEL_CARD.md."
    })
final class TrainCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--preset",
      defaultValue = "small",
      description = "small (trains on 2 CPU cores) or paper (224 px; not trainable on CPU here)")
  String preset;

  @Mixin PhotoCollections photos = new PhotoCollections();

  @Option(
      names = "--decoder",
      defaultValue = "cnn",
      description =
          "texture decoder: cnn (the paper's: texture CNN + warp), or the paper's baselines fc (a"
              + " fully connected texture layer + warp, Fig. 9) and plain (the CNN decodes the"
              + " image itself, no warp, Fig. 10)")
  String decoder;

  @Option(names = "--out", required = true, description = "output folder")
  Path out;

  @Option(names = "--steps", defaultValue = "6000", description = "optimizer steps")
  int steps;

  @Option(names = "--seed", defaultValue = "1", description = "seed of weights and sample order")
  long seed;

  @Option(names = "--batch", defaultValue = "32", description = "samples per step")
  int batch;

  @Option(names = "--lr", defaultValue = "1e-3", description = "peak learning rate")
  double lr;

  @Option(
      names = "--resume",
      description = "continue from <out>/checkpoint.bin (same settings required)")
  boolean resume;

  @Option(
      names = "--stop-after",
      description = "stop (with a checkpoint) after this many steps of this run, to split runs")
  Integer stopAfter;

  @Option(
      names = "--init",
      description = "continue this model folder instead of a fresh model (e.g. to fine-tune)")
  Path init;

  @Option(
      names = "--identity-weight",
      defaultValue = "0",
      description =
          "weight of the identity loss through the frozen recognition net (paper: 10; 0: off)")
  double identityWeight;

  @Option(
      names = "--augment",
      description =
          "also train on this facenorm augment dataset (paper Sec. 5), made from the same photos"
              + " and filters at the model's frame size; its inputs are encoded once into"
              + " <out>/augment-features")
  Path augment;

  @Override
  public Integer call() throws Exception {
    PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
    photos.check();
    ModelConfig config = ModelConfig.preset(preset).withDecoder(ModelConfig.Decoder.of(decoder));
    if (identityWeight < 0 || (identityWeight > 0 && init == null)) {
      throw new IllegalArgumentException(
          "--identity-weight: expected 0, or a positive weight with --init (the identity loss"
              + " fine-tunes a trained model), got "
              + identityWeight);
    }
    Path checkpoint = out.resolve(Trainer.CHECKPOINT);
    if (Files.exists(checkpoint) && !resume) {
      throw new IllegalArgumentException(
          checkpoint + " exists: pass --resume to continue it, or choose another --out");
    }
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new IllegalArgumentException("--out: " + out + " is a file, expected a folder");
    }
    Files.createDirectories(out);
    long t0 = System.nanoTime();
    List<PhotoRecord> records = photos.load(config, out.resolve("photos"), err);
    TrainingData td = TrainingData.build(records, photos.rule(), photos.threads);
    if (augment != null) {
      td =
          td.withAugmented(
              AugmentedExamples.load(
                  augment, out.resolve("augment-features"), FaceRecognitionNet.load(), err));
    }
    err.println("facenorm train: " + td.summary());
    TrainingConfig tc =
        new TrainingConfig(
            steps,
            batch,
            lr,
            lr / 100,
            Math.min(200, steps / 10),
            seed,
            io.github.facenorm.models.train.Losses.TEXTURE_WEIGHT,
            io.github.facenorm.models.train.Losses.LANDMARK_WEIGHT,
            200,
            500);
    Trainer trainer;
    if (init != null) {
      NormalizerModel initial = NormalizerModel.load(init);
      if (!initial.config().equals(config)) {
        throw new IllegalArgumentException(
            "--init: " + init + " is a " + initial.config() + " model, not " + config);
      }
      trainer =
          new Trainer(
              td,
              initial,
              tc,
              identityWeight > 0 ? FaceRecognitionNet.load() : null,
              identityWeight);
    } else {
      trainer = new Trainer(td, config, tc);
    }
    if (resume && Files.exists(checkpoint)) {
      trainer.restore(checkpoint);
      err.println("facenorm train: resumed at step " + trainer.step());
    }
    int until = stopAfter == null ? steps : Math.min(steps, trainer.step() + stopAfter);
    trainer.run(until, out, err);
    if (trainer.step() < steps) {
      err.println(
          "facenorm train: stopped at step "
              + trainer.step()
              + "; continue with the same command and --resume");
      return 0;
    }
    Path modelDir = out.resolve("model");
    String command =
        "scripts/facenorm " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
    ModelCard.write(trainer, td, tc, command, (System.nanoTime() - t0) / 1e9, modelDir);
    err.println("facenorm train: model written to " + modelDir);
    return 0;
  }
}
