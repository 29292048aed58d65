package org.sentryml.core.hashing;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * The BLAKE2b parameter block (RFC 7693 section 2.5, with the tree and BLAKE2X fields of the BLAKE2
 * paper and the BLAKE2X paper), an immutable value.
 *
 * <p>The 64-byte block, every multi-byte field little-endian:
 *
 * <pre>
 *  offset  size  field
 *       0     1  digest length (1..64)
 *       1     1  key length (0..64)
 *       2     1  fanout
 *       3     1  depth
 *       4     4  leaf length
 *       8     4  node offset (low half of BLAKE2b's 64-bit node offset)
 *      12     4  XOF digest length (BLAKE2X; the high half of BLAKE2b's node offset)
 *      16     1  node depth
 *      17     1  inner length (0..64)
 *      18    14  reserved, zero
 *      32    16  salt
 *      48    16  personalization
 * </pre>
 *
 * <p>The key itself is not part of the block, only its length; a {@link Blake2b} built from these
 * parameters processes the key, zero-padded to 128 bytes, as the first message block. An empty
 * {@code salt} or {@code personal} stands for sixteen zero bytes, and the accessors then return
 * sixteen zero bytes. Array components are copied on the way in and on the way out.
 *
 * @param digestLength length in bytes of the digest, 1 to 64
 * @param key the key, 0 to 64 bytes; empty for plain hashing
 * @param fanout the tree fanout, 0 to 255 (0 = unlimited; 1 in sequential mode)
 * @param depth the maximal tree depth, 0 to 255 (1 in sequential mode)
 * @param leafLength the maximal leaf length in bytes, an unsigned 32-bit value
 * @param nodeOffset the node offset, an unsigned 32-bit value
 * @param xofLength the BLAKE2X output length in bytes, an unsigned 32-bit value (0 outside BLAKE2X)
 * @param nodeDepth the node depth, 0 to 255
 * @param innerLength the inner hash length in bytes, 0 to 64
 * @param salt sixteen bytes, or empty for zeros
 * @param personal sixteen bytes, or empty for zeros
 */
public record Blake2bParameters(
    int digestLength,
    byte[] key,
    int fanout,
    int depth,
    long leafLength,
    long nodeOffset,
    long xofLength,
    int nodeDepth,
    int innerLength,
    byte[] salt,
    byte[] personal) {

  /** Size in bytes of the encoded parameter block. */
  public static final int BLOCK_LENGTH = 64;

  /** Largest digest, key and inner length. */
  public static final int MAX_DIGEST_LENGTH = 64;

  /** Largest key length. */
  public static final int MAX_KEY_LENGTH = 64;

  /** Length of a non-empty salt or personalization. */
  public static final int SALT_LENGTH = 16;

  private static final long UINT32_MAX = 0xFFFF_FFFFL;

  public Blake2bParameters {
    checkRange("digestLength", digestLength, 1, MAX_DIGEST_LENGTH);
    Objects.requireNonNull(key, "key must not be null; use an empty array for no key");
    if (key.length > MAX_KEY_LENGTH) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "key must be at most %d bytes long, got %d bytes",
              MAX_KEY_LENGTH,
              key.length));
    }
    checkRange("fanout", fanout, 0, 255);
    checkRange("depth", depth, 0, 255);
    checkRange("leafLength", leafLength, 0, UINT32_MAX);
    checkRange("nodeOffset", nodeOffset, 0, UINT32_MAX);
    checkRange("xofLength", xofLength, 0, UINT32_MAX);
    checkRange("nodeDepth", nodeDepth, 0, 255);
    checkRange("innerLength", innerLength, 0, MAX_DIGEST_LENGTH);
    key = key.clone();
    salt = saltLike("salt", salt);
    personal = saltLike("personal", personal);
  }

  /**
   * Parameters for plain sequential BLAKE2b (fanout 1, depth 1, every other field zero) without a
   * key.
   */
  public static Blake2bParameters ofDigestLength(int digestLength) {
    return sequential(digestLength, new byte[0]);
  }

  /** Parameters for sequential keyed BLAKE2b (a MAC); {@code key} is 0 to 64 bytes. */
  public static Blake2bParameters keyed(int digestLength, byte[] key) {
    return sequential(digestLength, key);
  }

  private static Blake2bParameters sequential(int digestLength, byte[] key) {
    return new Blake2bParameters(digestLength, key, 1, 1, 0, 0, 0, 0, 0, new byte[0], new byte[0]);
  }

  /** A copy with another salt (sixteen bytes, or empty for zeros). */
  public Blake2bParameters withSalt(byte[] newSalt) {
    return new Blake2bParameters(
        digestLength,
        key,
        fanout,
        depth,
        leafLength,
        nodeOffset,
        xofLength,
        nodeDepth,
        innerLength,
        newSalt,
        personal);
  }

  /** A copy with another personalization (sixteen bytes, or empty for zeros). */
  public Blake2bParameters withPersonal(byte[] newPersonal) {
    return new Blake2bParameters(
        digestLength,
        key,
        fanout,
        depth,
        leafLength,
        nodeOffset,
        xofLength,
        nodeDepth,
        innerLength,
        salt,
        newPersonal);
  }

  @Override
  public byte[] key() {
    return key.clone();
  }

  @Override
  public byte[] salt() {
    return salt.clone();
  }

  @Override
  public byte[] personal() {
    return personal.clone();
  }

  /** Length in bytes of the key, the value of the block's key length byte. */
  public int keyLength() {
    return key.length;
  }

  /**
   * BLAKE2b's 64-bit node offset field as a whole: {@link #nodeOffset()} in the low 32 bits and
   * {@link #xofLength()} in the high 32 bits.
   */
  public long nodeOffsetField() {
    return (xofLength << 32) | nodeOffset;
  }

  /** The 64-byte parameter block, little-endian. */
  public byte[] encode() {
    byte[] block = new byte[BLOCK_LENGTH];
    long[] words = words();
    for (int i = 0; i < words.length; i++) {
      long w = words[i];
      for (int j = 0; j < Long.BYTES; j++) {
        block[i * Long.BYTES + j] = (byte) (w >>> (8 * j));
      }
    }
    return block;
  }

  /**
   * The parameter block as eight little-endian 64-bit words, the values XORed into the BLAKE2b IV
   * to form the initial chaining value.
   */
  public long[] words() {
    long[] w = new long[8];
    w[0] =
        (digestLength & 0xFFL)
            | (key.length & 0xFFL) << 8
            | (fanout & 0xFFL) << 16
            | (depth & 0xFFL) << 24
            | leafLength << 32;
    w[1] = nodeOffsetField();
    w[2] = (nodeDepth & 0xFFL) | (innerLength & 0xFFL) << 8;
    // w[3]: reserved bytes 24..31, zero.
    w[4] = littleEndianWord(salt, 0);
    w[5] = littleEndianWord(salt, 8);
    w[6] = littleEndianWord(personal, 0);
    w[7] = littleEndianWord(personal, 8);
    return w;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Blake2bParameters p
        && digestLength == p.digestLength
        && Arrays.equals(key, p.key)
        && fanout == p.fanout
        && depth == p.depth
        && leafLength == p.leafLength
        && nodeOffset == p.nodeOffset
        && xofLength == p.xofLength
        && nodeDepth == p.nodeDepth
        && innerLength == p.innerLength
        && Arrays.equals(salt, p.salt)
        && Arrays.equals(personal, p.personal);
  }

  @Override
  public int hashCode() {
    int h =
        Objects.hash(
            digestLength, fanout, depth, leafLength, nodeOffset, xofLength, nodeDepth, innerLength);
    h = 31 * h + Arrays.hashCode(key);
    h = 31 * h + Arrays.hashCode(salt);
    return 31 * h + Arrays.hashCode(personal);
  }

  /** Describes the parameters; shows the key's length, never its bytes. */
  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "Blake2bParameters[digestLength=%d, keyLength=%d, fanout=%d, depth=%d, leafLength=%d,"
            + " nodeOffset=%d, xofLength=%d, nodeDepth=%d, innerLength=%d, salt=%s, personal=%s]",
        digestLength,
        key.length,
        fanout,
        depth,
        leafLength,
        nodeOffset,
        xofLength,
        nodeDepth,
        innerLength,
        hex(salt),
        hex(personal));
  }

  private static void checkRange(String name, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT, "%s must be between %d and %d, got %d", name, min, max, value));
    }
  }

  private static byte[] saltLike(String name, byte[] value) {
    Objects.requireNonNull(value, () -> name + " must not be null; use an empty array for zeros");
    if (value.length == 0) {
      return new byte[SALT_LENGTH];
    }
    if (value.length != SALT_LENGTH) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "%s must be %d bytes long or empty, got %d bytes",
              name,
              SALT_LENGTH,
              value.length));
    }
    return value.clone();
  }

  private static long littleEndianWord(byte[] bytes, int offset) {
    long w = 0;
    for (int j = Long.BYTES - 1; j >= 0; j--) {
      w = (w << 8) | (bytes[offset + j] & 0xFFL);
    }
    return w;
  }

  private static String hex(byte[] bytes) {
    StringBuilder sb = new StringBuilder(bytes.length * 2);
    for (byte b : bytes) {
      sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
    }
    return sb.toString();
  }
}
