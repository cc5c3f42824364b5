package io.github.facenorm.core.dlib;

import io.github.facenorm.core.FaceBox;
import io.github.facenorm.core.FaceImage;
import io.github.facenorm.core.LandmarkDetector;
import io.github.facenorm.core.Landmarks;
import io.github.facenorm.core.dlib.internal.ShapePredictorModel;
import io.github.facenorm.core.dlib.internal.ShapePredictorModel.Cascade;
import io.github.facenorm.core.dlib.internal.ShapePredictorModel.Tree;
import io.github.facenorm.core.dlib.internal.ShapePredictorReader;
import io.github.facenorm.core.dlib.internal.Similarity;
import io.github.facenorm.core.models.ModelId;
import io.github.facenorm.core.models.ModelStore;
import io.github.facenorm.core.models.PretrainedModels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * dlib's {@code shape_predictor} (an ensemble of regression trees, Kazemi &amp; Sullivan 2014) in
 * pure Java: reads dlib's {@code .dat} files and computes the same landmarks as dlib's {@code
 * shape_predictor::operator()}, but keeps them sub-pixel (dlib rounds them to integers).
 *
 * <p>The face model is {@code shape_predictor_68_face_landmarks.dat} from Debian's {@code
 * libdlib-data} (CC0-1.0; trained on iBUG 300-W, whose images are for research only); {@code
 * scripts/fetch-dlib-model.sh} caches it in the {@link ModelStore}, where {@link #loadDefault()}
 * looks. It was trained on the boxes of dlib's HOG {@code frontal_face_detector}; boxes from other
 * detectors work but shift the points somewhat.
 *
 * <p>Numerics follow dlib: the image is read as dlib's 8-bit intensity ({@link
 * FaceImage#intensity8}), the similarity transform is computed in double, and everything else in
 * float in dlib's order. Immutable and thread-safe; a prediction allocates only two small arrays.
 */
public final class DlibShapePredictor implements LandmarkDetector {

  /** File name of the 68-point face model. */
  public static final String MODEL_FILE = "shape_predictor_68_face_landmarks.dat";

  /**
   * SHA-256 of Debian {@code libdlib-data 19.24+dfsg-1}'s copy of {@link #MODEL_FILE} (the pin of
   * {@link #modelId()}).
   */
  public static final String MODEL_SHA256 = modelId().mainFile().sha256();

  private static final Logger LOG = LoggerFactory.getLogger(DlibShapePredictor.class);

  private final float[] initialShape;
  private final Cascade[] cascades;
  private final int maxPixels;
  private final String source;
  private final String sha256;

  private DlibShapePredictor(ShapePredictorModel model, String source, String sha256) {
    this.initialShape = model.initialShape();
    this.cascades = model.cascades();
    int m = 0;
    for (Cascade c : cascades) {
      m = Math.max(m, c.numPixels());
    }
    this.maxPixels = m;
    this.source = source;
    this.sha256 = sha256;
  }

  /**
   * Reads a dlib shape predictor file (any number of parts, cascades and trees).
   *
   * @param file a {@code .dat} file written by dlib's {@code serialize(shape_predictor)}
   * @return the predictor
   * @throws IOException if the file cannot be read, or is truncated or corrupt (the message names
   *     the file, the byte offset and what was expected there)
   */
  public static DlibShapePredictor load(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    long t0 = System.nanoTime();
    ShapePredictorReader.Result r = ShapePredictorReader.read(file);
    DlibShapePredictor p = new DlibShapePredictor(r.model(), file.toString(), r.sha256());
    LOG.info(
        "Loaded {} ({} bytes) in {} ms",
        p,
        r.bytes(),
        String.format(java.util.Locale.ROOT, "%.0f", (System.nanoTime() - t0) / 1e6));
    return p;
  }

  /**
   * The model store's id of the 68-point face model ({@link
   * PretrainedModels#DLIB_SHAPE_PREDICTOR_68}, with its pinned SHA-256).
   *
   * @return the id
   */
  public static ModelId modelId() {
    return PretrainedModels.get(PretrainedModels.DLIB_SHAPE_PREDICTOR_68);
  }

  /**
   * Loads the cached 68-point face model from the default {@link ModelStore}, checking its SHA-256.
   *
   * @return the predictor
   * @throws IOException if the model is not cached (the message names the file and says to run
   *     {@code scripts/fetch-dlib-model.sh}), or is not the pinned file
   */
  public static DlibShapePredictor loadDefault() throws IOException {
    return load(ModelStore.open());
  }

  /**
   * Loads the 68-point face model from a model store, checking its SHA-256.
   *
   * @param store the store
   * @return the predictor
   * @throws IOException if the model is not in the store or is not the pinned file
   */
  public static DlibShapePredictor load(ModelStore store) throws IOException {
    ModelId id = modelId();
    Path file = store.resolve(id).mainFile();
    DlibShapePredictor p = load(file);
    // The reader hashes what it parsed: a file swapped after the store's check is caught too.
    if (!id.mainFile().sha256().equals(p.sha256)) {
      throw new IOException(
          file
              + ": SHA-256 "
              + p.sha256
              + " is not the pinned "
              + id.mainFile().sha256()
              + "; delete it and run "
              + id.fetchHint());
    }
    return p;
  }

  /**
   * Where {@link #loadDefault()} looks: {@code <cache>/dlib/shape_predictor_68_face_landmarks.dat}
   * under {@link ModelStore#defaultRoot()}.
   *
   * @return the path (which may not exist)
   */
  public static Path defaultModelPath() {
    ModelId id = modelId();
    return ModelStore.open().directory(id).resolve(id.mainFile().path());
  }

  /**
   * Finds the 68 landmarks of a face.
   *
   * @param image the photo, {@code [H, W, 3]}
   * @param face the face box, ideally from dlib's HOG detector
   * @return the landmarks, sub-pixel
   * @throws IllegalStateException if this model does not have 68 parts
   */
  @Override
  public Landmarks detect(FaceImage image, FaceBox face) {
    if (numParts() != Landmarks.COUNT) {
      throw new IllegalStateException(
          "this shape predictor has " + numParts() + " parts, not 68: use predict()");
    }
    return Landmarks.of(predict(image, face));
  }

  /**
   * Runs the cascade, as dlib's {@code shape_predictor::operator()(img, rect)} but without rounding
   * the result. The box is first turned into dlib's inclusive integer rectangle ({@link
   * FaceBox#toDlibRectangle()}).
   *
   * @param image the photo, {@code [H, W, 3]}
   * @param face the face box
   * @return the parts in image pixels, interleaved {@code x0, y0, x1, y1, …}, length {@code 2 *
   *     numParts()}
   */
  public double[] predict(FaceImage image, FaceBox face) {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(face, "face");
    long[] r = face.toDlibRectangle();
    return predict(image, r[0], r[1], r[2], r[3]);
  }

  /**
   * Runs the cascade on dlib's inclusive rectangle {@code (left, top, right, bottom)}.
   *
   * @param image the photo, {@code [H, W, 3]}
   * @param left dlib {@code rect.left()}
   * @param top dlib {@code rect.top()}
   * @param right dlib {@code rect.right()} (inclusive)
   * @param bottom dlib {@code rect.bottom()} (inclusive)
   * @return the parts in image pixels, interleaved, length {@code 2 * numParts()}
   */
  public double[] predict(FaceImage image, long left, long top, long right, long bottom) {
    Objects.requireNonNull(image, "image");
    // dlib's unnormalizing transform maps (0,0) to the top-left corner and (1,1) to the
    // bottom-right one: x = left + u (right - left), y = top + v (bottom - top).
    final double ox = left;
    final double oy = top;
    final double sx = right - left;
    final double sy = bottom - top;
    final int w = image.width();
    final int h = image.height();
    final float[] cur = initialShape.clone();
    final float[] feat = new float[maxPixels];
    final double[] a = new double[4];
    final int dims = cur.length;
    for (Cascade cascade : cascades) {
      Similarity.linearPart(initialShape, cur, a);
      final float a00 = (float) a[0];
      final float a01 = (float) a[1];
      final float a10 = (float) a[2];
      final float a11 = (float) a[3];
      final int[] anchor = cascade.anchor();
      final float[] deltas = cascade.deltas();
      for (int i = 0; i < anchor.length; i++) {
        float dx = deltas[2 * i];
        float dy = deltas[2 * i + 1];
        int k = 2 * anchor[i];
        float vx = (a00 * dx + a01 * dy) + cur[k];
        float vy = (a10 * dx + a11 * dy) + cur[k + 1];
        long px = (long) Math.floor(sx * vx + ox + 0.5);
        long py = (long) Math.floor(sy * vy + oy + 0.5);
        feat[i] =
            (px >= 0 && px < w && py >= 0 && py < h) ? image.intensity8((int) px, (int) py) : 0f;
      }
      for (Tree tree : cascade.trees()) {
        final int[] i1 = tree.idx1();
        final int[] i2 = tree.idx2();
        final float[] th = tree.thresh();
        final int ns = i1.length;
        int n = 0;
        while (n < ns) {
          n = feat[i1[n]] - feat[i2[n]] > th[n] ? 2 * n + 1 : 2 * n + 2;
        }
        final float[] leaves = tree.leaves();
        final int off = (n - ns) * dims;
        for (int j = 0; j < dims; j++) {
          cur[j] += leaves[off + j];
        }
      }
    }
    double[] out = new double[dims];
    for (int j = 0; j < dims; j += 2) {
      out[j] = sx * cur[j] + ox;
      out[j + 1] = sy * cur[j + 1] + oy;
    }
    return out;
  }

  /** Number of landmarks the model places (68 for the face model). */
  public int numParts() {
    return initialShape.length / 2;
  }

  /** Number of cascade levels (15 for the face model). */
  public int numCascades() {
    return cascades.length;
  }

  /** Total number of regression trees over all cascade levels (7,500 for the face model). */
  public int numTrees() {
    int n = 0;
    for (Cascade c : cascades) {
      n += c.trees().length;
    }
    return n;
  }

  /**
   * The mean shape the cascade starts from, in normalized box coordinates ({@code (0, 0)} = the
   * box's top-left pixel, {@code (1, 1)} its bottom-right one).
   *
   * @return a copy, interleaved {@code x0, y0, …}, length {@code 2 * numParts()}
   */
  public float[] initialShape() {
    return initialShape.clone();
  }

  /** SHA-256 of the file this predictor was read from, lower-case hex. */
  public String sha256() {
    return sha256;
  }

  @Override
  public String toString() {
    return "DlibShapePredictor[parts="
        + numParts()
        + ", cascades="
        + numCascades()
        + ", trees="
        + numTrees()
        + ", feature pixels per level="
        + maxPixels
        + ", source="
        + source
        + ", sha256="
        + sha256
        + "]";
  }
}
