package org.sentryml.core.engine.cuda;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.sentryml.core.engine.ByteRegion.FileRegion;
import org.sentryml.core.engine.Resource;
import org.sentryml.testkit.Safetensors;
import org.sentryml.testkit.TestFiles;

/**
 * The inputs of CudaEngineGpuTest, each written once per run: seeded random bytes filled as longs
 * from SplittableRandom in 8 MiB blocks on every core (java.util.Random's byte-wise fill made the 4
 * GiB file the slowest part of a device run).
 */
final class GpuTestData {
  private static final int BLOCK = 8 << 20;

  private GpuTestData() {}

  /** A file of {@code size} seeded random bytes; block i is the same bytes whatever the size. */
  static Path randomFile(Path file, long size, long seed) throws IOException {
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      LongStream.range(0, (size + BLOCK - 1) / BLOCK)
          .parallel()
          .forEach(
              block -> {
                SplittableRandom random = new SplittableRandom(seed * 1_000_003L + block);
                ByteBuffer bytes = ByteBuffer.allocate(BLOCK);
                while (bytes.hasRemaining()) {
                  bytes.putLong(random.nextLong());
                }
                long at = block * BLOCK;
                bytes.flip().limit((int) Math.min(BLOCK, size - at));
                try {
                  while (bytes.hasRemaining()) {
                    at += channel.write(bytes, at);
                  }
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
    return file;
  }

  /** A resource over bytes [offset, offset + length) of {@code file}. */
  static Resource region(String name, Path file, long offset, long length) {
    return new Resource(name, List.of(new FileRegion(file, offset, length)));
  }

  /** One file per size, each its own resource named after it. */
  static List<Resource> files(Path folder, int... sizes) throws IOException {
    Files.createDirectories(folder);
    List<Resource> out = new ArrayList<>();
    for (int size : sizes) {
      Path file =
          TestFiles.write(folder.resolve("s" + size + ".bin"), TestFiles.randomBytes(size, size));
      out.add(region(file.getFileName().toString(), file, 0, size));
    }
    return out;
  }

  /**
   * A model folder for the workflows: a safetensors file with tensors of 0, 1, leaf - 1, leaf, leaf
   * + 1 and 37 leaves + 11 bytes (so that the in-place workflow cuts tensor regions at odd
   * offsets), a 1-byte and a leaf + 1-byte file, and a config.
   */
  static Path model(Path folder, int leaf) throws IOException {
    LinkedHashMap<String, byte[]> tensors = new LinkedHashMap<>();
    int[] sizes = {0, 1, leaf - 1, leaf, leaf + 1, 37 * leaf + 11};
    for (int i = 0; i < sizes.length; i++) {
      tensors.put("t" + i, TestFiles.randomBytes(100 + i, sizes[i]));
    }
    TestFiles.write(folder.resolve("model.safetensors"), Safetensors.build(tensors));
    TestFiles.write(folder.resolve("one.bin"), TestFiles.randomBytes(1, 1));
    TestFiles.write(folder.resolve("weights/more.bin"), TestFiles.randomBytes(2, leaf + 1));
    TestFiles.write(
        folder.resolve("config.json"), "{\"layers\": 6}".getBytes(StandardCharsets.UTF_8));
    return folder;
  }

  /**
   * 17,000 tiny files first (more rows than one packed slot takes), then 320 files of up to 1 MiB
   * with tiny ones between them (270 MiB, more than one 256 MiB slot holds): both limits start a
   * new slot.
   */
  static List<Resource> manySmallFiles(Path folder) throws IOException {
    Files.createDirectories(folder);
    List<Resource> files = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(17);
    for (int i = 0; i < 17_000; i++) {
      files.add(write(folder.resolve("t" + i), i % 997 == 0 ? 0 : random.nextInt(300), i));
    }
    for (int i = 0; i < 320; i++) {
      files.add(write(folder.resolve("m" + i), (1 << 20) - i * 1024, i));
      files.add(write(folder.resolve("u" + i), random.nextInt(5000), -i));
    }
    return files;
  }

  private static Resource write(Path file, int size, long seed) {
    TestFiles.write(file, TestFiles.randomBytes(seed, size));
    return region(file.getFileName().toString(), file, 0, size);
  }
}
