package org.sentryml.core.tree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sentryml.core.engine.ByteRegion.FileRegion;
import org.sentryml.core.engine.CpuEngine;
import org.sentryml.core.engine.HashingOptions;
import org.sentryml.core.engine.Resource;
import org.sentryml.core.hashing.HashAlgorithm;

/** The streamed root equals the CPU engine's root of a file holding the same bytes. */
class MerkleOutputStreamTest {
  private static final int LEAF = 4096;

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(ints = {0, 1, LEAF - 1, LEAF, LEAF + 1, 3 * LEAF, 7 * LEAF + 5, 33 * LEAF - 1})
  void theStreamedRootEqualsTheEnginesRootOfTheSameFile(int length) throws IOException {
    byte[] bytes = new byte[length];
    new SplittableRandom(length).nextBytes(bytes);
    Path file = Files.write(dir.resolve("f.bin"), bytes);
    MerkleOutputStream stream = new MerkleOutputStream(HashAlgorithm.SHA256, LEAF);
    // Written in uneven pieces and single bytes, so leaf boundaries fall inside writes.
    int at = 0;
    for (int piece = 1; at < length; piece = piece * 3 % 10_007 + 1) {
      int n = Math.min(piece, length - at);
      if (n == 1) {
        stream.write(bytes[at]);
      } else {
        stream.write(bytes, at, n);
      }
      at += n;
    }
    byte[] expected;
    try (CpuEngine engine = new CpuEngine(2)) {
      expected =
          engine
              .hash(
                  List.of(new Resource("f.bin", List.of(new FileRegion(file, 0, length)))),
                  HashingOptions.merkle(HashAlgorithm.SHA256, LEAF))
              .get(0)
              .digest()
              .value();
    }
    assertArrayEquals(expected, stream.root());
    assertEquals(length, stream.count());
  }
}
