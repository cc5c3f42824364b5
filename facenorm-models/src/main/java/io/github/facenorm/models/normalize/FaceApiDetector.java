package io.github.facenorm.models.normalize;

import io.github.facenorm.core.FaceBox;
import io.github.facenorm.core.FaceDetector;
import io.github.facenorm.core.FaceImage;
import io.github.facenorm.models.nets.TinyFaceDetector;
import java.util.List;
import java.util.OptionalDouble;

/** face-api's tiny face detector behind core's {@link FaceDetector}, at 320 px input. */
final class FaceApiDetector implements FaceDetector {

  private static final TinyFaceDetector.Options OPTIONS = new TinyFaceDetector.Options(320, 0.5);

  private final TinyFaceDetector net;

  private FaceApiDetector(TinyFaceDetector net) {
    this.net = net;
  }

  static FaceApiDetector load() {
    return new FaceApiDetector(TinyFaceDetector.load());
  }

  @Override
  public List<FaceBox> detect(FaceImage image) {
    return net.detect(image.toINDArray().muli(255f), OPTIONS).stream()
        .map(b -> new FaceBox(b.x(), b.y(), b.width(), b.height(), OptionalDouble.of(b.score())))
        .toList();
  }
}
