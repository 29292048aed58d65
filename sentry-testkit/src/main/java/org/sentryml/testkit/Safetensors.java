package org.sentryml.testkit;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.SequencedMap;
import java.util.Map;

/** Builds safetensors files for tests: {@code le64(n) ‖ JSON header ‖ tensor bytes}. */
public final class Safetensors {
  private Safetensors() {}

  /** Tensors are laid out in map order; each is a 1-D uint8 tensor. */
  public static byte[] build(SequencedMap<String, byte[]> tensors) {
    StringBuilder json = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
    long offset = 0;
    for (Map.Entry<String, byte[]> tensor : tensors.entrySet()) {
      long end = offset + tensor.getValue().length;
      json.append(",\"").append(tensor.getKey()).append("\":{\"dtype\":\"U8\",\"shape\":[")
          .append(tensor.getValue().length).append("],\"data_offsets\":[").append(offset).append(',').append(end).append("]}");
      offset = end;
    }
    json.append('}');
    byte[] header = json.toString().getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
    out.writeBytes(header);
    tensors.values().forEach(out::writeBytes);
    return out.toByteArray();
  }
}
