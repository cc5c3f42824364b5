package io.github.facenorm.models.normalize;

import io.github.facenorm.core.FaceImage;
import io.github.facenorm.models.nets.FaceRecognitionNet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs the frozen recognition net on {@link FaceChip}s and returns both of its outputs in one pass:
 * the 256-D pooled features (the normalizer's input, the paper's "identity features") and the 128-D
 * descriptor (for measuring identity). Thread-safe (calls are serialized).
 */
public final class ChipEncoder implements io.github.facenorm.core.FaceEncoder {

  private final SameDiff sd;
  private final String input;
  private final String pooled;
  private final String descriptor;

  /**
   * Wraps a recognition net.
   *
   * @param net the net with its weights
   */
  public ChipEncoder(FaceRecognitionNet net) {
    Objects.requireNonNull(net, "net");
    sd = SameDiff.create();
    int s = FaceRecognitionNet.INPUT_SIZE;
    SDVariable in = sd.placeHolder("chips", DataType.FLOAT, -1, s, s, 3);
    FaceRecognitionNet.Outputs out = net.build(sd, "recognition", in);
    input = in.name();
    pooled = out.pooled().name();
    descriptor = out.embedding().name();
  }

  /**
   * The pooled features' width, {@value
   * io.github.facenorm.models.normalize.ModelConfig#INPUT_FEATURES}.
   */
  @Override
  public int dimension() {
    return ModelConfig.INPUT_FEATURES;
  }

  /**
   * The pooled features of one chip (the normalizer's input).
   *
   * @param chip a {@link FaceChip}, {@code 150 × 150}
   * @return 256 features
   */
  @Override
  public float[] encode(io.github.facenorm.core.FaceImage chip) {
    return encode(List.of(chip)).features().toFloatVector();
  }

  /**
   * Both outputs for a batch of chips.
   *
   * @param chips chips of {@link FaceChip#SIZE}², values in [0, 1]
   * @return {@code features [B, 256]} and {@code descriptors [B, 128]}, FLOAT
   */
  public synchronized Encoded encode(List<FaceImage> chips) {
    Objects.requireNonNull(chips, "chips");
    if (chips.isEmpty()) {
      throw new IllegalArgumentException("chips: expected at least one chip, got none");
    }
    int s = FaceChip.SIZE;
    float[] buf = new float[chips.size() * s * s * 3];
    for (int i = 0; i < chips.size(); i++) {
      FaceImage c = chips.get(i);
      if (c.width() != s || c.height() != s) {
        throw new IllegalArgumentException(
            "chips["
                + i
                + "]: expected "
                + s
                + " × "
                + s
                + ", got "
                + c.width()
                + " × "
                + c.height());
      }
      float[] px = c.toArray();
      for (int k = 0; k < px.length; k++) {
        buf[i * px.length + k] = px[k] * 255f;
      }
    }
    INDArray batch = Nd4j.create(buf, new long[] {chips.size(), s, s, 3}, 'c');
    Map<String, INDArray> out = sd.output(Map.of(input, batch), pooled, descriptor);
    return new Encoded(out.get(pooled).dup(), out.get(descriptor).dup());
  }

  /**
   * The net's outputs for a batch.
   *
   * @param features pooled features {@code [B, 256]}
   * @param descriptors descriptors {@code [B, 128]}
   */
  public record Encoded(INDArray features, INDArray descriptors) {}
}
