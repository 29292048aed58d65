package org.sentryml.testkit;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SequencedMap;

/** Builds safetensors files for tests: {@code le64(n) ‖ JSON header ‖ tensor bytes}. */
public final class Safetensors {
  private Safetensors() {}

  /** Tensors are laid out in map order; each is a 1-D uint8 tensor. */
  public static byte[] build(SequencedMap<String, byte[]> tensors) {
    StringBuilder json = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
    long offset = 0;
    for (Map.Entry<String, byte[]> tensor : tensors.entrySet()) {
      long end = offset + tensor.getValue().length;
      json.append(",\"")
          .append(tensor.getKey())
          .append("\":{\"dtype\":\"U8\",\"shape\":[")
          .append(tensor.getValue().length)
          .append("],\"data_offsets\":[")
          .append(offset)
          .append(',')
          .append(end)
          .append("]}");
      offset = end;
    }
    json.append('}');
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    tensors.values().forEach(data::writeBytes);
    return withHeader(json.toString(), data.toByteArray());
  }

  /**
   * {@code le64(len(header)) ‖ header ‖ data} for any header text, valid or not: for tests of how a
   * reader treats headers that do not match their data.
   */
  public static byte[] withHeader(String header, byte[] data) {
    return withHeader(header.getBytes(StandardCharsets.UTF_8), data);
  }

  /** {@link #withHeader(String, byte[])} for header bytes that need not be UTF-8. */
  public static byte[] withHeader(byte[] json, byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(
        ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).array());
    out.writeBytes(json);
    out.writeBytes(data);
    return out.toByteArray();
  }
}
