package org.sentryml.confidential.encryption;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/** Plaintext folders for the tests: seeded bytes, safetensors files, and how to list them. */
final class Plaintexts {
  /** Plaintext bytes of the first segment, and of every later one. */
  static final int FIRST = (int) StreamingScheme.FIRST_SEGMENT_PLAINTEXT;

  static final int NEXT = (int) StreamingScheme.SEGMENT_PLAINTEXT;

  private Plaintexts() {}

  static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new SplittableRandom(seed).nextBytes(bytes);
    return bytes;
  }

  static Path write(Path file, byte[] bytes) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.write(file, bytes);
  }

  /**
   * A model folder: a small JSON file, an empty file, a nested file and a file of three segments,
   * so that every size class of the scheme occurs.
   */
  static Path model(Path folder) throws IOException {
    write(folder.resolve("config.json"), "{\"layers\": 3}".getBytes(StandardCharsets.UTF_8));
    write(folder.resolve("empty.bin"), new byte[0]);
    write(folder.resolve("tokenizer/vocab.txt"), "a\nb\nc\n".getBytes(StandardCharsets.UTF_8));
    write(folder.resolve("weights.bin"), random(FIRST + NEXT + 12345, 1));
    return folder;
  }

  /** Every regular file under {@code folder} by its relative POSIX path. */
  static Map<String, Path> files(Path folder) throws IOException {
    Map<String, Path> files = new TreeMap<>();
    try (var walk = Files.walk(folder)) {
      for (Path file : walk.filter(Files::isRegularFile).toList()) {
        files.put(folder.relativize(file).toString().replace('\\', '/'), file);
      }
    }
    return files;
  }

  /**
   * A safetensors file of F32 tensors of the given element counts, each filled with seeded bytes:
   * {@code le64(n) ‖ header ‖ data}.
   */
  static byte[] safetensors(Map<String, Integer> elements, long seed) {
    StringBuilder header = new StringBuilder("{");
    long offset = 0;
    for (Map.Entry<String, Integer> tensor : elements.entrySet()) {
      long bytes = 4L * tensor.getValue();
      if (header.length() > 1) {
        header.append(',');
      }
      header
          .append('"')
          .append(tensor.getKey())
          .append("\":{\"dtype\":\"F32\",\"shape\":[")
          .append(tensor.getValue())
          .append("],\"data_offsets\":[")
          .append(offset)
          .append(',')
          .append(offset + bytes)
          .append("]}");
      offset += bytes;
    }
    byte[] json = header.append('}').toString().getBytes(StandardCharsets.UTF_8);
    ByteBuffer file =
        ByteBuffer.allocate((int) (8 + json.length + offset)).order(ByteOrder.LITTLE_ENDIAN);
    file.putLong(json.length).put(json).put(random((int) offset, seed));
    return file.array();
  }
}
