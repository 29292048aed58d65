package org.sentryml.core.tree;

import java.security.MessageDigest;
import java.util.Arrays;
import org.sentryml.core.hashing.Blake2b;

/**
 * LtHash with 1024 lanes of 16 bits: a homomorphic multiset hash. Each element is expanded (see
 * {@link LatticeElements}) to 2048 bytes, read as little-endian uint16 lanes and added lane-wise
 * modulo 2^16, so the checksum is independent of the order elements arrive in and an element can be
 * removed again by subtraction.
 *
 * <p>Not thread-safe; combine per-thread instances with {@link #add(LtHash16)}.
 */
public final class LtHash16 {
  public static final int LANES = 1024;
  public static final int CHECKSUM_BYTES = LANES * 2;

  /** The digest name, which fixes lane width, lane count and expansion function. */
  public static final String NAME = "lthash16x1024-blake2xb";

  private final short[] lanes = new short[LANES];

  /** Adds an element given by its 2048-byte expansion. */
  public void addExpansion(byte[] expansion) {
    checkLength(expansion.length);
    for (int i = 0; i < LANES; i++) {
      lanes[i] += (short) ((expansion[2 * i] & 0xff) | (expansion[2 * i + 1] & 0xff) << 8);
    }
  }

  /** Removes an element previously added, given by its 2048-byte expansion. */
  public void removeExpansion(byte[] expansion) {
    checkLength(expansion.length);
    for (int i = 0; i < LANES; i++) {
      lanes[i] -= (short) ((expansion[2 * i] & 0xff) | (expansion[2 * i + 1] & 0xff) << 8);
    }
  }

  /** Adds every element of {@code other} (multiset union). */
  public void add(LtHash16 other) {
    for (int i = 0; i < LANES; i++) {
      lanes[i] += other.lanes[i];
    }
  }

  /** Removes every element of {@code other} (multiset difference). */
  public void remove(LtHash16 other) {
    for (int i = 0; i < LANES; i++) {
      lanes[i] -= other.lanes[i];
    }
  }

  /** The 2048-byte checksum, lanes little-endian. */
  public byte[] checksum() {
    byte[] out = new byte[CHECKSUM_BYTES];
    for (int i = 0; i < LANES; i++) {
      out[2 * i] = (byte) lanes[i];
      out[2 * i + 1] = (byte) (lanes[i] >>> 8);
    }
    return out;
  }

  public static LtHash16 fromChecksum(byte[] checksum) {
    checkLength(checksum.length);
    LtHash16 result = new LtHash16();
    result.addExpansion(checksum);
    return result;
  }

  /** The signed digest: BLAKE2b-256 of the checksum. */
  public byte[] digest() {
    Blake2b blake = Blake2b.ofDigestLength(32);
    blake.update(checksum());
    return blake.digest();
  }

  /** Constant-time comparison of two checksums. */
  public boolean sameAs(LtHash16 other) {
    return MessageDigest.isEqual(checksum(), other.checksum());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LtHash16 other && sameAs(other);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(lanes);
  }

  private static void checkLength(int length) {
    if (length != CHECKSUM_BYTES) {
      throw new IllegalArgumentException(
          "a lattice element expansion has " + CHECKSUM_BYTES + " bytes, not " + length);
    }
  }
}
