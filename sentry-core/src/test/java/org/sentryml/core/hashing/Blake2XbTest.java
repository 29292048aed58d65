package org.sentryml.core.hashing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Blake2XbTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void keyedOutputsMatchReferenceVectors() throws IOException {
    byte[] input = Blake2bTest.sequence(256);
    List<String[]> rows = Blake2bTest.vectors("blake2xb-kat.txt");
    assertTrue(rows.size() >= 30, "too few vectors: " + rows.size());
    for (String[] row : rows) {
      int length = Integer.parseInt(row[0]);
      assertEquals(2 * length, row[1].length(), "vector file: length " + length);
      Blake2Xb xof = new Blake2Xb(length, Blake2bTest.referenceKey());
      assertEquals(length, xof.digestLength());
      assertEquals(row[1], HEX.formatHex(Blake2bTest.oneShot(xof, input)), "length " + length);
      // The same instance again, fed one byte at a time.
      for (byte b : input) {
        xof.update(b);
      }
      assertEquals(row[1], HEX.formatHex(xof.digest()), "byte by byte, length " + length);
      xof.update(ByteBuffer.allocateDirect(input.length).put(input).flip());
      assertEquals(row[1], HEX.formatHex(xof.digest()), "direct buffer, length " + length);
    }
  }

  @Test
  void streamingInRandomChunksEqualsOneShot() {
    Random random = new Random(0xB2_0F);
    for (int trial = 0; trial < 100; trial++) {
      byte[] data = new byte[random.nextInt(2000)];
      random.nextBytes(data);
      int outputLength = 1 + random.nextInt(300);
      byte[] key = new byte[trial % 2 == 0 ? 0 : 1 + random.nextInt(64)];
      random.nextBytes(key);
      byte[] expected = Blake2bTest.oneShot(new Blake2Xb(outputLength, key), data);
      byte[] streamed =
          Blake2bTest.inRandomChunks(new Blake2Xb(outputLength, key), data, random, 300);
      assertArrayEquals(expected, streamed, "trial " + trial);
    }
  }

  @Test
  void chunksEndingOnBlockBoundariesEqualOneShot() {
    byte[] data = new byte[512];
    new Random(7).nextBytes(data);
    for (int length : new int[] {0, 128, 256, 512}) {
      byte[] message = Arrays.copyOf(data, length);
      byte[] expected = Blake2Xb.hash(message, 100);
      Blake2Xb xof = new Blake2Xb(100);
      for (int at = 0; at < length; at += 128) {
        xof.update(message, at, 128);
      }
      assertArrayEquals(expected, xof.digest(), "length " + length);
    }
  }

  @Test
  void hashEqualsAnUnkeyedInstance() {
    byte[] data = "the quick brown fox".getBytes(StandardCharsets.US_ASCII);
    for (int n : new int[] {1, 63, 64, 65, 1000}) {
      byte[] viaInstance = Blake2bTest.oneShot(new Blake2Xb(n), data);
      byte[] viaEmptyKey = Blake2bTest.oneShot(new Blake2Xb(n, new byte[0]), data);
      assertArrayEquals(viaInstance, Blake2Xb.hash(data, n));
      assertArrayEquals(viaInstance, viaEmptyKey);
      assertEquals(n, viaInstance.length);
    }
    assertArrayEquals(Blake2Xb.hash(data, 64), HashAlgorithm.BLAKE2XB.hash(data));
  }

  @Test
  void outputBlocksAreBlake2bOfTheRootUnderTheOutputNodeParameters() {
    // Builds BLAKE2Xb from Blake2b and Blake2bParameters alone, as the BLAKE2X paper describes it,
    // and compares with the optimised output loop, over several blocks and a short last block.
    byte[] data = Blake2bTest.sequence(1000);
    byte[] key = "a key".getBytes(StandardCharsets.US_ASCII);
    int outputLength = 5 * 64 + 17;
    byte[] none = new byte[0];
    Blake2b root =
        new Blake2b(new Blake2bParameters(64, key, 1, 1, 0, 0, outputLength, 0, 0, none, none));
    byte[] h0 = Blake2bTest.oneShot(root, data);
    byte[] expected = new byte[outputLength];
    for (int i = 0; i * 64 < outputLength; i++) {
      int length = Math.min(64, outputLength - i * 64);
      Blake2bParameters node =
          new Blake2bParameters(length, none, 0, 0, 64, i, outputLength, 0, 64, none, none);
      byte[] block = Blake2bTest.oneShot(new Blake2b(node), h0);
      System.arraycopy(block, 0, expected, i * 64, length);
    }
    Blake2Xb xof = new Blake2Xb(outputLength, key);
    assertArrayEquals(expected, Blake2bTest.oneShot(xof, data));
  }

  @Test
  void outputsOfDifferentLengthsAreUnrelated() {
    // The output length is hashed into every node, so a shorter output is not a prefix.
    byte[] data = Blake2bTest.sequence(10);
    byte[] short64 = Blake2Xb.hash(data, 64);
    byte[] long128 = Blake2Xb.hash(data, 128);
    assertFalse(Arrays.equals(short64, Arrays.copyOf(long128, 64)));
  }

  @Test
  void largeOutputHasDistinctBlocks() {
    int n = 1 << 20;
    byte[] out = Blake2Xb.hash(new byte[0], n);
    assertEquals(n, out.length);
    byte[] first = Arrays.copyOfRange(out, 0, 64);
    byte[] last = Arrays.copyOfRange(out, n - 64, n);
    assertFalse(Arrays.equals(first, last));
    assertFalse(Arrays.equals(new byte[64], last));
  }

  @Test
  void digestResetsTheHasher() {
    byte[] data = Blake2bTest.sequence(200);
    for (Blake2Xb xof : List.of(new Blake2Xb(33), new Blake2Xb(130, Blake2bTest.referenceKey()))) {
      byte[] first = Blake2bTest.oneShot(xof, data);
      byte[] second = Blake2bTest.oneShot(xof, data);
      assertArrayEquals(first, second);
      assertArrayEquals(xof.digest(), xof.digest());
    }
  }

  @Test
  void invalidArgumentsAreRejected() {
    IllegalArgumentException zero =
        assertThrows(IllegalArgumentException.class, () -> new Blake2Xb(0));
    assertEquals("outputLength must be between 1 and 2147483647, got 0", zero.getMessage());
    IllegalArgumentException negative =
        assertThrows(IllegalArgumentException.class, () -> Blake2Xb.hash(new byte[1], -5));
    assertEquals("outputLength must be between 1 and 2147483647, got -5", negative.getMessage());
    IllegalArgumentException longKey =
        assertThrows(IllegalArgumentException.class, () -> new Blake2Xb(64, new byte[65]));
    assertEquals("key must be at most 64 bytes long, got 65 bytes", longKey.getMessage());
    assertThrows(NullPointerException.class, () -> new Blake2Xb(64, null));
  }
}
