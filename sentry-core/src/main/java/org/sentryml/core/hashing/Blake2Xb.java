package org.sentryml.core.hashing;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * BLAKE2Xb, the extendable-output function built on BLAKE2b (Aumasson, Neves, Wilcox-O'Hearn,
 * Winnerlein, "BLAKE2X", 2016), in its known-output-length mode.
 *
 * <p>The input is hashed by a root BLAKE2b instance (digest length 64, fanout 1, depth 1, optional
 * key) whose XOF length field holds the output length. Its 64-byte digest H0 seeds the output:
 * block {@code i} (of 64 bytes, the last one possibly shorter) is the unkeyed BLAKE2b digest of H0
 * under the parameters digest length = bytes of that block, fanout 0, depth 0, leaf length 64, node
 * offset {@code i}, XOF length = the output length, node depth 0 and inner length 64.
 *
 * <p>BLAKE2X allows outputs of up to 2<sup>32</sup>-2 bytes; since {@link #digest()} returns an
 * array, this class accepts 1 to {@link Integer#MAX_VALUE} bytes.
 */
public final class Blake2Xb implements Hasher {

  private static final int H0_LENGTH = 64;

  private final int outputLength;
  private final Blake2b root;

  /** The chaining value of output node 0 with a 64-byte digest; other nodes differ in two bytes. */
  private final long[] outputNodeState;

  private final long[] h = new long[8];
  private final long[] m = new long[16];
  private final long[] v = new long[16];
  private final byte[] block = new byte[Blake2b.BLOCK_LENGTH];

  /** Unkeyed BLAKE2Xb with {@code outputLength} bytes of output (at least 1). */
  public Blake2Xb(int outputLength) {
    this(outputLength, new byte[0]);
  }

  /**
   * Keyed BLAKE2Xb with {@code outputLength} bytes of output (at least 1) and a key of 0 to 64
   * bytes; an empty key means no key.
   */
  public Blake2Xb(int outputLength, byte[] key) {
    if (outputLength < 1) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "outputLength must be between 1 and %d, got %d",
              Integer.MAX_VALUE,
              outputLength));
    }
    Objects.requireNonNull(key, "key must not be null; use an empty array for no key");
    this.outputLength = outputLength;
    byte[] none = new byte[0];
    this.root =
        new Blake2b(
            new Blake2bParameters(H0_LENGTH, key, 1, 1, 0, 0, outputLength, 0, 0, none, none));
    this.outputNodeState =
        Blake2b.initialState(
            new Blake2bParameters(
                    H0_LENGTH, none, 0, 0, H0_LENGTH, 0, outputLength, 0, H0_LENGTH, none, none)
                .words());
  }

  /** The unkeyed BLAKE2Xb output of {@code outputLength} bytes for {@code input}. */
  public static byte[] hash(byte[] input, int outputLength) {
    Blake2Xb xof = new Blake2Xb(outputLength);
    xof.update(input);
    return xof.digest();
  }

  @Override
  public int digestLength() {
    return outputLength;
  }

  @Override
  public void update(byte input) {
    root.update(input);
  }

  @Override
  public void update(byte[] input, int offset, int length) {
    root.update(input, offset, length);
  }

  @Override
  public void update(ByteBuffer input) {
    root.update(input);
  }

  @Override
  public byte[] digest() {
    byte[] h0 = root.digest(); // also resets the root, key block included
    // The message of every output node is H0 alone: one block, zero-padded, 64 bytes counted.
    System.arraycopy(h0, 0, block, 0, H0_LENGTH);
    Arrays.fill(h0, (byte) 0);
    Blake2b.loadWords(block, 0, m);
    byte[] out = new byte[outputLength];
    long node = 0;
    // position is a long: with outputLength near Integer.MAX_VALUE, position + 64 overflows an int.
    for (long position = 0; position < outputLength; position += H0_LENGTH, node++) {
      int length = (int) Math.min(H0_LENGTH, outputLength - position);
      System.arraycopy(outputNodeState, 0, h, 0, 8);
      h[0] ^= H0_LENGTH ^ length; // digest length, byte 0 of the parameter block
      h[1] ^= node; // node offset, bytes 8..11 (zero in outputNodeState)
      Blake2b.compress(h, m, v, H0_LENGTH, 0, -1L);
      Blake2b.littleEndianBytes(h, out, (int) position, length);
    }
    Arrays.fill(block, 0, H0_LENGTH, (byte) 0);
    Arrays.fill(h, 0);
    Arrays.fill(m, 0);
    Arrays.fill(v, 0);
    return out;
  }
}
