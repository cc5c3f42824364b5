package io.github.facenorm.warp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Keeps the README's code sample compiling, running, and identical to the code here. */
class ReadmeExampleTest {

  @Test
  void eagerExampleRuns() {
    // README-BEGIN eager
    INDArray image = Nd4j.rand(DataType.FLOAT, 1, 224, 224, 3); // [B, H, W, C]
    INDArray source = Nd4j.createFromArray(new float[][][] {{{80, 90}, {144, 90}, {112, 150}}});
    INDArray dest = Nd4j.createFromArray(new float[][][] {{{84, 92}, {140, 92}, {112, 140}}});

    SplineWarp warp = SplineWarp.builder().order(1).boundaryPoints(2).build(); // XY points
    WarpResult result = warp.apply(image, source, dest);
    INDArray warped = result.image(); // [1, 224, 224, 3]: content at source now sits at dest
    INDArray flow = result.flow(); // [1, 224, 224, 2]: (dx, dy); out(p) = image(p - flow(p))
    // README-END eager
    assertThat(warped.shape()).containsExactly(1, 224, 224, 3);
    assertThat(flow.getDouble(0, 140, 112, 1))
        .isCloseTo(-10, org.assertj.core.api.Assertions.within(1e-3));
  }

  @Test
  void graphExampleRuns() {
    // README-BEGIN graph
    FacenormKernels.install(); // first thing in main(): before ND4J's first use

    SameDiff sd = SameDiff.create();
    SDVariable image = sd.placeHolder("image", DataType.FLOAT, -1, 224, 224, 3);
    SDVariable source = sd.placeHolder("source", DataType.FLOAT, -1, 68, 2);
    SDVariable offsets = sd.var("offsets", Nd4j.zeros(DataType.FLOAT, 1, 68, 2)); // learned
    SDVariable dest = source.add(offsets);
    SDVariable warped =
        SplineWarp.builder()
            .order(1)
            .boundaryPoints(2)
            .build()
            .apply(sd, "warped", image, source, dest); // [B, 224, 224, 3], differentiable
    // ... build your loss on `warped`; gradients reach the image, the points and `offsets`
    // README-END graph
    INDArray src = Nd4j.rand(DataType.FLOAT, 1, 68, 2).muli(150).addi(37);
    INDArray out =
        sd.output(
                Map.of("image", Nd4j.rand(DataType.FLOAT, 1, 224, 224, 3), "source", src), "warped")
            .get("warped");
    assertThat(out.shape()).containsExactly(1, 224, 224, 3);
  }

  @Test
  void readmeShowsThisCode() throws IOException {
    String source =
        Files.readString(Path.of("src/test/java/io/github/facenorm/warp/ReadmeExampleTest.java"));
    String readme = Files.readString(Path.of("../README.md"));
    for (String name : new String[] {"eager", "graph"}) {
      String snippet =
          source.substring(
              source.indexOf("// README-BEGIN " + name) + ("// README-BEGIN " + name).length(),
              source.indexOf("    // README-END " + name));
      String dedented =
          Arrays.stream(snippet.strip().split("\n"))
              .map(l -> l.startsWith("    ") ? l.substring(4) : l)
              .collect(Collectors.joining("\n"));
      assertThat(readme).as("README shows the %s example", name).contains(dedented.strip());
    }
  }
}
