package org.sentryml.core.manifest;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sentryml.core.errors.ExitCode;
import org.sentryml.core.errors.PathProblems;
import org.sentryml.core.errors.SentryException;

/**
 * The header of a safetensors file: {@code le64(n) ‖ n bytes of JSON}, the JSON mapping each
 * tensor name to its dtype, shape and {@code data_offsets} relative to the end of the header.
 *
 * @param headerLength bytes from the start of the file to the first tensor byte ({@code 8 + n})
 * @param tensors tensors in the order of their data offsets
 */
public record SafetensorsHeader(long headerLength, List<Tensor> tensors) {
  /** The safetensors format caps the JSON header at 100 MB; larger values mean a corrupt file. */
  static final long MAX_JSON_BYTES = 100_000_000L;

  public record Tensor(String name, long begin, long end) {}

  public static SafetensorsHeader read(Path file) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long fileSize = channel.size();
      ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(channel, lengthBytes, 0, file);
      long jsonLength = lengthBytes.getLong(0);
      if (jsonLength < 2 || jsonLength > MAX_JSON_BYTES || 8 + jsonLength > fileSize) {
        throw malformed(file, "header length " + Long.toUnsignedString(jsonLength)
            + " does not fit a file of " + fileSize + " bytes");
      }
      ByteBuffer json = ByteBuffer.allocate((int) jsonLength);
      readFully(channel, json, 8, file);
      return parse(file, new String(json.array(), StandardCharsets.UTF_8), 8 + jsonLength, fileSize);
    } catch (IOException e) {
      throw PathProblems.classify(file, e);
    }
  }

  private static SafetensorsHeader parse(Path file, String json, long headerLength, long fileSize) {
    JsonObject root;
    try {
      root = JsonParser.parseString(json).getAsJsonObject();
    } catch (JsonParseException | IllegalStateException e) {
      throw malformed(file, "header is not a JSON object");
    }
    List<Tensor> tensors = new ArrayList<>();
    for (Map.Entry<String, JsonElement> entry : root.entrySet()) {
      if (entry.getKey().equals("__metadata__")) {
        continue;
      }
      tensors.add(tensor(file, entry.getKey(), entry.getValue()));
    }
    tensors.sort(Comparator.comparingLong(Tensor::begin).thenComparingLong(Tensor::end));
    long previousEnd = 0;
    for (Tensor tensor : tensors) {
      if (tensor.begin() < previousEnd) {
        throw malformed(file, "tensor " + tensor.name() + " overlaps the tensor before it");
      }
      if (headerLength + tensor.end() > fileSize) {
        throw malformed(file, "tensor " + tensor.name() + " ends past the end of the file");
      }
      previousEnd = tensor.end();
    }
    return new SafetensorsHeader(headerLength, List.copyOf(tensors));
  }

  private static Tensor tensor(Path file, String name, JsonElement value) {
    try {
      var offsets = value.getAsJsonObject().getAsJsonArray("data_offsets");
      long begin = offsets.get(0).getAsLong();
      long end = offsets.get(1).getAsLong();
      if (offsets.size() != 2 || begin < 0 || end < begin) {
        throw malformed(file, "tensor " + name + " has invalid data_offsets " + offsets);
      }
      return new Tensor(name, begin, end);
    } catch (RuntimeException e) {
      if (e instanceof SentryException s) {
        throw s;
      }
      throw malformed(file, "tensor " + name + " lacks valid data_offsets");
    }
  }

  private static void readFully(FileChannel channel, ByteBuffer buffer, long position, Path file)
      throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, at);
      if (n < 0) {
        throw malformed(file, "file ends inside its header");
      }
      at += n;
    }
  }

  private static SentryException malformed(Path file, String why) {
    return new SentryException(
        ExitCode.BAD_INPUT, String.format(Locale.ROOT, "malformed safetensors file %s: %s", file, why));
  }
}
