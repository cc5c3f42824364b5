package io.github.facenorm.spark.internal;

import io.github.facenorm.augment.FaceSet;
import io.github.facenorm.augment.MorphFace;
import io.github.facenorm.core.FaceImage;
import io.github.facenorm.core.Landmarks;
import io.github.facenorm.core.MeanShape;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * A {@link FaceSet} as bytes, for a broadcast: every value exactly (float textures, double
 * landmarks), so the executors render the samples the driver would. Deflated: textures of smooth
 * faces compress.
 */
public final class FaceSetCodec {

  private static final int MAGIC = 0x46534554; // "FSET"

  private FaceSetCodec() {}

  /**
   * Encodes a face set.
   *
   * @param faces the set
   * @return its bytes
   */
  public static byte[] encode(FaceSet faces) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out =
        new DataOutputStream(new BufferedOutputStream(new DeflaterOutputStream(bytes), 1 << 16))) {
      out.writeInt(MAGIC);
      writeLandmarks(out, faces.meanShape().landmarks());
      out.writeLong(faces.meanShape().count());
      out.writeInt(faces.size());
      for (int i = 0; i < faces.size(); i++) {
        MorphFace f = faces.face(i);
        out.writeUTF(f.id());
        writeLandmarks(out, f.landmarks());
        writeImage(out, f.texture());
      }
      out.writeInt(faces.backgroundCount());
      for (int i = 0; i < faces.backgroundCount(); i++) {
        writeImage(out, faces.background(i));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * Decodes a face set written by {@link #encode}.
   *
   * @param bytes the bytes
   * @return the set, in memory
   */
  public static FaceSet decode(byte[] bytes) {
    try (DataInputStream in =
        new DataInputStream(
            new BufferedInputStream(
                new InflaterInputStream(new ByteArrayInputStream(bytes)), 1 << 16))) {
      if (in.readInt() != MAGIC) {
        throw new IOException("not a face set");
      }
      Landmarks mean = readLandmarks(in);
      MeanShape shape = MeanShape.of(mean, in.readLong());
      int n = in.readInt();
      List<MorphFace> faces = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        String id = in.readUTF();
        Landmarks l = readLandmarks(in);
        faces.add(new MorphFace(id, readImage(in), l));
      }
      int b = in.readInt();
      List<FaceImage> backgrounds = new ArrayList<>(b);
      for (int i = 0; i < b; i++) {
        backgrounds.add(readImage(in));
      }
      return FaceSet.of(faces, backgrounds, shape);
    } catch (IOException e) {
      throw new UncheckedIOException("face set: " + e.getMessage(), e);
    }
  }

  private static void writeLandmarks(DataOutputStream out, Landmarks l) throws IOException {
    double[] xy = l.toFlatArray();
    out.writeInt(xy.length);
    for (double v : xy) {
      out.writeDouble(v);
    }
  }

  private static Landmarks readLandmarks(DataInputStream in) throws IOException {
    double[] xy = new double[in.readInt()];
    for (int i = 0; i < xy.length; i++) {
      xy[i] = in.readDouble();
    }
    return Landmarks.of(xy);
  }

  private static void writeImage(DataOutputStream out, FaceImage image) throws IOException {
    out.writeInt(image.width());
    out.writeInt(image.height());
    for (float v : image.toArray()) {
      out.writeFloat(v);
    }
  }

  private static FaceImage readImage(DataInputStream in) throws IOException {
    int w = in.readInt();
    int h = in.readInt();
    float[] v = new float[w * h * 3];
    for (int i = 0; i < v.length; i++) {
      v[i] = in.readFloat();
    }
    return FaceImage.of(w, h, v);
  }
}
