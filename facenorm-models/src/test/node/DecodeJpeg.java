// Decodes a JPEG with the JDK's ImageIO and writes its pixels as raw interleaved RGB bytes,
// row-major, so that face-api in node sees exactly the pixels Java sees. The Java tests decode with
// FaceImage.read and check that their bytes have the sha256 recorded here (photos.json rgbSha256).
// Run as a single-file program: java DecodeJpeg.java in.jpg out.rgb  (prints "width height").
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import javax.imageio.ImageIO;

public class DecodeJpeg {
  public static void main(String[] args) throws Exception {
    BufferedImage img = ImageIO.read(new File(args[0]));
    if (img == null) {
      throw new IllegalArgumentException("not an image: " + args[0]);
    }
    int w = img.getWidth();
    int h = img.getHeight();
    byte[] out = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int rgb = img.getRGB(x, y);
        int i = (y * w + x) * 3;
        out[i] = (byte) (rgb >> 16);
        out[i + 1] = (byte) (rgb >> 8);
        out[i + 2] = (byte) rgb;
      }
    }
    Files.write(new File(args[1]).toPath(), out);
    System.out.println(w + " " + h);
  }
}
