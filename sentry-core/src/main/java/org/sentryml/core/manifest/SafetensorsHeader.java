package org.sentryml.core.manifest;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sentryml.core.errors.PathProblems;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.json.StrictJson;

/**
 * The header of a safetensors file: {@code le64(n) ‖ n bytes of JSON}, the JSON mapping each tensor
 * name to its dtype, shape and {@code data_offsets} relative to the end of the header.
 *
 * <p>Only a header that accounts for every byte of the file is accepted: the tensors' byte ranges
 * tile the data section from its first byte to the end of the file, with no gap, no overlap and no
 * trailing bytes (the safetensors format forbids holes, which would otherwise be bytes that no
 * resource of the {@code inplace} workflow covers), each range is exactly as long as its dtype and
 * shape imply, names are unique, and every number is an exact unsigned integer (no wrap-around,
 * fraction or exponent). So the header resource plus the tensor resources cover the whole file, and
 * its length is bound by the header.
 *
 * @param headerLength bytes from the start of the file to the first tensor byte ({@code 8 + n})
 * @param tensors tensors in the order of their data offsets
 */
public record SafetensorsHeader(long headerLength, List<Tensor> tensors) {
  /** The safetensors format caps the JSON header at 100 MB; larger values mean a corrupt file. */
  static final long MAX_JSON_BYTES = 100_000_000L;

  /** Keys of the header that are not tensors, and names a tensor may therefore not have. */
  private static final String METADATA = "__metadata__";

  /** Bits per element of every dtype the safetensors format defines. */
  private static final Map<String, Integer> DTYPE_BITS =
      Map.ofEntries(
          Map.entry("BOOL", 8),
          Map.entry("U8", 8),
          Map.entry("I8", 8),
          Map.entry("F8_E5M2", 8),
          Map.entry("F8_E4M3", 8),
          Map.entry("F8_E8M0", 8),
          Map.entry("F8_E4M3FNUZ", 8),
          Map.entry("F8_E5M2FNUZ", 8),
          Map.entry("I16", 16),
          Map.entry("U16", 16),
          Map.entry("F16", 16),
          Map.entry("BF16", 16),
          Map.entry("I32", 32),
          Map.entry("U32", 32),
          Map.entry("F32", 32),
          Map.entry("I64", 64),
          Map.entry("U64", 64),
          Map.entry("F64", 64),
          Map.entry("C64", 64),
          Map.entry("F4", 4),
          Map.entry("F6_E2M3", 6),
          Map.entry("F6_E3M2", 6));

  public record Tensor(String name, long begin, long end) {}

  /**
   * Reads and validates the header of {@code file}.
   *
   * @throws MalformedSafetensorsException if the header does not describe the whole file exactly
   */
  public static SafetensorsHeader read(Path file) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      return read(file, channel);
    } catch (IOException e) {
      throw PathProblems.classify(file, e);
    }
  }

  /**
   * Reads and validates the header of the file whose bytes {@code channel} holds, by the same rules
   * as {@link #read(Path)}. The channel need not be a file's: a decrypting channel over an
   * encrypted file works, and only the header's bytes are read from it. Moves its position.
   *
   * @param file names the file in messages
   * @throws MalformedSafetensorsException if the header does not describe the whole file exactly
   * @throws IOException if the channel fails; the caller knows what its failures mean
   */
  public static SafetensorsHeader read(Path file, SeekableByteChannel channel) throws IOException {
    long fileSize = channel.size();
    if (fileSize < 8) {
      throw malformed(
          file, "the file has " + fileSize + " bytes, fewer than the 8-byte header length");
    }
    ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    readFully(channel, lengthBytes, 0, file);
    long jsonLength = lengthBytes.getLong(0);
    // Unsigned comparison: a length of 2^63 or more reads as negative but is simply too large.
    if (Long.compareUnsigned(jsonLength, 2) < 0
        || Long.compareUnsigned(jsonLength, MAX_JSON_BYTES) > 0
        || jsonLength > fileSize - 8) {
      throw malformed(
          file,
          "header length "
              + Long.toUnsignedString(jsonLength)
              + " does not fit a file of "
              + fileSize
              + " bytes");
    }
    ByteBuffer json = ByteBuffer.allocate((int) jsonLength);
    readFully(channel, json, 8, file);
    return parse(file, utf8(file, json), 8 + jsonLength, fileSize);
  }

  private static SafetensorsHeader parse(Path file, String json, long headerLength, long fileSize) {
    if (!json.startsWith("{")) {
      throw malformed(file, "the header must start with '{'");
    }
    JsonObject root;
    try {
      root = StrictJson.parseObject(json, "header");
    } catch (SentryException e) {
      throw malformed(file, e.getMessage());
    }
    List<Tensor> tensors = new ArrayList<>();
    for (Map.Entry<String, JsonElement> entry : root.entrySet()) {
      if (entry.getKey().equals(METADATA)) {
        checkMetadata(file, entry.getValue());
      } else {
        tensors.add(tensor(file, entry.getKey(), entry.getValue()));
      }
    }
    tensors.sort(Comparator.comparingLong(Tensor::begin).thenComparingLong(Tensor::end));
    long dataSize = fileSize - headerLength;
    long covered = 0;
    for (Tensor tensor : tensors) {
      if (tensor.begin() < covered) {
        throw malformed(file, "tensor " + quote(tensor.name()) + " overlaps the tensor before it");
      }
      if (tensor.begin() > covered) {
        throw malformed(
            file,
            String.format(
                Locale.ROOT,
                "bytes [%d, %d) of the data section belong to no tensor (before %s)",
                covered,
                tensor.begin(),
                quote(tensor.name())));
      }
      if (tensor.end() > dataSize) {
        throw malformed(file, "tensor " + quote(tensor.name()) + " ends past the end of the file");
      }
      covered = tensor.end();
    }
    if (covered != dataSize) {
      throw malformed(
          file,
          String.format(
              Locale.ROOT,
              "the tensors end at data offset %d but the file holds %d data bytes: %d trailing bytes belong to no tensor",
              covered,
              dataSize,
              dataSize - covered));
    }
    return new SafetensorsHeader(headerLength, List.copyOf(tensors));
  }

  private static Tensor tensor(Path file, String name, JsonElement value) {
    if (name.isEmpty()) {
      throw malformed(file, "a tensor has an empty name");
    }
    if (name.equals(ResourcePlanner.HEADER_TENSOR)) {
      throw malformed(
          file,
          "a tensor is named "
              + ResourcePlanner.HEADER_TENSOR
              + ", the name the inplace workflow reserves for the header");
    }
    if (!value.isJsonObject()) {
      throw malformed(file, "tensor " + quote(name) + " is not a JSON object");
    }
    JsonObject fields = value.getAsJsonObject();
    for (String key : fields.keySet()) {
      if (!key.equals("dtype") && !key.equals("shape") && !key.equals("data_offsets")) {
        throw malformed(file, "tensor " + quote(name) + " has an unknown field " + quote(key));
      }
    }
    Integer bits =
        fields.has("dtype") && isString(fields.get("dtype"))
            ? DTYPE_BITS.get(fields.get("dtype").getAsString())
            : null;
    if (bits == null) {
      throw malformed(
          file,
          "tensor "
              + quote(name)
              + " has no known dtype (one of "
              + DTYPE_BITS.keySet().stream().sorted().toList()
              + ")");
    }
    long elements = 1;
    for (long dimension : unsignedArray(file, name, fields.get("shape"), "shape", -1)) {
      elements = multiply(file, name, elements, dimension);
    }
    long[] offsets = unsignedArray(file, name, fields.get("data_offsets"), "data_offsets", 2);
    long begin = offsets[0];
    long end = offsets[1];
    if (end < begin) {
      throw malformed(
          file,
          "tensor "
              + quote(name)
              + " has data_offsets ["
              + begin
              + ", "
              + end
              + "] ending before they begin");
    }
    long bitsTotal = multiply(file, name, elements, bits);
    if (bitsTotal % 8 != 0) {
      throw malformed(
          file,
          "tensor "
              + quote(name)
              + " of "
              + elements
              + " elements of "
              + bits
              + " bits does not fill whole bytes");
    }
    if (end - begin != bitsTotal / 8) {
      throw malformed(
          file,
          String.format(
              Locale.ROOT,
              "tensor %s spans %d bytes, but its dtype and shape imply %d",
              quote(name),
              end - begin,
              bitsTotal / 8));
    }
    return new Tensor(name, begin, end);
  }

  /** {@code __metadata__} is a map of strings to strings in the safetensors format. */
  private static void checkMetadata(Path file, JsonElement value) {
    if (!value.isJsonObject()) {
      throw malformed(file, METADATA + " is not a JSON object");
    }
    for (Map.Entry<String, JsonElement> entry : value.getAsJsonObject().entrySet()) {
      if (!isString(entry.getValue())) {
        throw malformed(file, METADATA + "." + quote(entry.getKey()) + " is not a string");
      }
    }
  }

  /** An array of exact unsigned integers; {@code length} -1 allows any length. */
  private static long[] unsignedArray(
      Path file, String name, JsonElement value, String field, int length) {
    if (value == null || !value.isJsonArray()) {
      throw malformed(file, "tensor " + quote(name) + " lacks its " + field + " array");
    }
    JsonArray array = value.getAsJsonArray();
    if (length >= 0 && array.size() != length) {
      throw malformed(
          file, "tensor " + quote(name) + " has " + array.size() + " " + field + ", not " + length);
    }
    long[] numbers = new long[array.size()];
    for (int i = 0; i < numbers.length; i++) {
      JsonElement item = array.get(i);
      numbers[i] =
          StrictJson.canonicalUnsigned(item)
              .orElseThrow(
                  () ->
                      malformed(
                          file,
                          "tensor "
                              + quote(name)
                              + " has "
                              + field
                              + " entry "
                              + item
                              + ", which is not an unsigned integer below 2^63"));
    }
    return numbers;
  }

  private static long multiply(Path file, String name, long a, long b) {
    try {
      return Math.multiplyExact(a, b);
    } catch (ArithmeticException e) {
      throw malformed(file, "tensor " + quote(name) + " has more elements than a file can hold");
    }
  }

  private static boolean isString(JsonElement value) {
    return value != null && value.isJsonPrimitive() && value.getAsJsonPrimitive().isString();
  }

  private static String utf8(Path file, ByteBuffer json) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(json.flip())
          .toString();
    } catch (CharacterCodingException e) {
      throw malformed(file, "the header is not UTF-8 text");
    }
  }

  private static String quote(String text) {
    return '"' + text + '"';
  }

  private static void readFully(
      SeekableByteChannel channel, ByteBuffer buffer, long position, Path file) throws IOException {
    channel.position(position);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer) < 0) {
        throw malformed(file, "file ends inside its header");
      }
    }
  }

  private static MalformedSafetensorsException malformed(Path file, String why) {
    return new MalformedSafetensorsException(file, why);
  }
}
