package io.github.facenorm.benchmarks;

import io.github.facenorm.models.nets.FaceApiModels;
import io.github.facenorm.models.nets.FaceLandmark68Net;
import io.github.facenorm.models.nets.FaceRecognitionNet;
import io.github.facenorm.models.nets.TinyFaceDetector;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * face-api's nets ported to SameDiff, with the real weights from the cache ({@code
 * scripts/fetch-face-api.sh}): the recognition ResNet's 128-D embedding on {@code [B, 150, 150,
 * 3]}, the 68-point landmark net on {@code [B, 112, 112, 3]} and the tiny face detector on {@code
 * [B, 416, 416, 3]} (face-api's default input size), each on prepared inputs (no resizing). Time
 * per call; images per second = {@code batch} / time. Inputs are seeded uniform noise in 0..255
 * (the nets' cost does not depend on the pixels).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xss4m"})
public class FaceNetsBenchmark {

  /** Images per call. */
  @Param({"1", "16"})
  public int batch;

  private FaceRecognitionNet recognition;
  private FaceLandmark68Net landmarks;
  private TinyFaceDetector detector;
  private INDArray faces150;
  private INDArray faces112;
  private INDArray images416;

  /** Loads the nets and makes the inputs; fails with a clear message if the weights are absent. */
  @Setup
  public void setup() {
    for (String model :
        new String[] {
          FaceApiModels.FACE_RECOGNITION,
          FaceApiModels.FACE_LANDMARK_68,
          FaceApiModels.TINY_FACE_DETECTOR
        }) {
      if (!FaceApiModels.isAvailable(model)) {
        throw new IllegalStateException(
            "FaceNetsBenchmark needs the face-api weights: model '"
                + model
                + "' is not cached at "
                + FaceApiModels.directory()
                + "; run scripts/fetch-face-api.sh (or set FACENORM_CACHE / -Dfacenorm.cache)");
      }
    }
    recognition = FaceRecognitionNet.load();
    landmarks = FaceLandmark68Net.load();
    detector = TinyFaceDetector.load();
    faces150 = noise(batch, 150, 1);
    faces112 = noise(batch, 112, 2);
    images416 = noise(batch, 416, 3);
  }

  private static INDArray noise(int batch, int size, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] v = new float[batch * size * size * 3];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) r.nextInt(256);
    }
    return Nd4j.createFromArray(v).reshape('c', batch, size, size, 3);
  }

  /** The recognition net: {@code [B, 150, 150, 3]} to the descriptors {@code [B, 128]}. */
  @Benchmark
  public INDArray recognitionEmbedding() {
    return recognition.embed(faces150);
  }

  /** The landmark net: {@code [B, 112, 112, 3]} to the points {@code [B, 136]}. */
  @Benchmark
  public INDArray landmarks68() {
    return landmarks.predict(faces112);
  }

  /**
   * The detector net (raw outputs, no decoding): {@code [B, 416, 416, 3]} to {@code [B, 13, 13,
   * 25]}.
   */
  @Benchmark
  public INDArray tinyFaceDetector416() {
    return detector.predict(images416);
  }
}
