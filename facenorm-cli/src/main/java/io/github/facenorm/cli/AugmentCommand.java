package io.github.facenorm.cli;

import io.github.facenorm.augment.AugmentJob;
import io.github.facenorm.augment.AugmentedSample;
import io.github.facenorm.augment.DatasetReader;
import io.github.facenorm.augment.DatasetWriter;
import io.github.facenorm.augment.FaceSet;
import io.github.facenorm.augment.MorphFace;
import io.github.facenorm.core.FaceDecomposition;
import io.github.facenorm.models.normalize.ModelConfig;
import io.github.facenorm.models.train.PhotoRecord;
import io.github.facenorm.models.train.TrainingData;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code facenorm augment}: the paper's training data (Sec. 5, 6.2) from photo collections: the
 * photo cache and per-identity averages of {@code facenorm train} ({@link TrainingData}), then
 * {@link AugmentJob} (random morphs, gradient-domain compositing onto real photos' textures, warp
 * to the morphed landmarks) into checksummed shards.
 */
@Command(
    name = "augment",
    mixinStandardHelpOptions = true,
    description = {
      "Generate training samples like the paper's (Sec. 5): per-identity averages of the"
          + " collections' training persons (validation persons are left out, as in training),"
          + " random morphs between neighbouring identities (k = 200, λ = 10), composited onto"
          + " real photos' textures and warped to the morphed landmarks.",
      "Writes <out>/shard-*.bin and <out>/manifest.txt (per-shard sha256), the neighbour table"
          + " in <out>/cache and the photo cache in <out>/cache/photos (or --photo-cache). The same seed"
          + " gives the same bytes whatever --threads; a killed run resumes with the same command.",
      "Exit status: 0 done, 2 bad arguments, or a foreign file or another dataset in --out."
    })
final class AugmentCommand implements Callable<Integer> {

  @Mixin PhotoCollections photos = new PhotoCollections();

  @Option(
      names = "--preset",
      defaultValue = "small",
      description = "model preset whose frame the photos are cut to: small (128 px) or paper (224)")
  String preset;

  @Option(names = "--count", defaultValue = "20000", description = "samples to write")
  long count;

  @Option(names = "--seed", defaultValue = "1", description = "seed of the morphs")
  long seed;

  @Option(
      names = "--size",
      description = "sample side in pixels, at most the preset's frame (default: the frame)")
  Integer size;

  @Option(
      names = "--backgrounds",
      defaultValue = "1000",
      description = "real photos whose textures are backgrounds (evenly spaced)")
  int backgrounds;

  @Option(names = "--out", required = true, description = "output folder")
  Path out;

  @Option(
      names = "--grid",
      description =
          "also write a .png preview: 16 identity averages, then the first 16 samples' input"
              + " images and their targets")
  Path grid;

  @Override
  public Integer call() throws Exception {
    PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
    photos.check();
    ModelConfig config = ModelConfig.preset(preset);
    int frame = config.frameSize();
    int side = size == null ? frame : size;
    if (side < 16 || side > frame) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "--size: expected 16..%d (the %s preset's frame; --preset paper cuts 224 px), got %d",
              frame,
              preset,
              side));
    }
    if (count < 1) {
      throw new IllegalArgumentException("--count: expected at least 1, got " + count);
    }
    if (backgrounds < 1) {
      throw new IllegalArgumentException("--backgrounds: expected at least 1, got " + backgrounds);
    }
    ImageGrid.checkName(grid);
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new IllegalArgumentException("--out: " + out + " is a file, expected a folder");
    }
    Files.createDirectories(out);
    List<PhotoRecord> records =
        photos.load(config, out.resolve(AugmentJob.CACHE_DIR).resolve("photos"), err);
    TrainingData td = TrainingData.build(records, photos.rule(), photos.threads);
    FaceSet faces = td.faceSet(records, backgrounds, photos.threads);
    err.printf(
        Locale.ROOT,
        "facenorm augment: %s; morphing %d training identities over %d backgrounds%n",
        td.summary(),
        faces.size(),
        faces.backgroundCount());
    DatasetWriter.Result r =
        AugmentJob.builder()
            .faces(faces)
            .count(count)
            .seed(seed)
            .size(side)
            .out(out)
            .threads(photos.threads)
            .progress(p -> err.println("facenorm augment: " + p))
            .build()
            .run();
    if (grid != null) {
      writeGrid(AugmentJob.resized(faces, side), out, grid);
      err.println("facenorm augment: preview written to " + grid);
    }
    double secs = r.elapsed().toNanos() / 1e9;
    err.printf(
        Locale.ROOT,
        "facenorm augment: %d samples in %d new shards (%d kept) in %.1f s (%.1f samples/s); %s%n",
        r.samplesWritten(),
        r.shardsWritten(),
        r.shardsKept(),
        secs,
        r.samplesWritten() / Math.max(1e-9, secs),
        r.manifest());
    return 0;
  }

  /** Rows 1–2: identity averages (evenly spaced); rows 3–4: sample inputs; rows 5–6: targets. */
  private static void writeGrid(FaceSet faces, Path dataset, Path file) throws IOException {
    int cols = 8;
    List<BufferedImage> averages = new ArrayList<>();
    int n = Math.min(2 * cols, faces.size());
    for (int i = 0; i < n; i++) {
      MorphFace f = faces.face((int) ((long) i * faces.size() / n));
      averages.add(
          FaceDecomposition.compose(f.texture(), f.landmarks(), faces.meanShape())
              .toBufferedImage());
    }
    List<BufferedImage> inputs = new ArrayList<>();
    List<BufferedImage> targets = new ArrayList<>();
    Iterator<AugmentedSample> it = DatasetReader.open(dataset).samples();
    while (it.hasNext() && inputs.size() < 2 * cols) {
      AugmentedSample a = it.next();
      inputs.add(a.image().toBufferedImage());
      targets.add(
          FaceDecomposition.compose(a.texture(), a.landmarks(), faces.meanShape())
              .toBufferedImage());
    }
    List<List<BufferedImage>> rows = new ArrayList<>();
    for (List<BufferedImage> part : List.of(averages, inputs, targets)) {
      for (int i = 0; i < part.size(); i += cols) {
        rows.add(part.subList(i, Math.min(part.size(), i + cols)));
      }
    }
    ImageGrid.write(rows, faces.face(0).texture().width(), file);
  }
}
