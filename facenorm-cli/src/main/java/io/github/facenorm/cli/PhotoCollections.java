package io.github.facenorm.cli;

import io.github.facenorm.core.FacePreparer;
import io.github.facenorm.core.dlib.DlibShapePredictor;
import io.github.facenorm.models.nets.FaceRecognitionNet;
import io.github.facenorm.models.normalize.ModelConfig;
import io.github.facenorm.models.train.PhotoCache;
import io.github.facenorm.models.train.PhotoRecord;
import io.github.facenorm.models.train.TrainingData;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The photo collections {@code facenorm train} and {@code facenorm augment} start from (a picocli
 * mixin): the folders, the target rule, and the shared photo cache ({@link PhotoCache}).
 */
final class PhotoCollections {

  @Option(
      names = "--data",
      description =
          "a photo collection, one folder per person; persons need --min-photos photos passing the"
              + " target filters (repeatable)")
  List<Path> data = new ArrayList<>();

  @Option(
      names = "--studio",
      description =
          "an evenly lit studio collection (e.g. FRL London): one passing photo suffices"
              + " (repeatable)")
  List<Path> studio = new ArrayList<>();

  @Option(names = "--min-photos", defaultValue = "3", description = "photos to average")
  int minPhotos;

  @Option(names = "--max-yaw", defaultValue = "12", description = "target filter, degrees")
  double maxYaw;

  @Option(
      names = "--photo-cache",
      description =
          "the photo cache folder (default: in --out); share it between runs of train and augment")
  Path photoCache;

  @Option(names = "--threads", defaultValue = "2", description = "threads for photo stages")
  int threads;

  /**
   * Checks that a collection was given.
   *
   * @throws IllegalArgumentException if neither --data nor --studio was given
   */
  void check() {
    if (data.isEmpty() && studio.isEmpty()) {
      throw new IllegalArgumentException("--data or --studio: expected at least one collection");
    }
  }

  /** The target rule of these options (every 12th person held out, as in training). */
  TrainingData.TargetRule rule() {
    return new TrainingData.TargetRule(maxYaw, false, minPhotos, 12);
  }

  /**
   * Builds or completes the photo cache and returns its records.
   *
   * @param config the model whose frame is cut
   * @param defaultCache the cache folder unless {@code --photo-cache} names one
   * @param err progress and skipped photos
   * @return the records, in photo order
   * @throws IOException if a folder cannot be read or the cache is corrupt
   */
  List<PhotoRecord> load(ModelConfig config, Path defaultCache, PrintStream err)
      throws IOException {
    check();
    List<PhotoCache.Collection> collections = new ArrayList<>();
    for (Path d : data) {
      collections.add(new PhotoCache.Collection(d.getFileName().toString(), d, false));
    }
    for (Path d : studio) {
      collections.add(new PhotoCache.Collection(d.getFileName().toString(), d, true));
    }
    FacePreparer preparer = FacePreparer.builder(DlibShapePredictor.loadDefault()).build();
    return PhotoCache.build(
        collections,
        config,
        preparer,
        FaceRecognitionNet.load(),
        photoCache != null ? photoCache : defaultCache,
        threads,
        err);
  }
}
