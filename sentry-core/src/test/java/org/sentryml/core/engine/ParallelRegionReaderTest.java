package org.sentryml.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.core.engine.ByteRegion.FileRegion;
import org.sentryml.core.engine.ByteRegion.InlineBytes;
import org.sentryml.core.engine.ByteRegion.MemoryRegion;
import org.sentryml.core.errors.IoFailureException;
import org.sentryml.core.errors.SentryException;
import org.sentryml.testkit.TestFiles;

class ParallelRegionReaderTest {
  private static final ParallelRegionReader READER = new ParallelRegionReader(4);

  @TempDir Path dir;

  @AfterAll
  static void close() {
    READER.close();
  }

  /**
   * File, memory and inline regions mixed, windows at odd offsets: the same bytes as one reader.
   */
  @Test
  void fillsWindowsExactlyAsTheSequentialReader() throws IOException {
    byte[] data = TestFiles.randomBytes(7, 40 << 20);
    Path file = TestFiles.write(dir.resolve("data.bin"), data);
    Random random = new Random(11);
    List<ByteRegion> regions = new ArrayList<>();
    for (int at = 0; at < data.length; ) {
      int length = Math.min(data.length - at, 1 + random.nextInt(6 << 20));
      regions.add(
          switch (random.nextInt(3)) {
            case 0 -> new FileRegion(file, at, length);
            case 1 -> new MemoryRegion(ByteBuffer.wrap(Arrays.copyOfRange(data, at, at + length)));
            default -> new InlineBytes(Arrays.copyOfRange(data, at, at + length));
          });
      at += length;
    }
    for (int[] window :
        new int[][] {
          {0, data.length}, {3, (17 << 20) + 5}, {data.length - (9 << 20), 9 << 20}, {100, 5}
        }) {
      ByteBuffer target = ByteBuffer.allocateDirect(window[1] + 8);
      target.position(8);
      READER.read(regions, window[0], target);
      assertEquals(target.limit(), target.position());
      byte[] got = new byte[window[1]];
      target.get(8, got);
      assertArrayEquals(
          Arrays.copyOfRange(data, window[0], window[0] + window[1]),
          got,
          "window at " + window[0]);
    }
  }

  @Test
  void aFileShorterThanListedFailsAsTheSequentialReaderDoes() throws IOException {
    Path file = TestFiles.write(dir.resolve("short.bin"), TestFiles.randomBytes(3, 20 << 20));
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(10 << 20);
    }
    List<ByteRegion> regions = List.of(new FileRegion(file, 0, 20 << 20));
    SentryException e =
        assertThrows(
            SentryException.class,
            () -> READER.read(regions, 0, ByteBuffer.allocateDirect(20 << 20)));
    assertInstanceOf(IoFailureException.class, e);
  }
}
