package org.sentryml.cli.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
import org.sentryml.core.errors.PathProblems;

/**
 * The benchmark input: a file of pseudo-random bytes, created once and then kept in the page cache.
 */
final class BenchFile {
  private BenchFile() {}

  /**
   * Returns {@code file}, creating it with {@code size} seeded random bytes if its size differs.
   */
  static Path ensure(Path file, long size) {
    try {
      if (Files.isRegularFile(file) && Files.size(file) == size) {
        return file;
      }
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Path temp = Files.createTempFile(parent, ".sentry-bench-", ".part");
      try {
        write(temp, size);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(temp);
      }
      return file;
    } catch (IOException e) {
      throw PathProblems.classifyWrite(file, e);
    }
  }

  private static void write(Path file, long size) throws IOException {
    SplittableRandom random = new SplittableRandom(0x5e47e9L);
    ByteBuffer block = ByteBuffer.allocateDirect(1 << 20);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      for (long written = 0; written < size; ) {
        block.clear();
        while (block.remaining() >= 8) {
          block.putLong(random.nextLong());
        }
        block.flip().limit((int) Math.min(block.limit(), size - written));
        while (block.hasRemaining()) {
          written += channel.write(block);
        }
      }
      // No fsync: the input is regenerated from its seed whenever it is missing or of another
      // size, and the benchmark reads it from the page cache anyway.
    }
  }

  /** Reads the whole file once so that every measured run starts from the page cache. */
  static void warm(Path file) {
    byte[] sink = new byte[1 << 20];
    try (InputStream in = Files.newInputStream(file)) {
      while (in.read(sink) >= 0) {
        // Reading is the point.
      }
    } catch (IOException e) {
      throw PathProblems.classifyWrite(file, e);
    }
  }
}
