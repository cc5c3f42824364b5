package io.github.facenorm.spark;

import io.github.facenorm.augment.AugmentJob;
import io.github.facenorm.augment.DatasetWriter;
import io.github.facenorm.augment.FaceSet;
import io.github.facenorm.core.models.ModelStore;
import io.github.facenorm.spark.internal.FaceSetCodec;
import io.github.facenorm.spark.internal.ModelBundle;
import io.github.facenorm.spark.internal.NormalizePartition;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * facenorm's two batch jobs on Apache Spark, mapping the same per-photo and per-sample steps as the
 * command line:
 *
 * <ul>
 *   <li>{@link #normalize}: photos (rows of Spark's {@code binaryFile} source, see {@link #photos})
 *       to rows {@code (path, image, landmarks, identity_distance, error)}: a bad photo is a row
 *       with its error, never a failed job. Write them with {@code .write().parquet(dir)}.
 *   <li>{@link #augment}: the training-set writer of {@code facenorm augment}, its shards split
 *       into contiguous ranges (sample seeds) over the executors; the folder ends up byte for byte
 *       what the single-machine writer makes with the same seed, with one manifest.
 * </ul>
 *
 * <pre>{@code
 * Dataset<Row> faces = FacenormSpark.normalize(FacenormSpark.photos(spark, "photos/"),
 *     NormalizeOptions.defaults());
 * faces.write().parquet("normalized.parquet");
 * }</pre>
 *
 * <p>Models reach the executors as one broadcast (the pretrained detector, landmarker and
 * recognition net from the driver's model cache, and a trained normalizer folder if one is used),
 * SHA-256-checked on both sides and loaded once per executor JVM; each concurrently running task
 * gets its own normalizer, and ND4J's threads per op are set to the executor's cores divided by its
 * concurrent tasks ({@code spark.facenorm.nd4jThreads} overrides).
 */
public final class FacenormSpark {

  /** Column: the photo's path as Spark lists it ({@code file:/...}, {@code hdfs://...}). */
  public static final String PATH = "path";

  /** Column: the normalized face as PNG bytes ({@code S × S}, 128 px for the shipped model). */
  public static final String IMAGE = "image";

  /**
   * Column: the normalized face's 68 landmarks in its pixels, {@code [x0, y0, x1, y1, ...]} (136
   * values, iBUG order).
   */
  public static final String LANDMARKS = "landmarks";

  /**
   * Column: L2 distance between the recognition net's 128-D descriptors of the photo and of the
   * normalized face (dlib's same-person threshold is 0.6); null when not measured.
   */
  public static final String IDENTITY_DISTANCE = "identity_distance";

  /** Column: why the photo failed (it names the photo), or null. */
  public static final String ERROR = "error";

  /** The schema of {@link #normalize}'s rows. */
  public static final StructType SCHEMA =
      new StructType(
          new StructField[] {
            DataTypes.createStructField(PATH, DataTypes.StringType, false),
            DataTypes.createStructField(IMAGE, DataTypes.BinaryType, true),
            DataTypes.createStructField(
                LANDMARKS, DataTypes.createArrayType(DataTypes.DoubleType, false), true),
            DataTypes.createStructField(IDENTITY_DISTANCE, DataTypes.DoubleType, true),
            DataTypes.createStructField(ERROR, DataTypes.StringType, true)
          });

  /** The photo extensions {@link #photos} lists, as {@code facenorm normalize} does. */
  public static final String PHOTO_GLOB = "*.{jpg,jpeg,png,JPG,JPEG,PNG,Jpg,Jpeg,Png}";

  private FacenormSpark() {}

  /**
   * The photos under some folders or files, as Spark's {@code binaryFile} source reads them
   * (columns {@code path, modificationTime, length, content}): folders recursively, files whose
   * names end in {@code .jpg}, {@code .jpeg} or {@code .png}.
   *
   * @param spark the session
   * @param paths folders or files (any file system Spark reads)
   * @return the rows, lazily
   */
  public static Dataset<Row> photos(SparkSession spark, String... paths) {
    Objects.requireNonNull(spark, "spark");
    if (paths.length == 0) {
      throw new IllegalArgumentException("paths: expected at least one folder or file");
    }
    return spark
        .read()
        .format("binaryFile")
        .option("recursiveFileLookup", "true")
        .option("pathGlobFilter", PHOTO_GLOB)
        .load(paths);
  }

  /**
   * Normalizes photos (lazily: nothing runs until the result is written or collected).
   *
   * @param photos rows with a string column {@value #PATH} and a binary column {@code content} (the
   *     photo file's bytes), e.g. {@link #photos}
   * @param options the options
   * @return one row per photo, schema {@link #SCHEMA}, in the input's partitions
   * @throws IllegalArgumentException if a column is missing or has another type
   * @throws IOException if a model is missing or corrupt on the driver
   */
  public static Dataset<Row> normalize(Dataset<Row> photos, NormalizeOptions options)
      throws IOException {
    Objects.requireNonNull(photos, "photos");
    Objects.requireNonNull(options, "options");
    checkColumn(photos.schema(), PATH, DataTypes.StringType);
    checkColumn(photos.schema(), "content", DataTypes.BinaryType);
    SparkSession spark = photos.sparkSession();
    ModelBundle bundle = ModelBundle.read(ModelStore.at(options.modelCache()), options.model());
    Broadcast<ModelBundle> models = context(spark).broadcast(bundle);
    NormalizePartition.Settings settings =
        new NormalizePartition.Settings(options.identityDistance(), options.maxPixels());
    return photos
        .select(PATH, "content")
        .mapPartitions(new NormalizePartition(models, settings), Encoders.row(SCHEMA));
  }

  /**
   * Writes a training set ({@code facenorm augment}'s writer) with the executors: the driver checks
   * the folder and computes the neighbour table, each partition renders and writes one contiguous
   * range of shards, and the driver checks every shard's SHA-256 and writes the one manifest. The
   * folder then holds exactly what {@link DatasetWriter#write} (one machine, same seed) writes. A
   * retried task rewrites its shards with the same bytes.
   *
   * @param spark the session
   * @param faces the faces to morph (e.g. identity averages), backgrounds and mean shape; held by
   *     the driver and broadcast
   * @param options the options
   * @return shards and samples written, and the manifest
   * @throws IOException if the folder holds foreign files or another dataset, or a shard is missing
   */
  public static DatasetWriter.Result augment(
      SparkSession spark, FaceSet faces, AugmentOptions options) throws IOException {
    Objects.requireNonNull(spark, "spark");
    Objects.requireNonNull(faces, "faces");
    Objects.requireNonNull(options, "options");
    long t0 = System.nanoTime();
    FaceSet sized = options.size() > 0 ? AugmentJob.resized(faces, options.size()) : faces;
    DatasetWriter writer = options.writer(Runtime.getRuntime().availableProcessors());
    int shards = writer.prepareShards(sized);
    JavaSparkContext jsc = context(spark);
    int parts =
        Math.min(
            shards, options.partitions() > 0 ? options.partitions() : jsc.defaultParallelism());
    Broadcast<byte[]> bytes = jsc.broadcast(FaceSetCodec.encode(sized));
    List<AugmentPartition.Shard> written;
    try {
      written =
          jsc.parallelize(IntStream.range(0, parts).boxed().toList(), parts)
              .mapPartitions(new AugmentPartition(bytes, options, shards, parts))
              .collect();
    } finally {
      bytes.destroy();
    }
    List<DatasetWriter.ShardFile> files = new ArrayList<>(written.size());
    for (AugmentPartition.Shard s : written) {
      files.add(s.toShardFile());
    }
    DatasetWriter.Result r = writer.finishShards(sized, files);
    return new DatasetWriter.Result(
        r.shardsWritten(),
        r.shardsKept(),
        r.samplesWritten(),
        Duration.ofNanos(System.nanoTime() - t0),
        r.manifest());
  }

  private static JavaSparkContext context(SparkSession spark) {
    return JavaSparkContext.fromSparkContext(spark.sparkContext());
  }

  private static void checkColumn(
      StructType schema, String name, org.apache.spark.sql.types.DataType type) {
    StructField f =
        java.util.Arrays.stream(schema.fields())
            .filter(x -> x.name().equals(name))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "photos: expected a column '"
                            + name
                            + "' ("
                            + type.simpleString()
                            + "), got columns "
                            + String.join(", ", schema.fieldNames())));
    if (!f.dataType().equals(type)) {
      throw new IllegalArgumentException(
          "photos: column '"
              + name
              + "' is "
              + f.dataType().simpleString()
              + ", expected "
              + type.simpleString());
    }
  }
}
