package io.github.facenorm.models.face3d;

import io.github.facenorm.core.FaceBox;
import io.github.facenorm.core.FaceImage;
import io.github.facenorm.core.Landmarks;
import io.github.facenorm.models.face3d.internal.TfjsGraph;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * MediaPipe's face-mesh network (the tfjs graph {@code models/facemesh.json} of npm package
 * &#64;vladmandic/human 3.3.6; the model is MediaPipe's, Apache-2.0), run by a plain Java
 * evaluator: a 192 × 192 RGB crop in {@code [0, 1]} gives 468 points {@code x y z}. Matches the
 * model run by tfjs 4.22.0's CPU backend to 5e-5 px (see {@code FaceMeshNetTest} and {@code
 * src/test/node-face3d}).
 *
 * <p>Points are in pixels of the input ({@code x} right, {@code y} down); {@code z} is depth on the
 * same scale, negative towards the camera. On a photo, {@link #detect(FaceImage, FaceBox)} crops a
 * square around a box, runs the net, and re-crops twice around the mesh's own box × {@value
 * #CROP_SCALE} (MediaPipe's tracking crop), then maps the points back to the photo.
 *
 * <p>Immutable and thread-safe.
 */
public final class FaceMeshNet {

  /** The network's input side {@code S}: the input is {@code [S, S, 3]}. */
  public static final int INPUT_SIZE = 192;

  /** The crop around the mesh's bounding box, relative to its larger side. */
  public static final double CROP_SCALE = 1.5;

  private static final String MESH = "Identity_2";
  private static final String FLAG = "Identity_1";

  /**
   * The network's output.
   *
   * @param points {@code [468, 3]} row-major {@code x y z}, pixels of the image it was run on
   * @param faceFlag the face-presence score in {@code [0, 1]}
   */
  public record Prediction(double[] points, double faceFlag) {
    /** Checks the shape. */
    public Prediction {
      Objects.requireNonNull(points, "points");
      if (points.length != 3 * FaceMesh.MEDIAPIPE_VERTICES) {
        throw new IllegalArgumentException(
            "points: expected [468, 3] = 1404 values, got " + points.length);
      }
    }

    /**
     * The 68 iBUG landmarks ({@link FaceMesh#ibug68()}), {@code x y} only.
     *
     * @return the landmarks in the same pixels
     */
    public Landmarks landmarks68() {
      int[] map = FaceMesh.ibug68();
      double[] xy = new double[2 * map.length];
      for (int i = 0; i < map.length; i++) {
        xy[2 * i] = points[3 * map[i]];
        xy[2 * i + 1] = points[3 * map[i] + 1];
      }
      return Landmarks.of(xy);
    }
  }

  private final TfjsGraph graph;

  private FaceMeshNet(TfjsGraph graph) {
    this.graph = graph;
  }

  /**
   * Loads the pinned model from the cache.
   *
   * @param assets the fetched assets ({@code scripts/fetch-face3d.sh})
   * @return the net
   * @throws IOException if the files are missing, corrupt or not the expected graph
   */
  public static FaceMeshNet load(Face3dAssets assets) throws IOException {
    assets.file(Face3dAssets.FACEMESH_BIN);
    return load(assets.file(Face3dAssets.FACEMESH_JSON));
  }

  /**
   * Loads a facemesh graph model file (its shard beside it), unchecked.
   *
   * @param modelJson the {@code facemesh.json}
   * @return the net
   * @throws IOException if it cannot be read or uses an unsupported op
   */
  public static FaceMeshNet load(Path modelJson) throws IOException {
    return new FaceMeshNet(TfjsGraph.load(modelJson));
  }

  /**
   * Runs the net on a crop.
   *
   * @param rgb {@code [192, 192, 3]} row-major RGB in {@code [0, 1]}
   * @return the mesh in pixels of the crop
   */
  public Prediction run(float[] rgb) {
    Objects.requireNonNull(rgb, "rgb");
    int n = INPUT_SIZE * INPUT_SIZE * 3;
    if (rgb.length != n) {
      throw new IllegalArgumentException(
          "rgb: expected [192, 192, 3] = " + n + " values, got " + rgb.length);
    }
    List<TfjsGraph.Tensor> out =
        graph.run(
            new TfjsGraph.Tensor(new int[] {1, INPUT_SIZE, INPUT_SIZE, 3}, rgb.clone()),
            MESH,
            FLAG);
    float[] m = out.get(0).data();
    double[] p = new double[m.length];
    for (int i = 0; i < m.length; i++) {
      p[i] = m[i];
    }
    return new Prediction(p, out.get(1).data()[0]);
  }

  /**
   * Runs the net on a square crop of a photo and maps the points back.
   *
   * @param image the photo
   * @param left crop's left edge, photo pixels (may lie outside; the border is repeated)
   * @param top crop's top edge
   * @param side crop's side, {@code > 0}
   * @return the mesh in photo pixels ({@code z} scaled like {@code x})
   */
  public Prediction runCrop(FaceImage image, double left, double top, double side) {
    Objects.requireNonNull(image, "image");
    if (!(side > 0) || !Double.isFinite(left) || !Double.isFinite(top)) {
      throw new IllegalArgumentException(
          "crop: left " + left + ", top " + top + ", side " + side + " (side must be > 0)");
    }
    float[] rgb = crop(image, left, top, side);
    Prediction p = run(rgb);
    double s = side / INPUT_SIZE;
    double[] q = p.points().clone();
    for (int i = 0; i < q.length; i += 3) {
      q[i] = left + q[i] * s;
      q[i + 1] = top + q[i + 1] * s;
      q[i + 2] = q[i + 2] * s;
    }
    return new Prediction(q, p.faceFlag());
  }

  /**
   * The mesh of the face in a box: a square crop of side {@value #CROP_SCALE} × the box's larger
   * side, then two re-crops around the mesh.
   *
   * @param image the photo
   * @param box a face box (detector box or landmark box)
   * @return the mesh in photo pixels
   */
  public Prediction detect(FaceImage image, FaceBox box) {
    Objects.requireNonNull(box, "box");
    double side = CROP_SCALE * Math.max(box.width(), box.height());
    Prediction p = runCrop(image, box.centerX() - side / 2, box.centerY() - side / 2, side);
    for (int round = 0; round < 2; round++) {
      double[] q = p.points();
      double x0 = Double.MAX_VALUE;
      double y0 = Double.MAX_VALUE;
      double x1 = -Double.MAX_VALUE;
      double y1 = -Double.MAX_VALUE;
      for (int i = 0; i < q.length; i += 3) {
        x0 = Math.min(x0, q[i]);
        x1 = Math.max(x1, q[i]);
        y0 = Math.min(y0, q[i + 1]);
        y1 = Math.max(y1, q[i + 1]);
      }
      double s = CROP_SCALE * Math.max(x1 - x0, y1 - y0);
      p = runCrop(image, (x0 + x1) / 2 - s / 2, (y0 + y1) / 2 - s / 2, s);
    }
    return p;
  }

  /**
   * The mesh of a roughly centred face (an aligned chip, a normalized face, an LFW deep-funnelled
   * photo): starts from the centred box of 2/3 the image's shorter side.
   *
   * @param image the photo
   * @return the mesh in photo pixels
   */
  public Prediction detect(FaceImage image) {
    double s = Math.min(image.width(), image.height()) * 2.0 / 3.0;
    return detect(image, new FaceBox((image.width() - s) / 2, (image.height() - s) / 2, s, s));
  }

  /** Bilinear (half-pixel centres), border repeated: {@code [192, 192, 3]}. */
  static float[] crop(FaceImage image, double left, double top, double side) {
    int w = image.width();
    int h = image.height();
    float[] src = image.toArray();
    float[] out = new float[INPUT_SIZE * INPUT_SIZE * 3];
    double step = side / INPUT_SIZE;
    for (int r = 0; r < INPUT_SIZE; r++) {
      double sy = top + (r + 0.5) * step - 0.5;
      int fy = (int) Math.floor(sy);
      double ay = sy - fy;
      int y0 = Math.min(Math.max(fy, 0), h - 1);
      int y1 = Math.min(Math.max(fy + 1, 0), h - 1);
      for (int q = 0; q < INPUT_SIZE; q++) {
        double sx = left + (q + 0.5) * step - 0.5;
        int fx = (int) Math.floor(sx);
        double ax = sx - fx;
        int x0 = Math.min(Math.max(fx, 0), w - 1);
        int x1 = Math.min(Math.max(fx + 1, 0), w - 1);
        for (int c = 0; c < 3; c++) {
          double v =
              (1 - ay) * ((1 - ax) * src[(y0 * w + x0) * 3 + c] + ax * src[(y0 * w + x1) * 3 + c])
                  + ay * ((1 - ax) * src[(y1 * w + x0) * 3 + c] + ax * src[(y1 * w + x1) * 3 + c]);
          out[(r * INPUT_SIZE + q) * 3 + c] = (float) v;
        }
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return "FaceMeshNet[MediaPipe facemesh 192, human 3.3.6]";
  }
}
