package io.github.facenorm.models.train;

import io.github.facenorm.core.internal.AtomicFiles;
import io.github.facenorm.models.normalize.NormalizerModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Writes a trained model with its provenance (Tribuo's habit of recording the training settings in
 * the model): the settings, data, command, seed, steps and time go into the model's {@code info}
 * and into a human-readable {@value #FILE} beside it.
 */
public final class ModelCard {

  /** The card's file name in a model folder. */
  public static final String FILE = "MODEL_CARD.md";

  /** The persons held out of training (validation), one {@code <collection>/<folder>} per line. */
  public static final String HELD_OUT = "heldout-persons.txt";

  private ModelCard() {}

  /**
   * Saves the trainer's model into {@code dir} and writes its card.
   *
   * @param trainer the finished trainer
   * @param data the data it was trained on
   * @param config its settings
   * @param command the command line that trained it
   * @param wallSeconds wall time of this invocation
   * @param dir the model folder
   * @throws IOException if writing fails
   */
  public static void write(
      Trainer trainer,
      TrainingData data,
      TrainingConfig config,
      String command,
      double wallSeconds,
      Path dir)
      throws IOException {
    NormalizerModel model = trainer.model();
    List<String> hist = trainer.history();
    String last = hist.isEmpty() ? "" : hist.get(hist.size() - 1);
    model.putInfo("command", command);
    model.putInfo("training", config.describe());
    model.putInfo("data", data.summary());
    model.putInfo("steps", Integer.toString(trainer.step()));
    model.putInfo("trainingSeconds", String.format(Locale.ROOT, "%.0f", trainer.elapsedSeconds()));
    model.putInfo("lastHistoryLine", last);
    model.save(dir);
    AtomicFiles.writeString(
        dir.resolve(HELD_OUT), String.join("\n", data.validationPersons()) + "\n");
    StringBuilder md = new StringBuilder();
    md.append("# facenorm normalizer model: ").append(model.config().name()).append("\n\n");
    md.append(
        "Trained by this project's own `facenorm train`; weights are never written by hand.\n\n");
    md.append("| | |\n|---|---|\n");
    md.append("| architecture | ").append(model.config()).append(" |\n");
    md.append("| data | ").append(data.summary()).append(" |\n");
    md.append("| command | `").append(command).append("` |\n");
    md.append("| settings | ").append(config.describe()).append(" |\n");
    md.append("| steps | ").append(trainer.step()).append(" |\n");
    md.append(
        String.format(
            Locale.ROOT,
            "| training time | %.1f min of optimizer steps (sum over resumed runs) |%n",
            trainer.elapsedSeconds() / 60));
    md.append(
        String.format(
            Locale.ROOT, "| wall time of the last invocation | %.1f min |%n", wallSeconds / 60));
    md.append("| checksum | `")
        .append(NormalizerModel.CHECKSUM_FILE)
        .append("` (checked at load) |\n\n");
    md.append("## Loss curve\n\n");
    md.append(
        "Texture MAE (0..1 pixel values, mean-shape geometry) and landmark MSE (px² in the "
            + "output frame); validation on held-out identities.\n\n");
    md.append(
        "| step | lr | train loss | train texture MAE | train landmark MSE | validation loss |"
            + " validation texture MAE | validation landmark MSE | seconds |\n");
    md.append("|---|---|---|---|---|---|---|---|---|\n");
    for (String h : hist) {
      String[] c = h.split(",", -1);
      if (c.length >= 6 && !c[5].isEmpty()) {
        md.append("| ").append(String.join(" | ", c)).append(" |\n");
      }
    }
    md.append("\n## Metrics\n\nSee the evaluation section (added by `facenorm evaluate`)\n");
    AtomicFiles.writeString(dir.resolve(FILE), md.toString());
  }
}
