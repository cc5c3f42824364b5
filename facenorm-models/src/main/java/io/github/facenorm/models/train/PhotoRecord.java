package io.github.facenorm.models.train;

import io.github.facenorm.core.FaceImage;
import io.github.facenorm.core.Landmarks;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Objects;

/**
 * One photo of the training collection after landmarking, alignment and encoding: everything the
 * trainer needs, so that the photos are read once.
 *
 * @param person the identity (the photo's folder name), prefixed by its collection
 * @param photo the photo's path relative to its collection root
 * @param studio whether the collection is an evenly lit studio set (each photo may be a target)
 * @param frame the aligned frame of the model, 8-bit RGB, {@code [S, S, 3]}
 * @param landmarks the 68 landmarks in frame pixels
 * @param yaw head yaw in degrees ({@link io.github.facenorm.core.HeadPose})
 * @param neutral whether the expression filter passed
 * @param sharp whether the blur filter passed
 * @param colour whether the monochrome filter passed
 * @param features the recognition net's pooled features of the photo's chip, 256 values
 * @param descriptor the recognition net's 128-D descriptor of the chip
 */
public record PhotoRecord(
    String person,
    String photo,
    boolean studio,
    FaceImage frame,
    Landmarks landmarks,
    double yaw,
    boolean neutral,
    boolean sharp,
    boolean colour,
    float[] features,
    float[] descriptor) {

  /** Checks the components. */
  public PhotoRecord {
    Objects.requireNonNull(person, "person");
    Objects.requireNonNull(photo, "photo");
    Objects.requireNonNull(frame, "frame");
    Objects.requireNonNull(landmarks, "landmarks");
    Objects.requireNonNull(features, "features");
    Objects.requireNonNull(descriptor, "descriptor");
  }

  void write(DataOutputStream out) throws IOException {
    out.writeUTF(person);
    out.writeUTF(photo);
    out.writeBoolean(studio);
    out.writeInt(frame.width());
    out.writeInt(frame.height());
    out.write(frame.toRgb8());
    for (double v : landmarks.toFlatArray()) {
      out.writeDouble(v);
    }
    out.writeDouble(yaw);
    out.writeBoolean(neutral);
    out.writeBoolean(sharp);
    out.writeBoolean(colour);
    writeFloats(out, features);
    writeFloats(out, descriptor);
  }

  static PhotoRecord read(DataInputStream in) throws IOException {
    String person = in.readUTF();
    String photo = in.readUTF();
    boolean studio = in.readBoolean();
    int w = in.readInt();
    int h = in.readInt();
    if (w < 1 || h < 1 || w > 4096 || h > 4096) {
      throw new IOException("frame size " + w + " × " + h + " out of range");
    }
    byte[] rgb = new byte[w * h * 3];
    in.readFully(rgb);
    double[] xy = new double[2 * Landmarks.COUNT];
    for (int i = 0; i < xy.length; i++) {
      xy[i] = in.readDouble();
    }
    double yaw = in.readDouble();
    boolean neutral = in.readBoolean();
    boolean sharp = in.readBoolean();
    boolean colour = in.readBoolean();
    float[] features = readFloats(in);
    float[] descriptor = readFloats(in);
    return new PhotoRecord(
        person,
        photo,
        studio,
        FaceImage.ofRgb8(w, h, rgb),
        Landmarks.of(xy),
        yaw,
        neutral,
        sharp,
        colour,
        features,
        descriptor);
  }

  private static void writeFloats(DataOutputStream out, float[] v) throws IOException {
    out.writeInt(v.length);
    for (float f : v) {
      out.writeFloat(f);
    }
  }

  private static float[] readFloats(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > 1 << 20) {
      throw new IOException("vector length " + n + " out of range");
    }
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = in.readFloat();
    }
    return v;
  }
}
