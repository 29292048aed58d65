package org.sentryml.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sentryml.core.engine.ByteRegion.FileRegion;
import org.sentryml.core.engine.ByteRegion.InlineBytes;
import org.sentryml.core.hashing.Digest;
import org.sentryml.core.hashing.HashAlgorithm;
import org.sentryml.core.testing.NaiveMerkle;
import org.sentryml.core.tree.LatticeElements;
import org.sentryml.core.tree.LtHash16;
import org.sentryml.testkit.TestFiles;

class CpuEngineTest {
  private static final int LEAF = 4096;
  private static final CpuEngine TWO_THREADS = new CpuEngine(2);

  @TempDir Path dir;

  @AfterAll
  static void closeEngine() {
    TWO_THREADS.close();
  }

  private Resource fileResource(String name, byte[] data) {
    Path file = TestFiles.write(dir.resolve(name), data);
    return new Resource(name, List.of(new FileRegion(file, 0, data.length)));
  }

  private static Digest single(HashEngine engine, Resource resource, HashingOptions options) {
    return engine.hash(List.of(resource), options).get(0).digest();
  }

  @ParameterizedTest
  @EnumSource(HashAlgorithm.class)
  void merkleRootEqualsNaiveReferenceAtLeafBoundaries(HashAlgorithm algorithm) {
    int batchLeaves = CpuEngine.BATCH_BYTES / LEAF;
    int[] sizes = {
      0,
      1,
      LEAF - 1,
      LEAF,
      LEAF + 1,
      3 * LEAF + 17,
      CpuEngine.BATCH_BYTES,
      CpuEngine.BATCH_BYTES + 1,
      (batchLeaves + 3) * LEAF - 5
    };
    HashingOptions options = HashingOptions.merkle(algorithm, LEAF);
    for (int size : sizes) {
      byte[] data = TestFiles.randomBytes(size, size);
      Digest digest = single(TWO_THREADS, fileResource("m" + size, data), options);
      assertArrayEquals(
          NaiveMerkle.treeHash(algorithm, data, LEAF), digest.value(), "size " + size);
      assertEquals(algorithm.id() + "-merkle-4096", digest.algorithm());
    }
  }

  @Test
  void merkleRootEqualsNaiveReferenceForRandomManyLeafSizes() {
    Random random = new Random(2024);
    for (int i = 0; i < 6; i++) {
      int size = random.nextInt(3 * CpuEngine.BATCH_BYTES);
      byte[] data = TestFiles.randomBytes(i, size);
      Digest digest =
          single(
              TWO_THREADS,
              fileResource("r" + i, data),
              HashingOptions.merkle(HashAlgorithm.SHA256, LEAF));
      assertArrayEquals(
          NaiveMerkle.treeHash(HashAlgorithm.SHA256, data, LEAF), digest.value(), "size " + size);
    }
  }

  /**
   * Batches that cannot be mapped (bytes in memory, or a window spanning two files) are read one
   * window at a time: leaves smaller and larger than the window, sizes off every boundary.
   */
  @Test
  void readBatchesGiveTheNaiveRootForLeavesSmallerAndLargerThanTheReadWindow() {
    int[] leafSizes = {LEAF, CpuEngine.READ_WINDOW, 2 * CpuEngine.READ_WINDOW};
    int[] sizes = {
      CpuEngine.READ_WINDOW - 1,
      CpuEngine.READ_WINDOW + 1,
      3 * CpuEngine.READ_WINDOW + 12_345,
      CpuEngine.BATCH_BYTES + CpuEngine.READ_WINDOW / 2
    };
    for (int leafSize : leafSizes) {
      for (int size : sizes) {
        byte[] data = TestFiles.randomBytes(size + leafSize, size);
        int cut = size / 3;
        Resource inMemory = new Resource("m", List.of(new InlineBytes(data)));
        Resource spanning =
            new Resource(
                "s",
                List.of(
                    fileResource("a" + size + "-" + leafSize, Arrays.copyOf(data, cut))
                        .regions()
                        .get(0),
                    fileResource("b" + size + "-" + leafSize, Arrays.copyOfRange(data, cut, size))
                        .regions()
                        .get(0)));
        HashingOptions options = HashingOptions.merkle(HashAlgorithm.SHA256, leafSize);
        byte[] expected = NaiveMerkle.treeHash(HashAlgorithm.SHA256, data, leafSize);
        String what = "size " + size + ", leaf " + leafSize;
        assertArrayEquals(expected, single(TWO_THREADS, inMemory, options).value(), what);
        assertArrayEquals(expected, single(TWO_THREADS, spanning, options).value(), what);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(HashAlgorithm.class)
  void flatDigestEqualsOneShotHash(HashAlgorithm algorithm) {
    byte[] data = TestFiles.randomBytes(5, CpuEngine.BATCH_BYTES * 2 + 333);
    Digest digest = single(TWO_THREADS, fileResource("flat", data), HashingOptions.flat(algorithm));
    assertArrayEquals(algorithm.hash(data), digest.value());
    assertEquals(algorithm.id(), digest.algorithm());
  }

  @Test
  void latticeDigestEqualsSumOfChunkElements() {
    byte[] data = TestFiles.randomBytes(11, 5 * LEAF + 100);
    LtHash16 expected = new LtHash16();
    var expander = LatticeElements.newExpander();
    for (int at = 0; at < data.length; at += LEAF) {
      ByteBuffer chunk = ByteBuffer.wrap(data, at, Math.min(LEAF, data.length - at));
      expected.addExpansion(LatticeElements.expandFileChunk(expander, at, chunk));
    }
    Digest digest =
        single(TWO_THREADS, fileResource("lattice", data), HashingOptions.lattice(LEAF));
    assertArrayEquals(expected.digest(), digest.value());
    assertEquals("lthash16x1024-blake2xb-4096", digest.algorithm());
  }

  @Test
  void swappingTwoChunksChangesTheLatticeDigest() {
    byte[] data = TestFiles.randomBytes(12, 2 * LEAF);
    byte[] swapped = new byte[data.length];
    System.arraycopy(data, LEAF, swapped, 0, LEAF);
    System.arraycopy(data, 0, swapped, LEAF, LEAF);
    HashingOptions options = HashingOptions.lattice(LEAF);
    assertNotEquals(
        single(TWO_THREADS, fileResource("a", data), options),
        single(TWO_THREADS, fileResource("b", swapped), options));
  }

  @Test
  void everyThreadCountGivesTheSameDigests() {
    List<Resource> resources = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      resources.add(fileResource("f" + i, TestFiles.randomBytes(100 + i, i * 300_001)));
    }
    for (HashingOptions options :
        List.of(
            HashingOptions.merkle(HashAlgorithm.SHA256, LEAF),
            HashingOptions.flat(HashAlgorithm.BLAKE2B),
            HashingOptions.lattice(8192))) {
      List<ResourceDigest> reference;
      try (CpuEngine one = new CpuEngine(1)) {
        reference = one.hash(resources, options);
      }
      for (int threads : new int[] {2, 3, 8}) {
        try (CpuEngine engine = new CpuEngine(threads)) {
          assertEquals(
              reference, engine.hash(resources, options), options + " on " + threads + " threads");
        }
      }
    }
  }

  @Test
  void randomSplitsOfTheStreamIntoRegionsGiveTheSameDigest() throws IOException {
    byte[] data = TestFiles.randomBytes(77, 3 * CpuEngine.BATCH_BYTES / 2 + 999);
    Path file = TestFiles.write(dir.resolve("whole"), data);
    Resource whole = new Resource("x", List.of(new FileRegion(file, 0, data.length)));
    Random random = new Random(78);
    for (int trial = 0; trial < 5; trial++) {
      List<ByteRegion> regions = new ArrayList<>();
      int at = 0;
      while (at < data.length) {
        int length = Math.min(data.length - at, 1 + random.nextInt(200_000));
        regions.add(
            random.nextBoolean()
                ? new FileRegion(file, at, length)
                : new InlineBytes(Arrays.copyOfRange(data, at, at + length)));
        at += length;
      }
      Resource split = new Resource("x", regions);
      for (HashingOptions options :
          List.of(
              HashingOptions.merkle(HashAlgorithm.SHA256, LEAF),
              HashingOptions.flat(HashAlgorithm.SHA3_256),
              HashingOptions.lattice(LEAF))) {
        assertEquals(
            single(TWO_THREADS, whole, options),
            single(TWO_THREADS, split, options),
            options.toString());
      }
    }
  }

  @Test
  void regionsBeyondFourGibibyteOffsetsAreReadFromTheRightPlace() throws IOException {
    Path sparse = dir.resolve("sparse.bin");
    long offset = (4L << 30) + 12345;
    byte[] payload = TestFiles.randomBytes(4, 3 * LEAF + 7);
    try (RandomAccessFile file = new RandomAccessFile(sparse.toFile(), "rw")) {
      file.setLength(offset + payload.length + 100);
      file.seek(offset);
      file.write(payload);
    }
    Resource tail = new Resource("t", List.of(new FileRegion(sparse, offset, payload.length)));
    assertArrayEquals(
        NaiveMerkle.treeHash(HashAlgorithm.SHA256, payload, LEAF),
        single(TWO_THREADS, tail, HashingOptions.merkle(HashAlgorithm.SHA256, LEAF)).value());
  }
}
