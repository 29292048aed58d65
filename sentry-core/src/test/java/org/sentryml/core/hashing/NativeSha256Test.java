package org.sentryml.core.hashing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sentryml.core.testing.NaiveMerkle;
import org.sentryml.core.tree.MerkleBuilder;

/**
 * The native two-way SHA-256 leaf and subtree hasher must equal the JDK-based tree on every length.
 */
class NativeSha256Test {
  @BeforeAll
  static void requireLibrary() {
    Assumptions.assumeTrue(
        NativeSha256.available(),
        () -> "native SHA-256 skipped: " + NativeSha256.unavailableReason());
  }

  private static void assertSubtreesMatchJdk(byte[] data, int offset, int length, int leafSize) {
    ByteBuffer direct = ByteBuffer.allocateDirect(data.length);
    direct.put(data).clear();
    int count = (length + leafSize - 1) / leafSize;
    byte[] out = new byte[count * 32];
    int roots = NativeSha256.subtreeRoots(direct, offset, length, leafSize, out);

    MerkleBuilder reference = new MerkleBuilder(HashAlgorithm.SHA256);
    for (int i = 0; i < count; i++) {
      int from = offset + i * leafSize;
      reference.addLeafHash(
          NaiveMerkle.leafHash(
              HashAlgorithm.SHA256,
              Arrays.copyOfRange(data, from, Math.min(offset + length, from + leafSize))));
    }
    List<MerkleBuilder.Subtree> expected = reference.subtrees();
    String context = "length " + length + " with leaf size " + leafSize;
    assertEquals(expected.size(), roots, context);
    for (int i = 0; i < roots; i++) {
      assertArrayEquals(
          expected.get(i).root(),
          Arrays.copyOfRange(out, 32 * i, 32 * i + 32),
          "root " + i + ", " + context);
    }
  }

  @Test
  void everyShortLengthAroundBlockAndPaddingBoundariesMatches() {
    byte[] data = new byte[300];
    new Random(1).nextBytes(data);
    for (int length = 1; length <= 260; length++) {
      assertSubtreesMatchJdk(data, 0, length, 4096);
    }
  }

  @Test
  void manyLeavesWithAShortLastLeafReduceToTheRfc6962Decomposition() {
    Random random = new Random(2);
    for (int leafSize : new int[] {64, 100, 127, 4096, 65536}) {
      for (int trial = 0; trial < 4; trial++) {
        int length = 1 + random.nextInt(leafSize * 23);
        byte[] data = new byte[length + 37];
        random.nextBytes(data);
        assertSubtreesMatchJdk(data, 37, length, leafSize);
      }
    }
  }

  @Test
  void emptyInputHasNoSubtrees() {
    assertEquals(
        0, NativeSha256.subtreeRoots(ByteBuffer.allocateDirect(8), 0, 0, 4096, new byte[0]));
  }
}
