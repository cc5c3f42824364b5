package io.github.facenorm.spark.internal;

import io.github.facenorm.core.dlib.DlibShapePredictor;
import io.github.facenorm.models.nets.FaceApiModels;
import io.github.facenorm.models.nets.FaceRecognitionNet;
import io.github.facenorm.models.nets.TfjsWeights;
import io.github.facenorm.models.normalize.FaceNormalizer;
import io.github.facenorm.models.normalize.NormalizerModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The normalizers of one executor JVM, made from one {@link ModelBundle}: the bundle is written to
 * local disk and the big read-only parts (dlib's trees, the recognition weights) are loaded once;
 * each concurrently running task borrows its own {@link FaceNormalizer} (the nets serialize their
 * calls, so one shared normalizer would run one photo at a time), and gives it back when the task
 * ends.
 */
public final class NormalizeWorkers {

  private static final Logger LOG = LoggerFactory.getLogger(NormalizeWorkers.class);
  private static final Map<String, NormalizeWorkers> BY_BUNDLE = new ConcurrentHashMap<>();

  private final DlibShapePredictor landmarker;
  private final TfjsWeights recognitionWeights;
  private final ModelBundle.Materialized files;
  private final Queue<Worker> idle = new ConcurrentLinkedQueue<>();

  /**
   * A normalizer and the recognition net whose descriptors measure identity distance.
   *
   * @param normalizer the normalizer
   * @param net the recognition net (the normalizer's encoder is its pooled layer)
   */
  public record Worker(FaceNormalizer normalizer, FaceRecognitionNet net) {}

  private NormalizeWorkers(ModelBundle bundle) {
    long t0 = System.nanoTime();
    files = bundle.materialize();
    try {
      landmarker = DlibShapePredictor.load(files.store());
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
    recognitionWeights = FaceApiModels.load(files.store(), FaceApiModels.FACE_RECOGNITION);
    LOG.info(
        "models {} ({} MB) loaded in {} s",
        bundle.digest().substring(0, 12),
        bundle.bytes() >> 20,
        String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9));
  }

  /**
   * The workers of this JVM for a bundle, made on first use (the broadcast is read once per JVM).
   *
   * @param bundle the broadcast bundle's value
   * @param nd4jThreads threads for each ND4J op in this JVM (set once, on first use)
   * @return the workers
   */
  public static NormalizeWorkers of(ModelBundle bundle, int nd4jThreads) {
    return BY_BUNDLE.computeIfAbsent(
        bundle.digest(),
        k -> {
          Nd4j.getEnvironment().setMaxThreads(nd4jThreads);
          Nd4j.getEnvironment().setMaxMasterThreads(nd4jThreads);
          return new NormalizeWorkers(bundle);
        });
  }

  /**
   * An idle worker, or a new one.
   *
   * @return the worker; give it back with {@link #release}
   */
  public Worker borrow() {
    Worker w = idle.poll();
    if (w != null) {
      return w;
    }
    FaceRecognitionNet net = FaceRecognitionNet.fromWeights(recognitionWeights);
    FaceNormalizer.Builder b =
        FaceNormalizer.builder()
            .modelStore(files.store())
            .landmarker(landmarker)
            .encoder(net.pooledFeatureEncoder());
    try {
      if (files.normalizerDir() != null) {
        b.model(NormalizerModel.load(files.normalizerDir()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
    // The builder loads the (small) detector from the store: its default two-pass detection.
    FaceNormalizer normalizer = b.build();
    return new Worker(normalizer, net);
  }

  /**
   * Gives a worker back.
   *
   * @param w a worker from {@link #borrow}
   */
  public void release(Worker w) {
    idle.add(w);
  }
}
