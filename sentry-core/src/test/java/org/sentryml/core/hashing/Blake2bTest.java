package org.sentryml.core.hashing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Blake2bTest {
  private static final HexFormat HEX = HexFormat.of();

  /** 00 01 02 .. 3f, the key of the BLAKE2 reference keyed known answers. */
  static byte[] referenceKey() {
    return sequence(64);
  }

  /** 00 01 02 .. (n-1) mod 256. */
  static byte[] sequence(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) i;
    }
    return b;
  }

  /** The non-comment lines of the testkit's {@code kat/<file>}, split on blanks. */
  static List<String[]> vectors(String file) {
    return JdkAlgorithmsKnownAnswerTest.vectorLines(file).stream()
        .map(line -> line.trim().split("\\s+"))
        .toList();
  }

  static byte[] oneShot(Hasher hasher, byte[] data) {
    hasher.update(data);
    return hasher.digest();
  }

  /** Feeds {@code data} in random chunks, cycling through byte[], heap and direct buffer calls. */
  static byte[] inRandomChunks(Hasher hasher, byte[] data, Random random, int maxChunk) {
    int at = 0;
    int call = 0;
    while (at < data.length) {
      int n = Math.min(random.nextInt(maxChunk + 1), data.length - at);
      switch (call++ % 5) {
        case 0 -> hasher.update(data, at, n);
        case 1 -> {
          // A heap buffer over a larger array, with a non-zero array offset and position.
          byte[] backing = new byte[n + 20];
          System.arraycopy(data, at, backing, 7, n);
          ByteBuffer heap = ByteBuffer.wrap(backing, 3, n + 10).slice();
          heap.position(4).limit(4 + n);
          hasher.update(heap);
          assertEquals(heap.limit(), heap.position());
        }
        case 2 -> {
          ByteBuffer direct = ByteBuffer.allocateDirect(n + 9);
          direct.position(5);
          direct.put(data, at, n);
          direct.flip().position(5);
          hasher.update(direct);
          assertEquals(direct.limit(), direct.position());
        }
        case 3 -> {
          ByteBuffer readOnly = ByteBuffer.wrap(data, at, n).asReadOnlyBuffer();
          hasher.update(readOnly);
          assertFalse(readOnly.hasRemaining());
        }
        default -> {
          for (int i = 0; i < n; i++) {
            hasher.update(data[at + i]);
          }
        }
      }
      at += n;
    }
    return hasher.digest();
  }

  @Test
  void abcMatchesRfc7693AppendixA() {
    // RFC 7693, Appendix A: BLAKE2b-512("abc").
    String expected =
        "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
            + "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923";
    byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
    assertEquals(expected, HEX.formatHex(oneShot(Blake2b.ofDigestLength(64), abc)));
    assertEquals(expected, HEX.formatHex(HashAlgorithm.BLAKE2B.hash(abc)));
  }

  @Test
  void emptyInputMatchesPublishedDigest() {
    // BLAKE2b-512 of the empty string, e.g. the "in": "" entry of blake2-kat.json in the BLAKE2
    // reference repository (https://github.com/BLAKE2/BLAKE2, testvectors/).
    assertEquals(
        "786a02f742015903c6c6fd852552d272912f4740e15847618a86e217f71f5419"
            + "d25e1031afee585313896444934eb04b903a685b1448b755d56f701afe9be2ce",
        HEX.formatHex(Blake2b.ofDigestLength(64).digest()));
  }

  @Test
  void keyedDigestsMatchReferenceVectors() throws IOException {
    byte[] input = sequence(256);
    List<String[]> rows = vectors("blake2b-kat.txt");
    assertTrue(rows.size() >= 20, "too few vectors: " + rows.size());
    for (String[] row : rows) {
      int length = Integer.parseInt(row[0]);
      byte[] message = Arrays.copyOf(input, length);
      Supplier<Hasher> keyed = () -> new Blake2b(Blake2bParameters.keyed(64, referenceKey()));
      assertEquals(row[1], HEX.formatHex(oneShot(keyed.get(), message)), "length " + length);
      Hasher byteByByte = keyed.get();
      for (byte b : message) {
        byteByByte.update(b);
      }
      assertEquals(row[1], HEX.formatHex(byteByByte.digest()), "byte by byte, length " + length);
      Hasher direct = keyed.get();
      ByteBuffer buffer = ByteBuffer.allocateDirect(length).put(message).flip();
      direct.update(buffer);
      assertEquals(row[1], HEX.formatHex(direct.digest()), "direct buffer, length " + length);
    }
  }

  @Test
  void parameterBlockFieldsMatchAnIndependentImplementation() {
    // Cross-checked against CPython 3.11 hashlib.blake2b, which takes every parameter-block field:
    //   blake2b(b"abc", digest_size=32)
    //   blake2b(b"", digest_size=20)
    //   blake2b(bytes(range(200)), digest_size=48, salt=bytes(range(16, 32)),
    //           person=b"sentry-test-pers")
    //   blake2b(bytes(range(200)), digest_size=40, key=b"secret key", salt=..., person=...,
    //           fanout=4, depth=3, leaf_size=0x01020304,
    //           node_offset=(0xA0B0C0D0 << 32) | 0x11223344, node_depth=2, inner_size=33)
    byte[] data = sequence(200);
    byte[] salt = new byte[16];
    for (int i = 0; i < 16; i++) {
      salt[i] = (byte) (16 + i);
    }
    byte[] personal = "sentry-test-pers".getBytes(StandardCharsets.US_ASCII);
    assertEquals(
        "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319",
        HEX.formatHex(
            oneShot(Blake2b.ofDigestLength(32), "abc".getBytes(StandardCharsets.US_ASCII))));
    assertEquals(
        "3345524abf6bbe1809449224b5972c41790b6cf2",
        HEX.formatHex(Blake2b.ofDigestLength(20).digest()));
    Blake2bParameters salted =
        Blake2bParameters.ofDigestLength(48).withSalt(salt).withPersonal(personal);
    assertEquals(
        "3f1053d3e250f4f036239da797fe1ea4d64127d0f74b7a5ff93cd45698f0f40d"
            + "b10938e511274694d28543b65a09fe8e",
        HEX.formatHex(oneShot(new Blake2b(salted), data)));
    Blake2bParameters tree =
        new Blake2bParameters(
            40,
            "secret key".getBytes(StandardCharsets.US_ASCII),
            4,
            3,
            0x01020304L,
            0x11223344L,
            0xA0B0C0D0L,
            2,
            33,
            salt,
            personal);
    assertEquals(0xA0B0C0D0_11223344L, tree.nodeOffsetField());
    assertEquals(
        "d34f2d2d6eecde7f087e5ec0e25c4f394d59d24b63bea6ef4ec9362abc2b02e8eaf91463bf73e55b",
        HEX.formatHex(oneShot(new Blake2b(tree), data)));
  }

  @Test
  void streamingInRandomChunksEqualsOneShot() {
    Random random = new Random(0x5EED_B2B);
    for (int trial = 0; trial < 200; trial++) {
      byte[] data = new byte[random.nextInt(3000)];
      random.nextBytes(data);
      int digestLength = 1 + random.nextInt(64);
      byte[] key = new byte[trial % 3 == 0 ? 0 : 1 + random.nextInt(64)];
      random.nextBytes(key);
      Blake2bParameters parameters = Blake2bParameters.keyed(digestLength, key);
      byte[] expected = oneShot(new Blake2b(parameters), data);
      int maxChunk = trial % 2 == 0 ? 40 : 400;
      byte[] streamed = inRandomChunks(new Blake2b(parameters), data, random, maxChunk);
      assertArrayEquals(expected, streamed, "trial " + trial);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 127, 128, 129, 255, 256, 257, 384, 1024})
  void chunksEndingOnBlockBoundariesEqualOneShot(int length) {
    Random random = new Random(length);
    byte[] data = new byte[length];
    random.nextBytes(data);
    for (boolean keyed : new boolean[] {false, true}) {
      Supplier<Blake2b> fresh =
          () ->
              keyed
                  ? new Blake2b(Blake2bParameters.keyed(64, referenceKey()))
                  : Blake2b.ofDigestLength(64);
      byte[] expected = oneShot(fresh.get(), data);
      for (int chunk : new int[] {1, 64, 128, 256}) {
        Blake2b arrays = fresh.get();
        Blake2b directs = fresh.get();
        for (int at = 0; at < length; at += chunk) {
          int n = Math.min(chunk, length - at);
          arrays.update(data, at, n);
          directs.update(ByteBuffer.allocateDirect(n).put(data, at, n).flip());
        }
        assertArrayEquals(expected, arrays.digest(), "arrays, chunk " + chunk);
        assertArrayEquals(expected, directs.digest(), "direct, chunk " + chunk);
      }
      // A full block, then empty updates, then the rest.
      Blake2b withEmpty = fresh.get();
      int first = Math.min(128, length);
      withEmpty.update(data, 0, first);
      withEmpty.update(new byte[0]);
      withEmpty.update(ByteBuffer.allocateDirect(0));
      withEmpty.update(data, first, length - first);
      assertArrayEquals(expected, withEmpty.digest(), "with empty updates");
    }
  }

  @Test
  void largeInputDirectAndHeapAgree() {
    byte[] data = new byte[(1 << 20) + 77];
    new Random(42).nextBytes(data);
    byte[] expected = oneShot(Blake2b.ofDigestLength(64), data);
    ByteBuffer direct = ByteBuffer.allocateDirect(data.length).put(data).flip();
    Blake2b fromDirect = Blake2b.ofDigestLength(64);
    fromDirect.update(direct);
    assertArrayEquals(expected, fromDirect.digest());
    Blake2b fromHeap = Blake2b.ofDigestLength(64);
    fromHeap.update(ByteBuffer.wrap(data));
    assertArrayEquals(expected, fromHeap.digest());
  }

  @Test
  void digestResetsTheHasher() {
    byte[] data = sequence(300);
    for (Blake2b hasher :
        List.of(
            Blake2b.ofDigestLength(64),
            Blake2b.ofDigestLength(17),
            new Blake2b(Blake2bParameters.keyed(64, referenceKey())))) {
      byte[] first = oneShot(hasher, data);
      byte[] second = oneShot(hasher, data);
      assertArrayEquals(first, second);
      byte[] emptyFirst = hasher.digest();
      byte[] emptySecond = hasher.digest();
      assertArrayEquals(emptyFirst, emptySecond);
      assertFalse(Arrays.equals(first, emptyFirst));
    }
    // Keyed, empty message: the key block alone is the last block (reference KAT, length 0).
    Blake2b keyed = new Blake2b(Blake2bParameters.keyed(64, referenceKey()));
    keyed.update(sequence(5));
    keyed.digest();
    assertEquals(
        "10ebb67700b1868efb4417987acf4690ae9d972fb7a590c2f02871799aaa4786"
            + "b5e996e8f0f4eb981fc214b005f42d2ff4233499391653df7aefcbc13fc51568",
        HEX.formatHex(keyed.digest()));
  }

  @Test
  void digestLengthIsTheRequestedLength() {
    for (int n = 1; n <= 64; n++) {
      Blake2b hasher = Blake2b.ofDigestLength(n);
      assertEquals(n, hasher.digestLength());
      assertEquals(n, hasher.digest().length);
    }
    // The digest length is a parameter, so a shorter digest is not a prefix of a longer one.
    byte[] d32 = Blake2b.ofDigestLength(32).digest();
    byte[] d64 = Blake2b.ofDigestLength(64).digest();
    assertFalse(Arrays.equals(d32, Arrays.copyOf(d64, 32)));
  }

  @Test
  void updateRejectsOutOfRangeSlices() {
    Blake2b hasher = Blake2b.ofDigestLength(64);
    byte[] data = new byte[10];
    assertThrows(IndexOutOfBoundsException.class, () -> hasher.update(data, -1, 2));
    assertThrows(IndexOutOfBoundsException.class, () -> hasher.update(data, 5, 6));
    assertThrows(IndexOutOfBoundsException.class, () -> hasher.update(data, 0, -1));
  }

  @Test
  void plainParametersEncodeTheSequentialBlock() {
    byte[] expected = new byte[64];
    expected[0] = 64; // digest length
    expected[2] = 1; // fanout
    expected[3] = 1; // depth
    assertArrayEquals(expected, Blake2bParameters.ofDigestLength(64).encode());
    assertArrayEquals(
        new long[] {0x01010040L, 0, 0, 0, 0, 0, 0, 0},
        Blake2bParameters.ofDigestLength(64).words());
  }

  @Test
  void everyFieldLandsAtItsOffsetLittleEndian() {
    byte[] salt = new byte[16];
    byte[] personal = new byte[16];
    for (int i = 0; i < 16; i++) {
      salt[i] = (byte) (0xA0 + i);
      personal[i] = (byte) (0xC0 + i);
    }
    Blake2bParameters p =
        new Blake2bParameters(
            33,
            new byte[7],
            0xFE,
            0x7F,
            0x11223344L,
            0x55667788L,
            0x99AABBCCL,
            0xEE,
            64,
            salt,
            personal);
    byte[] block = p.encode();
    String expected =
        "2107fe7f"
            + "44332211"
            + "88776655"
            + "ccbbaa99"
            + "ee40"
            + "0000000000000000000000000000"
            + HEX.formatHex(salt)
            + HEX.formatHex(personal);
    assertEquals(expected, HEX.formatHex(block));
    long[] words = p.words();
    for (int i = 0; i < 8; i++) {
      long fromBytes = 0;
      for (int j = 7; j >= 0; j--) {
        fromBytes = (fromBytes << 8) | (block[8 * i + j] & 0xFF);
      }
      assertEquals(fromBytes, words[i], "word " + i);
    }
    assertEquals(0x99AABBCC_55667788L, p.nodeOffsetField());
    assertEquals(7, p.keyLength());
  }

  @Test
  void emptySaltAndPersonalMeanZeros() {
    Blake2bParameters implicit = Blake2bParameters.ofDigestLength(64);
    Blake2bParameters explicit = implicit.withSalt(new byte[16]).withPersonal(new byte[16]);
    assertEquals(implicit, explicit);
    assertEquals(implicit.hashCode(), explicit.hashCode());
    assertArrayEquals(new byte[16], implicit.salt());
    assertArrayEquals(new byte[16], implicit.personal());
  }

  @Test
  void parametersAreImmutableAndKeepTheKeyOutOfToString() {
    byte[] key = "do not print me".getBytes(StandardCharsets.US_ASCII);
    byte[] salt = new byte[16];
    Blake2bParameters p = Blake2bParameters.keyed(64, key).withSalt(salt);
    key[0] = 'X';
    salt[0] = 1;
    assertEquals('d', p.key()[0]);
    assertEquals(0, p.salt()[0]);
    p.key()[1] = 'Y';
    assertEquals('o', p.key()[1]);
    String text = p.toString();
    assertTrue(text.contains("keyLength=15"), text);
    assertFalse(text.contains(HEX.formatHex("do not".getBytes(StandardCharsets.US_ASCII))), text);
    assertFalse(text.contains("do not"), text);
    assertNotEquals(Blake2bParameters.ofDigestLength(64), p);
  }

  @Test
  void invalidParametersAreRejectedWithPreciseMessages() {
    byte[] none = new byte[0];
    assertMessage(
        "digestLength must be between 1 and 64, got 0", () -> Blake2bParameters.ofDigestLength(0));
    assertMessage(
        "digestLength must be between 1 and 64, got 65",
        () -> Blake2bParameters.ofDigestLength(65));
    assertMessage("digestLength must be between 1 and 64, got 0", () -> Blake2b.ofDigestLength(0));
    assertMessage(
        "key must be at most 64 bytes long, got 65 bytes",
        () -> Blake2bParameters.keyed(64, new byte[65]));
    assertMessage(
        "salt must be 16 bytes long or empty, got 15 bytes",
        () -> Blake2bParameters.ofDigestLength(64).withSalt(new byte[15]));
    assertMessage(
        "personal must be 16 bytes long or empty, got 17 bytes",
        () -> Blake2bParameters.ofDigestLength(64).withPersonal(new byte[17]));
    assertMessage(
        "fanout must be between 0 and 255, got 256",
        () -> new Blake2bParameters(64, none, 256, 1, 0, 0, 0, 0, 0, none, none));
    assertMessage(
        "depth must be between 0 and 255, got -1",
        () -> new Blake2bParameters(64, none, 1, -1, 0, 0, 0, 0, 0, none, none));
    assertMessage(
        "leafLength must be between 0 and 4294967295, got 4294967296",
        () -> new Blake2bParameters(64, none, 1, 1, 1L << 32, 0, 0, 0, 0, none, none));
    assertMessage(
        "nodeOffset must be between 0 and 4294967295, got -1",
        () -> new Blake2bParameters(64, none, 1, 1, 0, -1, 0, 0, 0, none, none));
    assertMessage(
        "xofLength must be between 0 and 4294967295, got 4294967296",
        () -> new Blake2bParameters(64, none, 1, 1, 0, 0, 1L << 32, 0, 0, none, none));
    assertMessage(
        "nodeDepth must be between 0 and 255, got 256",
        () -> new Blake2bParameters(64, none, 1, 1, 0, 0, 0, 256, 0, none, none));
    assertMessage(
        "innerLength must be between 0 and 64, got 65",
        () -> new Blake2bParameters(64, none, 1, 1, 0, 0, 0, 0, 65, none, none));
    assertThrows(NullPointerException.class, () -> Blake2bParameters.keyed(64, null));
    assertThrows(
        NullPointerException.class, () -> Blake2bParameters.ofDigestLength(64).withSalt(null));
    assertThrows(NullPointerException.class, () -> new Blake2b(null));
  }

  private static void assertMessage(String expected, Runnable action) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, action::run, expected);
    assertEquals(expected, e.getMessage());
  }
}
