// Decodes a JPEG with facenorm's one decoder (core's ImageCodec, behind FaceImage.read) and writes
// its pixels as raw interleaved RGB bytes, row-major, so that face-api in node sees exactly the
// pixels Java sees. The Java tests decode with FaceImage.read and check that their bytes have the
// sha256 recorded here (photos.json rgbSha256).
// Run as a single-file program with core's classes and slf4j-api on the class path (make-goldens.js
// does this): java -cp facenorm-core/target/classes:slf4j-api.jar DecodeJpeg.java in.jpg out.rgb
// (prints "width height").
import io.github.facenorm.core.internal.ImageCodec;
import java.nio.file.Files;
import java.nio.file.Path;

public class DecodeJpeg {
  public static void main(String[] args) throws Exception {
    ImageCodec.Decoded img = ImageCodec.read(Path.of(args[0]));
    float[] rgb = img.rgb();
    byte[] out = new byte[rgb.length];
    for (int i = 0; i < rgb.length; i++) {
      out[i] = (byte) Math.round(rgb[i] * 255f);
    }
    Files.write(Path.of(args[1]), out);
    System.out.println(img.width() + " " + img.height());
  }
}
