package io.github.facenorm.models.nets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@code sd.save(file, true)} then {@code SameDiff.load(file, true)} of the recognition graph. */
class FaceRecognitionNetSaveLoadTest {

  @Test
  void aSavedAndLoadedGraphGivesTheSameOutputsAndGradients(@TempDir Path dir) {
    FaceRecognitionNet net = FaceRecognitionNet.fromWeights(SyntheticWeights.recognition(21));
    SameDiff sd = SameDiff.create();
    SDVariable in = sd.placeHolder("image", DataType.FLOAT, -1, 150, 150, 3);
    // A trainable zero offset on the image, so that the graph has gradients to compare (and
    // updater state to save); see FaceRecognitionNetTest.
    SDVariable delta = sd.var("delta", Nd4j.zeros(DataType.FLOAT, 1, 150, 150, 3));
    FaceRecognitionNet.Outputs out = net.build(sd, "enc", in.add("image_in", delta));
    SDVariable loss = out.embedding().norm2("loss");
    sd.setLossVariables(loss);

    Nd4j.getRandom().setSeed(17);
    INDArray x = Nd4j.rand(DataType.FLOAT, 2, 150, 150, 3).muli(255);
    Map<String, INDArray> before = sd.output(Map.of("image", x), "enc/embedding", "enc/pooled");
    INDArray gradBefore = sd.calculateGradients(Map.of("image", x), "delta").get("delta");

    File f = dir.resolve("recognition.sd").toFile();
    sd.save(f, true);
    SameDiff loaded = SameDiff.load(f, true);

    assertThat(loaded.getVariable("enc/conv32_down/conv/filters")).isNotNull();
    assertThat(loaded.getVariable("enc/embedding")).isNotNull();
    Map<String, INDArray> after = loaded.output(Map.of("image", x), "enc/embedding", "enc/pooled");
    assertThat(after.get("enc/embedding")).isEqualTo(before.get("enc/embedding"));
    assertThat(after.get("enc/pooled")).isEqualTo(before.get("enc/pooled"));
    assertThat(after.get("enc/embedding").shape()).containsExactly(2, 128);
    INDArray gradAfter = loaded.calculateGradients(Map.of("image", x), "delta").get("delta");
    assertThat(gradAfter.amaxNumber().doubleValue()).isGreaterThan(0);
    assertThat(gradAfter).isEqualTo(gradBefore);
  }
}
