package org.sentryml.core.hashing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.core.engine.ByteRegion.FileRegion;
import org.sentryml.core.engine.CpuEngine;
import org.sentryml.core.engine.HashingOptions;
import org.sentryml.core.engine.Resource;
import org.sentryml.core.errors.IoFailureException;
import org.sentryml.core.errors.SentryException;
import org.sentryml.testkit.TestFiles;

/**
 * Hashing straight from mapped files: the same roots as from a buffer, at any offset, and a file
 * truncated before or during hashing is an I/O error, never a crashed JVM (the native SIGBUS
 * guard).
 */
class MappedFileHashingTest {
  @TempDir Path dir;

  @BeforeAll
  static void requireLibrary() {
    Assumptions.assumeTrue(
        NativeSha256.available(),
        () -> "native SHA-256 skipped: " + NativeSha256.unavailableReason());
  }

  @Test
  void mappedWindowsEqualBufferedOnesAtUnalignedOffsets() throws IOException {
    byte[] data = TestFiles.randomBytes(5, 3 * 4096 * 7 + 1234);
    Path file = TestFiles.write(dir.resolve("f.bin"), data);
    for (int offset : new int[] {0, 1, 4095, 4096, 10_000}) {
      int length = data.length - offset - 17;
      byte[] mapped = new byte[(length / 4096 + 1) * 32];
      byte[] buffered = new byte[mapped.length];
      int roots = NativeSha256.subtreeRootsOfFile(file, offset, length, 4096, mapped);
      ByteBuffer direct = ByteBuffer.allocateDirect(data.length).put(data).clear();
      assertEquals(
          NativeSha256.subtreeRoots(direct, offset, length, 4096, buffered),
          roots,
          "offset " + offset);
      assertArrayEquals(
          Arrays.copyOf(buffered, 32 * roots),
          Arrays.copyOf(mapped, 32 * roots),
          "offset " + offset);
    }
  }

  @Test
  void fileShorterThanPlannedIsAnIoError() throws IOException {
    Path file = TestFiles.write(dir.resolve("short.bin"), TestFiles.randomBytes(6, 16 << 20));
    Resource resource = new Resource("short.bin", List.of(new FileRegion(file, 0, 16 << 20)));
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(3 << 20);
    }
    try (CpuEngine engine = new CpuEngine(2)) {
      SentryException e =
          assertThrows(
              SentryException.class,
              () ->
                  engine.hash(
                      List.of(resource), HashingOptions.merkle(HashAlgorithm.SHA256, 65536)));
      assertInstanceOf(IoFailureException.class, e);
      assertTrue(e.getMessage().contains("became shorter"), e.getMessage());
    }
  }

  @Test
  void theJvmStillHandlesItsOwnMappedBufferFaultsAfterTheGuardIsInstalled() throws IOException {
    Path file = TestFiles.write(dir.resolve("jvm.bin"), TestFiles.randomBytes(8, 1 << 20));
    byte[] out = new byte[32 * 16];
    NativeSha256.subtreeRootsOfFile(file, 0, 1 << 20, 65536, out); // installs the SIGBUS guard
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, 1 << 20);
      channel.truncate(4096);
      // A SIGBUS outside the guard goes on to the JVM's handler, which turns it into an error.
      assertThrows(InternalError.class, () -> mapped.get((1 << 20) - 1));
    }
  }

  @Test
  void truncationDuringHashingIsReportedNotACrash() throws Exception {
    int size = 32 << 20;
    Path file = TestFiles.write(dir.resolve("racy.bin"), TestFiles.randomBytes(7, size));
    AtomicBoolean stop = new AtomicBoolean();
    Thread truncator =
        new Thread(
            () -> {
              try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                while (!stop.get()) {
                  // Full for a while, then cut: most cuts land in the middle of a hashing call.
                  Thread.sleep(7);
                  raf.setLength(4096);
                  raf.setLength(size);
                }
              } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    truncator.start();
    int shorter = 0;
    int truncated = 0;
    int hashed = 0;
    try {
      byte[] out = new byte[(size / 65536) * 32];
      long deadline = System.nanoTime() + 2_000_000_000L;
      while (System.nanoTime() < deadline) {
        int roots = NativeSha256.subtreeRootsOfFile(file, 0, size, 65536, out);
        if (NativeSha256.FileWindow.of(roots).orElse(null) == NativeSha256.FileWindow.SHORTER) {
          shorter++;
        } else if (NativeSha256.FileWindow.of(roots).orElse(null)
            == NativeSha256.FileWindow.TRUNCATED) {
          truncated++;
        } else {
          assertTrue(roots >= 0, "unexpected result " + roots);
          hashed++;
        }
      }
    } finally {
      stop.set(true);
      truncator.join();
    }
    // Reaching this line is the point: a SIGBUS outside the guard would have killed the JVM. The
    // guard must actually have caught faults (about 230 per run here), or the race was not tested.
    String counts =
        hashed + " hashed, " + shorter + " shorter, " + truncated + " truncated while hashing";
    assertTrue(truncated > 0, counts);
    assertEquals(size, Files.size(file));
  }
}
