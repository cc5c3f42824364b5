package com.example.facenorm;

import io.github.facenorm.core.FaceImage;
import io.github.facenorm.models.nets.FaceApiModels;
import io.github.facenorm.models.nets.TinyFaceDetector;
import io.github.facenorm.warp.SplineWarp;
import io.github.facenorm.warp.WarpResult;
import java.nio.file.Path;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * facenorm's public API from a project of your own: read a photo, pull its center a little up with
 * the spline warp, write the result; then, if face-api's weights are cached
 * (scripts/fetch-models.sh), find the faces in the photo with the tiny face detector.
 *
 * <p>Usage: {@code Example <photo.jpg|png> <out.png>}
 */
public final class Example {

  private Example() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: Example <photo.jpg|png> <out.png>");
      System.exit(2);
    }
    FaceImage photo = FaceImage.read(Path.of(args[0]));
    INDArray image = photo.toINDArray(); // [1, H, W, 3] in [0, 1]
    float cx = photo.width() / 2f;
    float cy = photo.height() / 2f;
    float r = Math.min(cx, cy) / 3;
    INDArray source =
        Nd4j.createFromArray(new float[][][] {{{cx, cy}, {cx - r, cy + r}, {cx + r, cy + r}}});
    INDArray dest =
        Nd4j.createFromArray(
            new float[][][] {{{cx, cy - r / 4}, {cx - r, cy + r}, {cx + r, cy + r}}});
    SplineWarp warp = SplineWarp.builder().order(1).boundaryPoints(2).build();
    WarpResult result = warp.apply(image, source, dest);
    INDArray clamped = Transforms.min(Transforms.max(result.image(), 0.0, true), 1.0, false);
    FaceImage.fromINDArray(clamped).write(Path.of(args[1]));
    System.out.printf("warped %s -> %s with %s%n", args[0], args[1], warp);

    if (FaceApiModels.isAvailable(FaceApiModels.TINY_FACE_DETECTOR)) {
      var faces = TinyFaceDetector.load().detect(image);
      System.out.printf("tiny face detector: %d face(s) %s%n", faces.size(), faces);
    } else {
      System.out.println("tiny face detector: weights not cached (run scripts/fetch-models.sh)");
    }
  }
}
