package io.github.facenorm.spark;

import io.github.facenorm.augment.AugmentJob;
import io.github.facenorm.augment.DatasetWriter;
import io.github.facenorm.augment.FaceSet;
import io.github.facenorm.core.FacePreparer;
import io.github.facenorm.core.batch.BatchProgress;
import io.github.facenorm.core.dlib.DlibShapePredictor;
import io.github.facenorm.models.eval.NormalizationEvaluation;
import io.github.facenorm.models.nets.FaceRecognitionNet;
import io.github.facenorm.models.normalize.ModelConfig;
import io.github.facenorm.models.train.PhotoCache;
import io.github.facenorm.models.train.PhotoRecord;
import io.github.facenorm.models.train.TrainingData;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SparkConf;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The {@code spark-submit} entry point: {@code normalize} (photos to Parquet), {@code augment} (a
 * training set with the executors) and {@code summary} (what a normalize output holds). Exit status
 * as the command line's: 0 done (normalize: at least one photo normalized), 1 nothing done, 2 bad
 * arguments.
 *
 * <pre>
 * spark-submit --class io.github.facenorm.spark.Main ... normalize photos/ --out faces.parquet
 * </pre>
 */
@Command(
    name = "facenorm-spark",
    mixinStandardHelpOptions = true,
    subcommands = {Main.Normalize.class, Main.Augment.class, Main.Summary.class},
    description = "facenorm's batch jobs on Apache Spark (run with spark-submit).")
public final class Main implements Runnable {

  static final int FAILED = 1;
  static final int USAGE = 2;

  private static final PrintStream ERR = new PrintStream(System.err, true, StandardCharsets.UTF_8);

  /**
   * Runs a job and exits with its status.
   *
   * @param args {@code normalize|augment ...}
   */
  public static void main(String[] args) {
    int status = run(args);
    if (status != 0) {
      System.exit(status);
    }
  }

  /**
   * Runs a job without exiting (tests).
   *
   * @param args {@code normalize|augment ...}
   * @return the exit status
   */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          ERR.println("facenorm-spark " + cmd.getCommandName() + ": " + e.getMessage());
          return e instanceof IllegalArgumentException || e instanceof IOException ? USAGE : FAILED;
        });
    return cli.execute(args);
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        new CommandLine(this), "expected a job: normalize, augment or summary");
  }

  /** A session from spark-submit's settings; {@code local[*]} when no master was given. */
  static SparkSession session(String name) {
    SparkConf conf = new SparkConf();
    SparkSession.Builder b = SparkSession.builder().appName(name).config(conf);
    if (!conf.contains("spark.master")) {
      b.master("local[*]");
    }
    return b.getOrCreate();
  }

  /** Prints rate and ETA from finished tasks' written rows, at most every 10 s. */
  static final class Progress extends SparkListener {
    private final String name;
    private final long total;
    private final long start = System.nanoTime();
    private final AtomicLong done = new AtomicLong();
    private volatile long lastPrint = start;

    Progress(String name, long total) {
      this.name = name;
      this.total = total;
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
      if (end.taskMetrics() == null || !end.reason().toString().equals("Success")) {
        return;
      }
      long d = done.addAndGet(end.taskMetrics().outputMetrics().recordsWritten());
      long now = System.nanoTime();
      if (now - lastPrint > 10_000_000_000L && d > 0) {
        lastPrint = now;
        double secs = (now - start) / 1e9;
        double rate = d / secs;
        ERR.printf(
            Locale.ROOT,
            "%s: %d/%d (%.1f %%), %.1f/s, ETA %s%n",
            name,
            d,
            total,
            100.0 * d / Math.max(1, total),
            rate,
            BatchProgress.duration(Math.max(0, total - d) / Math.max(rate, 1e-9)));
      }
    }
  }

  /** {@code normalize}: photos to a Parquet folder. */
  @Command(
      name = "normalize",
      mixinStandardHelpOptions = true,
      description = {
        "Normalize photos (folders recursively; .jpg, .jpeg, .png) into a Parquet folder of rows"
            + " (path, image PNG, landmarks, identity_distance, error). A photo that fails is a"
            + " row with its error.",
        "Exit 0 if any photo was normalized, 1 if none, 2 on bad arguments."
      })
  static final class Normalize implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "PHOTO|DIR", description = "photos or folders")
    List<String> inputs;

    @Option(names = "--out", required = true, description = "the Parquet folder to write")
    String out;

    @Option(
        names = "--model",
        description = "a model folder from facenorm train (default: shipped)")
    Path model;

    @Option(
        names = "--partitions",
        defaultValue = "0",
        description = "partitions (default: one per 64 photos, at least 2 per core)")
    int partitions;

    @Option(
        names = "--no-identity-distance",
        description = "skip the identity_distance column (2 fewer recognition passes per photo)")
    boolean noDistance;

    @Option(names = "--overwrite", description = "replace an existing output folder")
    boolean overwrite;

    @Override
    public Integer call() throws IOException {
      if (partitions < 0) {
        throw new IllegalArgumentException("--partitions: expected ≥ 0, got " + partitions);
      }
      SparkSession spark = session("facenorm normalize");
      long t0 = System.nanoTime();
      Dataset<Row> photos = FacenormSpark.photos(spark, inputs.toArray(String[]::new));
      long n = photos.select(FacenormSpark.PATH).count();
      if (n == 0) {
        throw new IllegalArgumentException(
            String.join(" ", inputs) + ": no .jpg, .jpeg or .png photos found");
      }
      int slots = spark.sparkContext().defaultParallelism();
      int parts = partitions > 0 ? partitions : (int) Math.max(2L * slots, (n + 63) / 64);
      ERR.printf(
          Locale.ROOT,
          "facenorm-spark normalize: %d photos in %d partitions -> %s%n",
          n,
          parts,
          out);
      NormalizeOptions options =
          NormalizeOptions.builder().model(model).identityDistance(!noDistance).build();
      Progress progress = new Progress("facenorm-spark normalize", n);
      spark.sparkContext().addSparkListener(progress);
      FacenormSpark.normalize(photos.repartition(parts, functions.col(FacenormSpark.PATH)), options)
          .write()
          .mode(overwrite ? SaveMode.Overwrite : SaveMode.ErrorIfExists)
          .parquet(out);
      spark.sparkContext().removeSparkListener(progress);
      double secs = (System.nanoTime() - t0) / 1e9;
      long[] counts = summarize(spark, out);
      ERR.printf(
          Locale.ROOT,
          "facenorm-spark normalize: %d photos in %.1f s (%.2f photos/s); from the listing to the"
              + " Parquet commit%n",
          counts[0],
          secs,
          counts[0] / secs);
      long total = counts[0];
      long failed = counts[1];
      spark.stop();
      return total - failed > 0 ? 0 : FAILED;
    }
  }

  /**
   * Prints what a normalize output holds: rows, error rows (the first 5 errors), and the identity
   * distances (mean, share under dlib's same-person threshold).
   *
   * @return {rows, error rows}
   */
  static long[] summarize(SparkSession spark, String parquet) {
    Dataset<Row> written = spark.read().parquet(parquet);
    Row c =
        written
            .agg(
                functions.count(functions.lit(1)),
                functions.count(functions.col(FacenormSpark.ERROR)),
                functions.avg(functions.col(FacenormSpark.IDENTITY_DISTANCE)),
                functions.count(functions.col(FacenormSpark.IDENTITY_DISTANCE)),
                functions.sum(
                    functions
                        .when(
                            functions
                                .col(FacenormSpark.IDENTITY_DISTANCE)
                                .lt(NormalizationEvaluation.THRESHOLD),
                            1)
                        .otherwise(0)))
            .first();
    long total = c.getLong(0);
    long failed = c.getLong(1);
    for (Row r :
        written
            .filter(functions.col(FacenormSpark.ERROR).isNotNull())
            .select(FacenormSpark.ERROR)
            .limit(5)
            .collectAsList()) {
      ERR.println("facenorm-spark: failed: " + r.getString(0));
    }
    ERR.printf(
        Locale.ROOT,
        "facenorm-spark: %s: %d rows, %d normalized, %d failed (rows with an error)%n",
        parquet,
        total,
        total - failed,
        failed);
    long measured = c.getLong(3);
    if (measured > 0) {
      ERR.printf(
          Locale.ROOT,
          "facenorm-spark: identity distance photo -> output: mean %.3f, %.1f %% under %.1f (%d"
              + " measured)%n",
          c.getDouble(2),
          100.0 * c.getLong(4) / measured,
          NormalizationEvaluation.THRESHOLD,
          measured);
    }
    return new long[] {total, failed};
  }

  /** {@code summary}: what a normalize output holds. */
  @Command(
      name = "summary",
      mixinStandardHelpOptions = true,
      description = "Print the rows, errors and identity distances of a normalize output.")
  static final class Summary implements Callable<Integer> {
    @Parameters(paramLabel = "PARQUET", description = "the folder normalize wrote")
    String parquet;

    @Override
    public Integer call() {
      SparkSession spark = session("facenorm summary");
      long[] c = summarize(spark, parquet);
      spark.stop();
      return c[0] - c[1] > 0 ? 0 : FAILED;
    }
  }

  /** {@code augment}: a training set written by the executors. */
  @Command(
      name = "augment",
      mixinStandardHelpOptions = true,
      description = {
        "Generate training samples as facenorm augment does, the shards spread over the executors."
            + " The photo cache and the per-identity averages are made on the driver. --out must"
            + " be a folder every executor sees at the same path.",
        "The same seed gives the same bytes as facenorm augment, whatever the partitions."
      })
  static final class Augment implements Callable<Integer> {
    @Option(names = "--data", description = "a photo collection, one folder per person")
    List<Path> data = new ArrayList<>();

    @Option(names = "--studio", description = "an evenly lit studio collection (e.g. FRL London)")
    List<Path> studio = new ArrayList<>();

    @Option(names = "--min-photos", defaultValue = "3", description = "photos to average")
    int minPhotos;

    @Option(names = "--max-yaw", defaultValue = "12", description = "target filter, degrees")
    double maxYaw;

    @Option(names = "--photo-cache", description = "the photo cache folder (default: in --out)")
    Path photoCache;

    @Option(names = "--threads", defaultValue = "2", description = "driver threads for photos")
    int threads;

    @Option(names = "--preset", defaultValue = "small", description = "small (128 px) or paper")
    String preset;

    @Option(names = "--count", defaultValue = "20000", description = "samples to write")
    long count;

    @Option(names = "--seed", defaultValue = "1", description = "seed of the morphs")
    long seed;

    @Option(names = "--size", description = "sample side in pixels (default: the frame)")
    Integer size;

    @Option(names = "--backgrounds", defaultValue = "1000", description = "background photos")
    int backgrounds;

    @Option(
        names = "--partitions",
        defaultValue = "0",
        description = "shard ranges (default: cores)")
    int partitions;

    @Option(names = "--out", required = true, description = "output folder")
    Path out;

    @Override
    public Integer call() throws IOException {
      if (data.isEmpty() && studio.isEmpty()) {
        throw new IllegalArgumentException("--data or --studio: expected at least one collection");
      }
      ModelConfig config = ModelConfig.preset(preset);
      int side = size == null ? config.frameSize() : size;
      if (side < 16 || side > config.frameSize()) {
        throw new IllegalArgumentException(
            "--size: expected 16.." + config.frameSize() + ", got " + side);
      }
      List<PhotoCache.Collection> collections = new ArrayList<>();
      for (Path d : data) {
        collections.add(new PhotoCache.Collection(d.getFileName().toString(), d, false));
      }
      for (Path d : studio) {
        collections.add(new PhotoCache.Collection(d.getFileName().toString(), d, true));
      }
      List<PhotoRecord> records =
          PhotoCache.build(
              collections,
              config,
              FacePreparer.builder(DlibShapePredictor.loadDefault()).build(),
              FaceRecognitionNet.load(),
              photoCache != null ? photoCache : out.resolve(AugmentJob.CACHE_DIR).resolve("photos"),
              threads,
              ERR);
      TrainingData td =
          TrainingData.build(
              records, new TrainingData.TargetRule(maxYaw, false, minPhotos, 12), threads);
      FaceSet faces = td.faceSet(records, backgrounds, threads);
      ERR.printf(
          Locale.ROOT,
          "facenorm-spark augment: %s; morphing %d training identities over %d backgrounds%n",
          td.summary(),
          faces.size(),
          faces.backgroundCount());
      SparkSession spark = session("facenorm augment");
      DatasetWriter.Result r =
          FacenormSpark.augment(
              spark,
              faces,
              AugmentOptions.builder()
                  .out(out)
                  .count(count)
                  .seed(seed)
                  .size(side)
                  .partitions(partitions)
                  .build());
      double secs = r.elapsed().toNanos() / 1e9;
      ERR.printf(
          Locale.ROOT,
          "facenorm-spark augment: %d samples in %d shards in %.1f s (%.1f samples/s); %s%n",
          r.samplesWritten(),
          r.shardsWritten(),
          secs,
          r.samplesWritten() / Math.max(1e-9, secs),
          r.manifest());
      spark.stop();
      return 0;
    }
  }
}
