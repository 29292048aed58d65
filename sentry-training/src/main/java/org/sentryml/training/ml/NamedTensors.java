package org.sentryml.training.ml;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.sentryml.core.errors.MalformedInputException;

/**
 * Float32 tensors by name, in one self-describing byte string (docs/FORMAT.md, "Training
 * checkpoints"): the magic {@code SNTT}, a format byte 1, the tensor count (u32), then per tensor
 * its UTF-8 name (u16 length), rank (u8), dimensions (u64 each) and its elements, little-endian.
 * All integers are big-endian but the elements. Names are unique; order is kept. Stateless.
 */
public final class NamedTensors {
  private static final byte[] MAGIC = {'S', 'N', 'T', 'T', 1};
  private static final int MAX_RANK = 8;

  /** A tensor's shape and its elements, row-major. */
  public record Tensor(long[] shape, float[] values) {
    public Tensor {
      long count = 1;
      for (long d : shape) {
        if (d < 0) {
          throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
        }
        count = Math.multiplyExact(count, d);
      }
      if (count != values.length) {
        throw new IllegalArgumentException(
            "shape " + Arrays.toString(shape) + " holds " + count + ", not " + values.length);
      }
    }
  }

  private NamedTensors() {}

  public static byte[] encode(Map<String, Tensor> tensors) {
    long size = MAGIC.length + 4L;
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      size += 3L + e.getKey().getBytes(StandardCharsets.UTF_8).length;
      size += 8L * e.getValue().shape().length + 4L * e.getValue().values().length;
    }
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("tensors of " + size + " bytes do not fit one array");
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) size);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.write(MAGIC);
      out.writeInt(tensors.size());
      for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
        byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
        if (name.length > 0xffff) {
          throw new IllegalArgumentException("tensor name longer than 65535 bytes");
        }
        out.writeShort(name.length);
        out.write(name);
        long[] shape = e.getValue().shape();
        out.writeByte(shape.length);
        for (long d : shape) {
          out.writeLong(d);
        }
        float[] values = e.getValue().values();
        ByteBuffer le = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        le.asFloatBuffer().put(values);
        out.write(le.array());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * Parses {@link #encode}'s output.
   *
   * @param what the file it came from, for messages
   * @throws MalformedInputException naming {@code what} for anything but exactly that format
   */
  public static Map<String, Tensor> decode(byte[] bytes, String what) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    try {
      byte[] magic = new byte[MAGIC.length];
      in.get(magic);
      if (!Arrays.equals(magic, MAGIC)) {
        throw bad(what, "it does not start with SNTT format 1");
      }
      int count = in.getInt();
      if (count < 0) {
        throw bad(what, "negative tensor count");
      }
      Map<String, Tensor> tensors = new LinkedHashMap<>();
      for (int i = 0; i < count; i++) {
        byte[] name = new byte[Short.toUnsignedInt(in.getShort())];
        in.get(name);
        String key = new String(name, StandardCharsets.UTF_8);
        int rank = Byte.toUnsignedInt(in.get());
        if (rank > MAX_RANK) {
          throw bad(what, "tensor " + key + " has rank " + rank);
        }
        long[] shape = new long[rank];
        long elements = 1;
        for (int d = 0; d < rank; d++) {
          shape[d] = in.getLong();
          if (shape[d] < 0 || shape[d] > in.remaining()) {
            throw bad(what, "tensor " + key + " has dimension " + shape[d]);
          }
          elements = Math.multiplyExact(elements, shape[d]);
        }
        if (elements * 4 > in.remaining()) {
          throw bad(what, "tensor " + key + " is cut short");
        }
        float[] values = new float[(int) elements];
        in.slice(in.position(), (int) elements * 4)
            .order(ByteOrder.LITTLE_ENDIAN)
            .asFloatBuffer()
            .get(values);
        in.position(in.position() + (int) elements * 4);
        if (tensors.put(key, new Tensor(shape, values)) != null) {
          throw bad(what, "tensor " + key + " appears twice");
        }
      }
      if (in.hasRemaining()) {
        throw bad(what, in.remaining() + " bytes follow the last tensor");
      }
      return tensors;
    } catch (java.nio.BufferUnderflowException | ArithmeticException e) {
      throw bad(what, "it is cut short");
    }
  }

  private static MalformedInputException bad(String what, String why) {
    return new MalformedInputException(what + " is not a tensor file: " + why);
  }
}
