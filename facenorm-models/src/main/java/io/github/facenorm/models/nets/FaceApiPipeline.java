package io.github.facenorm.models.nets;

import io.github.facenorm.models.internal.RgbImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * face-api's {@code detectAllFaces(image, new TinyFaceDetectorOptions()).withFaceLandmarks()
 * .withFaceDescriptors()}, step for step: detect, landmarks on each clipped and floored detection
 * crop, then the descriptor of the dlib-style chip. That chip is face-api's {@code
 * landmarks.align(null, {useDlibAlignment: true})}: with {@code le}, {@code re}, {@code mo} the
 * means of points 36-41, 42-47 and 48-67, {@code size = floor(mean(|mo - le|, |mo - re|) / 0.45)},
 * {@code c = (le + re + mo) / 3}, the axis-aligned square at {@code (floor(max(0, c.x - 0.5 size)),
 * floor(max(0, c.y - 0.43 size)))}, its sides capped with the landmark crop's size (a face-api
 * quirk), clipped and floored; there is no rotation. face-api also reports {@code alignedRect} (the
 * landmarks' bounding box padded by 20%), which is not what the descriptor sees.
 */
public final class FaceApiPipeline {
  private final TinyFaceDetector detector;
  private final FaceLandmark68Net landmarks;
  private final FaceRecognitionNet recognition;

  /**
   * One face.
   *
   * @param detection the detector's box and score, image pixels
   * @param landmarks {@code [x0, y0, ..., x67, y67]}, image pixels
   * @param alignedBox face-api's {@code alignedRect}: the landmarks' bounding box padded by 20%
   * @param chipBox the crop the descriptor was computed on (before clipping and flooring)
   * @param descriptor the 128-D descriptor
   */
  public record Face(
      FaceBox detection,
      double[] landmarks,
      FaceBox alignedBox,
      FaceBox chipBox,
      float[] descriptor) {}

  /**
   * A pipeline from the three nets.
   *
   * @param detector the detector
   * @param landmarks the landmark net
   * @param recognition the recognition net
   */
  public FaceApiPipeline(
      TinyFaceDetector detector, FaceLandmark68Net landmarks, FaceRecognitionNet recognition) {
    this.detector = detector;
    this.landmarks = landmarks;
    this.recognition = recognition;
  }

  /**
   * The pipeline with face-api's weights from the cache.
   *
   * @return the pipeline
   * @throws IllegalStateException if a model is not cached (run {@code scripts/fetch-face-api.sh})
   */
  public static FaceApiPipeline load() {
    return new FaceApiPipeline(
        TinyFaceDetector.load(), FaceLandmark68Net.load(), FaceRecognitionNet.load());
  }

  /**
   * Every face in the image: face-api's {@code detectAllFaces(image, options).withFaceLandmarks()
   * .withFaceDescriptors()}.
   *
   * @param image {@code [H, W, 3]} or {@code [1, H, W, 3]} RGB 0..255
   * @param options detector options
   * @return the faces by descending detection score
   */
  public List<Face> detectAllFaces(INDArray image, TinyFaceDetector.Options options) {
    RgbImage img = RgbImage.of(image, "image");
    List<Face> faces = new ArrayList<>();
    for (FaceBox det : detector.detect(img.toBatch(DataType.FLOAT), options)) {
      describe(img, det).ifPresent(faces::add);
    }
    return faces;
  }

  /**
   * The face with the highest detection score: face-api's {@code detectSingleFace(image, options)
   * .withFaceLandmarks().withFaceDescriptor()}, which runs the landmark and recognition nets on
   * that one detection only.
   *
   * @param image {@code [H, W, 3]} or {@code [1, H, W, 3]} RGB 0..255
   * @param options detector options
   * @return the face, or empty when nothing is detected (or its crops are empty)
   */
  public Optional<Face> detectSingleFace(INDArray image, TinyFaceDetector.Options options) {
    RgbImage img = RgbImage.of(image, "image");
    List<FaceBox> dets = detector.detect(img.toBatch(DataType.FLOAT), options);
    return dets.isEmpty() ? Optional.empty() : describe(img, dets.get(0));
  }

  /**
   * The detector this pipeline runs.
   *
   * @return the detector
   */
  public TinyFaceDetector detector() {
    return detector;
  }

  /**
   * Landmarks and descriptor of a face whose box is already known (from {@link #detector()}, or a
   * box chosen by other means): the same steps as {@link #detectAllFaces} after detection.
   *
   * @param image {@code [H, W, 3]} or {@code [1, H, W, 3]} RGB 0..255
   * @param detection the face box in pixels of {@code image}; its score is carried along
   * @return the face, or empty when the box or the descriptor chip does not overlap the image
   */
  public Optional<Face> describe(INDArray image, FaceBox detection) {
    return describe(RgbImage.of(image, "image"), detection);
  }

  private Optional<Face> describe(RgbImage img, FaceBox det) {
    int w = img.width();
    int h = img.height();
    // extractFaceTensors: detection.forSize(W, H).box, one more relative/absolute round trip.
    FaceBox crop =
        new FaceBox(
            det.x() * (1.0 / w) * w,
            det.y() * (1.0 / h) * h,
            det.width() * (1.0 / w) * w,
            det.height() * (1.0 / h) * h,
            det.score());
    int[] c;
    try {
      c = FaceLandmark68Net.clipAndFloor(crop, w, h);
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // face-api filters out empty crops
    }
    double[] pts =
        landmarks.detectLandmarks(img.crop(c[0], c[1], c[2], c[3]).toBatch(DataType.FLOAT));
    for (int i = 0; i < FaceLandmark68Net.NUM_POINTS; i++) {
      pts[2 * i] += det.x();
      pts[2 * i + 1] += det.y();
    }
    FaceBox aligned = alignedBox(pts, w, h, det.score());
    FaceBox chip = dlibChip(pts, c[2], c[3]);
    int[] a;
    try {
      a = FaceLandmark68Net.clipAndFloor(chip, w, h);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    float[] descriptor =
        recognition.computeFaceDescriptor(img.crop(a[0], a[1], a[2], a[3]).toBatch(DataType.FLOAT));
    return Optional.of(new Face(det, pts, aligned, chip, descriptor));
  }

  /**
   * face-api's {@code alignDlib()}: the descriptor chip.
   *
   * @param pts {@code [x0, y0, ...]} image pixels
   * @param cropWidth width of the landmark crop (face-api's {@code FaceLandmarks.imageWidth})
   * @param cropHeight height of the landmark crop
   * @return the chip box (integer origin and size), score NaN
   */
  static FaceBox dlibChip(double[] pts, int cropWidth, int cropHeight) {
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
    return new FaceBox(
        x, y, Math.min(size, cropWidth + x), Math.min(size, cropHeight + y), Double.NaN);
  }

  private static double[] center(double[] pts, int from, int to) {
    double sx = 0;
    double sy = 0;
    for (int i = from; i < to; i++) {
      sx += pts[2 * i];
      sy += pts[2 * i + 1];
    }
    return new double[] {sx / (to - from), sy / (to - from)};
  }

  /**
   * face-api's {@code landmarks.align()} (defaults) as a box in image pixels: {@code minBbox} of
   * the points padded by 20%, through the same relative/absolute round trip as face-api's {@code
   * alignedRect}.
   *
   * @param pts {@code [x0, y0, ...]} image pixels
   * @param width image width
   * @param height image height
   * @param score the detection score to carry
   * @return the aligned box
   */
  static FaceBox alignedBox(double[] pts, int width, int height, double score) {
    double minX = Double.POSITIVE_INFINITY;
    double minY = Double.POSITIVE_INFINITY;
    double maxX = 0;
    double maxY = 0;
    for (int i = 0; i < pts.length / 2; i++) {
      minX = Math.min(minX, pts[2 * i]);
      minY = Math.min(minY, pts[2 * i + 1]);
      maxX = Math.max(maxX, pts[2 * i]);
      maxY = Math.max(maxY, pts[2 * i + 1]);
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
    return new FaceBox(x * rx * width, y * ry * height, w * rx * width, h * ry * height, score);
  }
}
