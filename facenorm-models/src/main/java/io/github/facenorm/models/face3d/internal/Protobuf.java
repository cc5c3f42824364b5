package io.github.facenorm.models.face3d.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal reader of protobuf wire format: enough to walk a message's fields, which is all the
 * canonical-mesh parser needs. Throws {@link IOException} on any malformed input (truncated varint,
 * length past the end, unknown wire type), so a wrong offset cannot silently parse.
 */
public final class Protobuf {

  /** One field of a message: its number, wire type and raw payload. */
  public record Field(int number, int wireType, long varint, int fixed32, byte[] bytes) {}

  private Protobuf() {}

  /**
   * Every field of a message, in order.
   *
   * @param data the buffer
   * @param from first byte of the message
   * @param to one past its last byte
   * @return the fields
   * @throws IOException if the bytes are not a well-formed message
   */
  public static List<Field> fields(byte[] data, int from, int to) throws IOException {
    List<Field> out = new ArrayList<>();
    int[] pos = {from};
    while (pos[0] < to) {
      long key = varint(data, pos, to);
      int number = (int) (key >>> 3);
      int wire = (int) (key & 7);
      if (number <= 0) {
        throw new IOException("protobuf: field number " + number + " at byte " + pos[0]);
      }
      switch (wire) {
        case 0 -> out.add(new Field(number, wire, varint(data, pos, to), 0, null));
        case 1 -> {
          need(pos[0], 8, to);
          pos[0] += 8;
          out.add(new Field(number, wire, 0, 0, null));
        }
        case 2 -> {
          long len = varint(data, pos, to);
          if (len < 0 || len > to - pos[0]) {
            throw new IOException("protobuf: length " + len + " past the end at byte " + pos[0]);
          }
          byte[] b = new byte[(int) len];
          System.arraycopy(data, pos[0], b, 0, b.length);
          pos[0] += b.length;
          out.add(new Field(number, wire, 0, 0, b));
        }
        case 5 -> {
          need(pos[0], 4, to);
          int v = ByteBuffer.wrap(data, pos[0], 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
          pos[0] += 4;
          out.add(new Field(number, wire, 0, v, null));
        }
        default -> throw new IOException("protobuf: wire type " + wire + " at byte " + pos[0]);
      }
    }
    return out;
  }

  /**
   * The values of a packed repeated varint field's payload.
   *
   * @param payload the length-delimited bytes
   * @return the values
   * @throws IOException on a truncated varint
   */
  public static long[] packedVarints(byte[] payload) throws IOException {
    List<Long> v = new ArrayList<>();
    int[] pos = {0};
    while (pos[0] < payload.length) {
      v.add(varint(payload, pos, payload.length));
    }
    return v.stream().mapToLong(Long::longValue).toArray();
  }

  /**
   * The values of a packed repeated float field's payload.
   *
   * @param payload the length-delimited bytes, a multiple of 4 long
   * @return the values
   * @throws IOException if the length is not a multiple of 4
   */
  public static float[] packedFloats(byte[] payload) throws IOException {
    if (payload.length % 4 != 0) {
      throw new IOException("protobuf: packed floats of " + payload.length + " bytes");
    }
    float[] f = new float[payload.length / 4];
    ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
    return f;
  }

  private static void need(int pos, int n, int to) throws IOException {
    if (to - pos < n) {
      throw new IOException("protobuf: " + n + " bytes needed at byte " + pos + ", message ends");
    }
  }

  private static long varint(byte[] data, int[] pos, int to) throws IOException {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos[0] >= to) {
        throw new IOException("protobuf: truncated varint at byte " + pos[0]);
      }
      int b = data[pos[0]++] & 0xff;
      v |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return v;
      }
    }
    throw new IOException("protobuf: varint longer than 10 bytes at byte " + pos[0]);
  }
}
