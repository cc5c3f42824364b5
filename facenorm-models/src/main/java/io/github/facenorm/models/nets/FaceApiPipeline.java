package io.github.facenorm.models.nets;

import io.github.facenorm.core.FaceBox;
import io.github.facenorm.core.FaceDetector;
import io.github.facenorm.core.FaceEncoder;
import io.github.facenorm.core.FaceImage;
import io.github.facenorm.core.LandmarkDetector;
import io.github.facenorm.core.Landmarks;
import io.github.facenorm.models.internal.FaceApiTranslator;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * face-api's {@code detectAllFaces(image, new TinyFaceDetectorOptions()).withFaceLandmarks()
 * .withFaceDescriptors()}, step for step, over core's interfaces: a {@link FaceDetector}, a {@link
 * LandmarkDetector} on each detection, then a {@link FaceEncoder} on the descriptor chip. With
 * face-api's three nets ({@link #load()}) it reproduces face-api; any other detector, landmarker
 * (e.g. dlib's) or encoder plugs in the same way.
 *
 * <p>The chip is face-api's {@code landmarks.align(null, {useDlibAlignment: true})}: with {@code
 * le}, {@code re}, {@code mo} the means of points 36-41, 42-47 and 48-67, {@code size = floor(mean(
 * |mo - le|, |mo - re|) / 0.45)}, {@code c = (le + re + mo) / 3}, the axis-aligned square at {@code
 * (floor(max(0, c.x - 0.5 size)), floor(max(0, c.y - 0.43 size)))}, its sides capped with the
 * landmark crop's size (a face-api quirk), clipped and floored; there is no rotation. face-api also
 * reports {@code alignedRect} (the landmarks' bounding box padded by 20%), which is not what the
 * descriptor sees.
 */
public final class FaceApiPipeline {
  private final FaceDetector detector;
  private final LandmarkDetector landmarks;
  private final FaceEncoder encoder;

  /**
   * One face.
   *
   * @param detection the detector's box and score, image pixels
   * @param landmarks the 68 points, image pixels
   * @param alignedBox face-api's {@code alignedRect}: the landmarks' bounding box padded by 20%
   * @param chipBox the crop the descriptor was computed on (before clipping and flooring)
   * @param descriptor the encoder's descriptor (128-D for face-api's net)
   */
  public record Face(
      FaceBox detection,
      Landmarks landmarks,
      FaceBox alignedBox,
      FaceBox chipBox,
      float[] descriptor) {}

  /**
   * A pipeline from three models.
   *
   * @param detector finds the faces, e.g. {@link TinyFaceDetector}
   * @param landmarks places the 68 points in a detection, e.g. {@link FaceLandmark68Net}
   * @param encoder describes the chip, e.g. {@link FaceRecognitionNet}
   */
  public FaceApiPipeline(FaceDetector detector, LandmarkDetector landmarks, FaceEncoder encoder) {
    this.detector = Objects.requireNonNull(detector, "detector");
    this.landmarks = Objects.requireNonNull(landmarks, "landmarks");
    this.encoder = Objects.requireNonNull(encoder, "encoder");
  }

  /**
   * face-api's pipeline with its weights from the model store and the detector's default options.
   *
   * @return the pipeline
   * @throws IllegalStateException if a model is not cached (run {@code scripts/fetch-face-api.sh})
   * @throws java.io.UncheckedIOException if a cached file is corrupt
   */
  public static FaceApiPipeline load() {
    return load(TinyFaceDetector.Options.DEFAULT);
  }

  /**
   * face-api's pipeline with its weights from the model store.
   *
   * @param options the detector's options
   * @return the pipeline
   * @throws IllegalStateException if a model is not cached (run {@code scripts/fetch-face-api.sh})
   * @throws java.io.UncheckedIOException if a cached file is corrupt
   */
  public static FaceApiPipeline load(TinyFaceDetector.Options options) {
    return new FaceApiPipeline(
        TinyFaceDetector.load().withOptions(options),
        FaceLandmark68Net.load(),
        FaceRecognitionNet.load());
  }

  /**
   * Every face in the image: face-api's {@code detectAllFaces(image, options).withFaceLandmarks()
   * .withFaceDescriptors()}.
   *
   * @param image the photo
   * @return the faces in the detector's order (by descending score)
   */
  public List<Face> detectAllFaces(FaceImage image) {
    List<Face> faces = new ArrayList<>();
    for (FaceBox det : detector.detect(image)) {
      describe(image, det).ifPresent(faces::add);
    }
    return faces;
  }

  /**
   * The detector's first (best) face: face-api's {@code detectSingleFace(image, options)
   * .withFaceLandmarks().withFaceDescriptor()}, which runs the landmark and recognition nets on
   * that one detection only.
   *
   * @param image the photo
   * @return the face, or empty when nothing is detected (or its crops are empty)
   */
  public Optional<Face> detectSingleFace(FaceImage image) {
    List<FaceBox> dets = detector.detect(image);
    return dets.isEmpty() ? Optional.empty() : describe(image, dets.get(0));
  }

  /**
   * The detector this pipeline runs.
   *
   * @return the detector
   */
  public FaceDetector detector() {
    return detector;
  }

  /**
   * Landmarks and descriptor of a face whose box is already known (from {@link #detector()}, or a
   * box chosen by other means): the same steps as {@link #detectAllFaces} after detection.
   *
   * @param image the photo
   * @param detection the face box in pixels of {@code image}; its score is carried along
   * @return the face, or empty when the box or the descriptor chip does not overlap the image
   */
  public Optional<Face> describe(FaceImage image, FaceBox detection) {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(detection, "detection");
    int w = image.width();
    int h = image.height();
    int[] c;
    try {
      // The landmark crop, for the chip's size cap: extractFaceTensors on detection.forSize(W, H).
      c = FaceApiTranslator.clipAndFloor(FaceApiTranslator.roundTrip(detection, w, h), w, h);
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // face-api filters out empty crops
    }
    Landmarks pts = landmarks.detect(image, detection);
    FaceBox chip = dlibChip(pts, c[2], c[3]);
    if (chip == null) {
      return Optional.empty();
    }
    int[] a;
    try {
      a = FaceApiTranslator.clipAndFloor(chip, w, h);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    // A chip of positive size implies landmarks spread over more than a pixel: aligned is valid.
    FaceBox aligned = alignedBox(pts, w, h, detection);
    float[] descriptor = encoder.encode(image.crop(a[0], a[1], a[2], a[3]));
    return Optional.of(new Face(detection, pts, aligned, chip, descriptor));
  }

  /**
   * face-api's {@code alignDlib()}: the descriptor chip.
   *
   * @param pts the landmarks, image pixels
   * @param cropWidth width of the landmark crop (face-api's {@code FaceLandmarks.imageWidth})
   * @param cropHeight height of the landmark crop
   * @return the chip box (integer origin and size, no score), or null when it is empty
   */
  static FaceBox dlibChip(Landmarks pts, int cropWidth, int cropHeight) {
    double[] le = center(pts, 36, 42);
    double[] re = center(pts, 42, 48);
    double[] mo = center(pts, 48, 68);
    double d =
        (Math.sqrt((mo[0] - le[0]) * (mo[0] - le[0]) + (mo[1] - le[1]) * (mo[1] - le[1]))
                + Math.sqrt((mo[0] - re[0]) * (mo[0] - re[0]) + (mo[1] - re[1]) * (mo[1] - re[1])))
            / 2;
    double size = Math.floor(d / 0.45);
    double cx = (le[0] + re[0] + mo[0]) / 3;
    double cy = (le[1] + re[1] + mo[1]) / 3;
    double x = Math.floor(Math.max(0, cx - 0.5 * size));
    double y = Math.floor(Math.max(0, cy - 0.43 * size));
    double cw = Math.min(size, cropWidth + x);
    double ch = Math.min(size, cropHeight + y);
    if (!(cw > 0 && ch > 0 && Double.isFinite(cw) && Double.isFinite(ch))) {
      return null;
    }
    return new FaceBox(x, y, cw, ch);
  }

  private static double[] center(Landmarks pts, int from, int to) {
    double sx = 0;
    double sy = 0;
    for (int i = from; i < to; i++) {
      sx += pts.x(i);
      sy += pts.y(i);
    }
    return new double[] {sx / (to - from), sy / (to - from)};
  }

  /**
   * face-api's {@code landmarks.align()} (defaults) as a box in image pixels: {@code minBbox} of
   * the points padded by 20%, through the same relative/absolute round trip as face-api's {@code
   * alignedRect}.
   *
   * @param pts the landmarks, image pixels
   * @param width image width
   * @param height image height
   * @param detection the detection whose score to carry
   * @return the aligned box
   */
  static FaceBox alignedBox(Landmarks pts, int width, int height, FaceBox detection) {
    double minX = Double.POSITIVE_INFINITY;
    double minY = Double.POSITIVE_INFINITY;
    double maxX = 0;
    double maxY = 0;
    for (int i = 0; i < Landmarks.COUNT; i++) {
      minX = Math.min(minX, pts.x(i));
      minY = Math.min(minY, pts.y(i));
      maxX = Math.max(maxX, pts.x(i));
      maxY = Math.max(maxY, pts.y(i));
    }
    double bw = maxX - minX;
    double bh = maxY - minY;
    double padX = bw * 0.2;
    double padY = bh * 0.2;
    double x = minX - padX / 2;
    double y = minY - padY / 2;
    double w = bw + padX;
    double h = bh + padY;
    double rx = 1.0 / width;
    double ry = 1.0 / height;
    return new FaceBox(
        x * rx * width, y * ry * height, w * rx * width, h * ry * height, detection.score());
  }
}
