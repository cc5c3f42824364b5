package com.example.facenorm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.github.facenorm.core.FaceImage;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExampleTest {

  @Test
  void warpsAPhotoAndWritesIt(@TempDir Path dir) throws Exception {
    int w = 96;
    int h = 80;
    float[] rgb = new float[w * h * 3];
    for (int i = 0; i < rgb.length; i++) {
      int px = i / 3;
      rgb[i] = ((px % w) / 8 + (px / w) / 8) % 2 == 0 ? 0.9f : 0.1f;
    }
    Path in = dir.resolve("in.png");
    FaceImage.of(w, h, rgb).write(in);
    Path out = dir.resolve("out.png");

    Example.main(new String[] {in.toString(), out.toString()});

    FaceImage warped = FaceImage.read(out);
    assertEquals(w, warped.width());
    assertEquals(h, warped.height());
    assertNotEquals(FaceImage.read(in), warped, "the warp moved nothing");
  }
}
