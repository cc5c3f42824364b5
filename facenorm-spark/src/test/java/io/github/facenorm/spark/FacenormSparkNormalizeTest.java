package io.github.facenorm.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.github.facenorm.core.FaceImage;
import io.github.facenorm.models.eval.NormalizationEvaluation;
import io.github.facenorm.models.nets.FaceRecognitionNet;
import io.github.facenorm.models.normalize.FaceNormalizer;
import io.github.facenorm.models.normalize.NormalizedFace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FacenormSpark#normalize} in {@code local[2]} on a folder the test makes: a face (twice as
 * PNG, one in a subfolder, and as JPEG), a photo without a face, a truncated JPEG, a text file
 * named {@code .png}, and a {@code .txt} that is not listed. The face rows must be what the
 * single-machine {@link FaceNormalizer} makes of the same photo; every bad photo is a row naming it
 * and its problem.
 */
class FacenormSparkNormalizeTest {

  @TempDir static Path dir;
  private static Path in;
  private static FaceNormalizer normalizer;
  private static FaceRecognitionNet recognition;

  @BeforeAll
  static void makePhotos() throws IOException {
    if (!TestFaces.modelsCached()) {
      return;
    }
    recognition = FaceRecognitionNet.load();
    normalizer = FaceNormalizer.builder().encoder(recognition.pooledFeatureEncoder()).build();
    FaceImage face = TestFaces.face(normalizer);
    in = Files.createDirectories(dir.resolve("in"));
    face.write(in.resolve("face.png"));
    Files.createDirectories(in.resolve("sub"));
    face.write(in.resolve("sub/face.png"));
    face.write(in.resolve("face.jpg"));
    float[] flat = new float[64 * 64 * 3];
    java.util.Arrays.fill(flat, 0.4f);
    FaceImage.of(64, 64, flat).write(in.resolve("blank.png"));
    byte[] jpeg = Files.readAllBytes(in.resolve("face.jpg"));
    Files.write(in.resolve("truncated.jpg"), java.util.Arrays.copyOf(jpeg, jpeg.length / 3));
    Files.writeString(in.resolve("text.png"), "not a photo at all");
    Files.writeString(in.resolve("notes.txt"), "not listed: not a photo extension");
  }

  private static Map<String, Row> byName(List<Row> rows) {
    return rows.stream()
        .collect(
            Collectors.toMap(
                r -> in.relativize(Path.of(java.net.URI.create(r.getString(0)))).toString(),
                r -> r,
                (a, b) -> {
                  throw new AssertionError("two rows for " + a.getString(0));
                },
                TreeMap::new));
  }

  @Test
  void everyPhotoIsOneRowFacesAsOnOneMachineAndBadPhotosAsErrors(@TempDir Path tmp)
      throws IOException {
    assumeThat(TestFaces.modelsCached())
        .as("models not cached; run scripts/fetch-models.sh")
        .isTrue();
    SparkSession spark = LocalSpark.session();
    Dataset<Row> out =
        FacenormSpark.normalize(
            FacenormSpark.photos(spark, in.toString()).repartition(2), NormalizeOptions.defaults());
    assertThat(out.schema()).isEqualTo(FacenormSpark.SCHEMA);
    Map<String, Row> rows = byName(out.collectAsList());
    assertThat(rows.keySet())
        .containsExactly(
            "blank.png", "face.jpg", "face.png", "sub/face.png", "text.png", "truncated.jpg");
    // the JPEG is what one machine makes of it, a face or the same error
    try {
      normalizer.normalize(in.resolve("face.jpg"));
      assertThat(rows.get("face.jpg").isNullAt(4))
          .as("face.jpg: " + rows.get("face.jpg").get(4))
          .isTrue();
    } catch (io.github.facenorm.models.normalize.NoFaceException e) {
      assertThat(rows.get("face.jpg").getString(4)).contains("face.jpg").contains("no face found");
    }

    for (String name : List.of("face.png", "sub/face.png")) {
      Row r = rows.get(name);
      assertThat(r.isNullAt(4)).as(name + ": " + r.get(4)).isTrue();
      NormalizedFace expected = normalizer.normalize(in.resolve(name));
      FaceImage image =
          FaceImage.fromBufferedImage(
              javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream((byte[]) r.get(1))));
      assertThat(image.width()).isEqualTo(normalizer.outputSize());
      float[] got = image.toArray();
      float[] want =
          FaceImage.ofRgb8(image.width(), image.height(), expected.image().toRgb8()).toArray();
      float maxDiff = 0;
      for (int i = 0; i < got.length; i++) {
        maxDiff = Math.max(maxDiff, Math.abs(got[i] - want[i]));
      }
      assertThat(maxDiff).as(name + ": max pixel difference").isLessThanOrEqualTo(1 / 255f + 1e-6f);
      List<Double> lm = r.getList(2);
      double[] wantLm = expected.landmarks().toFlatArray();
      assertThat(lm).hasSize(136);
      for (int i = 0; i < 136; i++) {
        assertThat(lm.get(i))
            .as(name + " landmark value " + i)
            .isCloseTo(wantLm[i], org.assertj.core.data.Offset.offset(1e-3));
      }
      // x then y: the face's outline spans its width, the chin (point 8) is below the nose (30)
      assertThat(lm.get(2 * 8 + 1)).isGreaterThan(lm.get(2 * 30 + 1));
      assertThat(lm.get(2 * 16)).isGreaterThan(lm.get(0));
      double distance =
          NormalizationEvaluation.measure(
                  normalizer, recognition, FaceImage.read(in.resolve(name)), "", name)
              .measure()
              .distance();
      assertThat(r.getDouble(3))
          .as(name + " identity distance")
          .isCloseTo(distance, org.assertj.core.data.Offset.offset(1e-4));
      assertThat(distance).isPositive();
    }
    assertThat(rows.get("blank.png").getString(4)).contains("blank.png").contains("no face found");
    assertThat(rows.get("truncated.jpg").getString(4))
        .contains("truncated.jpg")
        .containsAnyOf("corrupt", "truncated");
    assertThat(rows.get("text.png").getString(4))
        .contains("text.png")
        .contains("not a JPEG or PNG");
    for (String bad : List.of("blank.png", "truncated.jpg", "text.png")) {
      Row r = rows.get(bad);
      assertThat(r.isNullAt(1) && r.isNullAt(2) && r.isNullAt(3)).as(bad).isTrue();
    }

    // Parquet round trip: the same rows come back
    Path parquet = tmp.resolve("faces.parquet");
    out.write().parquet(parquet.toString());
    Map<String, Row> back = byName(spark.read().parquet(parquet.toString()).collectAsList());
    assertThat(back.keySet()).isEqualTo(rows.keySet());
    for (String name : rows.keySet()) {
      Row a = rows.get(name);
      Row b = back.get(name);
      assertThat(b.getString(0)).isEqualTo(a.getString(0));
      assertThat((byte[]) b.get(1)).as(name).isEqualTo((byte[]) a.get(1));
      assertThat(b.isNullAt(2) ? null : b.getList(2))
          .isEqualTo(a.isNullAt(2) ? null : a.getList(2));
      assertThat(b.get(3)).isEqualTo(a.get(3));
      assertThat(b.get(4)).isEqualTo(a.get(4));
    }
  }

  @Test
  void withoutIdentityDistanceTheColumnIsNull() throws IOException {
    assumeThat(TestFaces.modelsCached())
        .as("models not cached; run scripts/fetch-models.sh")
        .isTrue();
    SparkSession spark = LocalSpark.session();
    List<Row> rows =
        FacenormSpark.normalize(
                FacenormSpark.photos(spark, in.resolve("face.png").toString()),
                NormalizeOptions.builder().identityDistance(false).build())
            .collectAsList();
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).isNullAt(1)).isFalse();
    assertThat(rows.get(0).isNullAt(3)).isTrue();
    assertThat(rows.get(0).isNullAt(4)).isTrue();
  }

  @Test
  void aDatasetWithoutPathAndContentIsRefusedNamingTheColumn() {
    SparkSession spark = LocalSpark.session();
    Dataset<Row> noContent = spark.sql("SELECT 'a.jpg' AS path");
    assertThatThrownBy(() -> FacenormSpark.normalize(noContent, NormalizeOptions.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'content'")
        .hasMessageContaining("path");
    Dataset<Row> wrongType = spark.sql("SELECT 'a.jpg' AS path, 'x' AS content");
    assertThatThrownBy(() -> FacenormSpark.normalize(wrongType, NormalizeOptions.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'content' is string, expected binary");
  }

  @Test
  void aMissingModelCacheIsAClearErrorOnTheDriver(@TempDir Path empty) {
    SparkSession spark = LocalSpark.session();
    Dataset<Row> photos = spark.sql("SELECT 'a.jpg' AS path, CAST('x' AS BINARY) AS content");
    assertThatThrownBy(
            () ->
                FacenormSpark.normalize(
                    photos, NormalizeOptions.builder().modelCache(empty).build()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("scripts/fetch-");
  }
}
