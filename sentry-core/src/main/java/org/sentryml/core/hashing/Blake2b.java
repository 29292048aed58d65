package org.sentryml.core.hashing;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * BLAKE2b (RFC 7693) with the full parameter block: digest lengths 1 to 64 bytes, keyed mode, salt,
 * personalization and the tree fields.
 *
 * <p>The compression function keeps the sixteen working words in locals, with the twelve rounds
 * written out and the message schedule resolved in the source. To stay below the JIT's 8000-byte
 * limit on the bytecode of a compiled method, rounds 0 and 1 are written once and run again as
 * rounds 10 and 11 (they use the same message permutations), by a loop that makes two passes.
 *
 * <p>Full blocks are compressed straight from the caller's array or buffer. BLAKE2 compresses the
 * last block with a finalization flag, so the last block of input, even a full one, always waits
 * in the internal buffer until {@link #digest()}.
 */
public final class Blake2b implements Hasher {

  /** Size in bytes of a message block. */
  static final int BLOCK_LENGTH = 128;

  private static final VarHandle LE_LONG_IN_ARRAY =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LE_LONG_IN_BUFFER =
      MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private static final long IV0 = 0x6a09e667f3bcc908L;
  private static final long IV1 = 0xbb67ae8584caa73bL;
  private static final long IV2 = 0x3c6ef372fe94f82bL;
  private static final long IV3 = 0xa54ff53a5f1d36f1L;
  private static final long IV4 = 0x510e527fade682d1L;
  private static final long IV5 = 0x9b05688c2b3e6c1fL;
  private static final long IV6 = 0x1f83d9abfb41bd6bL;
  private static final long IV7 = 0x5be0cd19137e2179L;

  /** The finalization flag word f0 of the last block. */
  private static final long LAST_BLOCK = -1L;

  private final int digestLength;
  /** The chaining value before any input: IV XOR parameter block. */
  private final long[] initialState;
  /** The key zero-padded to a block, or null without a key. */
  private final byte[] keyBlock;

  private final long[] h = new long[8];
  private final byte[] buffer = new byte[BLOCK_LENGTH];
  private int bufferLength;
  /** The 128-bit count of bytes compressed so far, low and high words. */
  private long counterLow;

  private long counterHigh;

  public Blake2b(Blake2bParameters parameters) {
    Objects.requireNonNull(parameters, "parameters");
    this.digestLength = parameters.digestLength();
    this.initialState = initialState(parameters.words());
    byte[] key = parameters.key();
    if (key.length > 0) {
      keyBlock = Arrays.copyOf(key, BLOCK_LENGTH);
      Arrays.fill(key, (byte) 0);
    } else {
      keyBlock = null;
    }
    reset();
  }

  /** Unkeyed sequential BLAKE2b with a digest of {@code digestLength} bytes (1 to 64). */
  public static Blake2b ofDigestLength(int digestLength) {
    return new Blake2b(Blake2bParameters.ofDigestLength(digestLength));
  }

  /** IV XOR the eight parameter words. */
  static long[] initialState(long[] parameterWords) {
    return new long[] {
      IV0 ^ parameterWords[0],
      IV1 ^ parameterWords[1],
      IV2 ^ parameterWords[2],
      IV3 ^ parameterWords[3],
      IV4 ^ parameterWords[4],
      IV5 ^ parameterWords[5],
      IV6 ^ parameterWords[6],
      IV7 ^ parameterWords[7]
    };
  }

  @Override
  public int digestLength() {
    return digestLength;
  }

  @Override
  public void update(byte input) {
    if (bufferLength == BLOCK_LENGTH) {
      countBlock();
      compress(h, buffer, 0, counterLow, counterHigh, 0L);
      bufferLength = 0;
    }
    buffer[bufferLength++] = input;
  }

  @Override
  public void update(byte[] input, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, input.length);
    int free = BLOCK_LENGTH - bufferLength;
    if (length > free) {
      // More input follows whatever completes the buffer, so the buffered block is not the last.
      if (bufferLength > 0) {
        System.arraycopy(input, offset, buffer, bufferLength, free);
        offset += free;
        length -= free;
        countBlock();
        compress(h, buffer, 0, counterLow, counterHigh, 0L);
        bufferLength = 0;
      }
      while (length > BLOCK_LENGTH) {
        countBlock();
        compress(h, input, offset, counterLow, counterHigh, 0L);
        offset += BLOCK_LENGTH;
        length -= BLOCK_LENGTH;
      }
    }
    System.arraycopy(input, offset, buffer, bufferLength, length);
    bufferLength += length;
  }

  @Override
  public void update(ByteBuffer input) {
    if (input.hasArray()) {
      int position = input.position();
      int length = input.remaining();
      update(input.array(), input.arrayOffset() + position, length);
      input.position(position + length);
      return;
    }
    // Direct, mapped or read-only buffers: read the words in place with absolute gets.
    int position = input.position();
    int length = input.limit() - position;
    int free = BLOCK_LENGTH - bufferLength;
    if (length > free) {
      if (bufferLength > 0) {
        input.get(position, buffer, bufferLength, free);
        position += free;
        length -= free;
        countBlock();
        compress(h, buffer, 0, counterLow, counterHigh, 0L);
        bufferLength = 0;
      }
      while (length > BLOCK_LENGTH) {
        countBlock();
        compress(h, input, position, counterLow, counterHigh, 0L);
        position += BLOCK_LENGTH;
        length -= BLOCK_LENGTH;
      }
    }
    input.get(position, buffer, bufferLength, length);
    bufferLength += length;
    input.position(position + length);
  }

  @Override
  public byte[] digest() {
    long low = counterLow + bufferLength;
    long high = counterHigh;
    if (Long.compareUnsigned(low, bufferLength) < 0) {
      high++;
    }
    Arrays.fill(buffer, bufferLength, BLOCK_LENGTH, (byte) 0);
    compress(h, buffer, 0, low, high, LAST_BLOCK);
    byte[] out = new byte[digestLength];
    littleEndianBytes(h, out, 0, digestLength);
    reset();
    return out;
  }

  /** Back to the state before any input; in keyed mode the key block is buffered again. */
  private void reset() {
    System.arraycopy(initialState, 0, h, 0, 8);
    counterLow = 0;
    counterHigh = 0;
    if (keyBlock != null) {
      System.arraycopy(keyBlock, 0, buffer, 0, BLOCK_LENGTH);
      bufferLength = BLOCK_LENGTH;
    } else {
      bufferLength = 0;
    }
  }

  private void countBlock() {
    counterLow += BLOCK_LENGTH;
    if (Long.compareUnsigned(counterLow, BLOCK_LENGTH) < 0) {
      counterHigh++;
    }
  }

  /** Writes the first {@code length} bytes of the little-endian encoding of {@code words}. */
  static void littleEndianBytes(long[] words, byte[] out, int offset, int length) {
    for (int i = 0; i < length; i++) {
      out[offset + i] = (byte) (words[i >>> 3] >>> ((i & 7) << 3));
    }
  }

  /** Compresses the block at {@code offset} of {@code block} into the chaining value {@code h}. */
  static void compress(long[] h, byte[] block, int offset, long t0, long t1, long f0) {
    Objects.checkFromIndexSize(offset, BLOCK_LENGTH, block.length);
    compress(
        h,
        t0,
        t1,
        f0,
        (long) LE_LONG_IN_ARRAY.get(block, offset),
        (long) LE_LONG_IN_ARRAY.get(block, offset + 8),
        (long) LE_LONG_IN_ARRAY.get(block, offset + 16),
        (long) LE_LONG_IN_ARRAY.get(block, offset + 24),
        (long) LE_LONG_IN_ARRAY.get(block, offset + 32),
        (long) LE_LONG_IN_ARRAY.get(block, offset + 40),
        (long) LE_LONG_IN_ARRAY.get(block, offset + 48),
        (long) LE_LONG_IN_ARRAY.get(block, offset + 56),
        (long) LE_LONG_IN_ARRAY.get(block, offset + 64),
        (long) LE_LONG_IN_ARRAY.get(block, offset + 72),
        (long) LE_LONG_IN_ARRAY.get(block, offset + 80),
        (long) LE_LONG_IN_ARRAY.get(block, offset + 88),
        (long) LE_LONG_IN_ARRAY.get(block, offset + 96),
        (long) LE_LONG_IN_ARRAY.get(block, offset + 104),
        (long) LE_LONG_IN_ARRAY.get(block, offset + 112),
        (long) LE_LONG_IN_ARRAY.get(block, offset + 120));
  }

  /** Compresses the block at absolute {@code index} of {@code block} into {@code h}. */
  private static void compress(long[] h, ByteBuffer block, int index, long t0, long t1, long f0) {
    compress(
        h,
        t0,
        t1,
        f0,
        (long) LE_LONG_IN_BUFFER.get(block, index),
        (long) LE_LONG_IN_BUFFER.get(block, index + 8),
        (long) LE_LONG_IN_BUFFER.get(block, index + 16),
        (long) LE_LONG_IN_BUFFER.get(block, index + 24),
        (long) LE_LONG_IN_BUFFER.get(block, index + 32),
        (long) LE_LONG_IN_BUFFER.get(block, index + 40),
        (long) LE_LONG_IN_BUFFER.get(block, index + 48),
        (long) LE_LONG_IN_BUFFER.get(block, index + 56),
        (long) LE_LONG_IN_BUFFER.get(block, index + 64),
        (long) LE_LONG_IN_BUFFER.get(block, index + 72),
        (long) LE_LONG_IN_BUFFER.get(block, index + 80),
        (long) LE_LONG_IN_BUFFER.get(block, index + 88),
        (long) LE_LONG_IN_BUFFER.get(block, index + 96),
        (long) LE_LONG_IN_BUFFER.get(block, index + 104),
        (long) LE_LONG_IN_BUFFER.get(block, index + 112),
        (long) LE_LONG_IN_BUFFER.get(block, index + 120));
  }

  /**
   * The BLAKE2b compression function F over message words {@code m0..m15}, with the byte counter
   * {@code t1:t0} and finalization flag {@code f0} (the last-node flag f1 is always zero here).
   */
  private static void compress(
      long[] h,
      long t0,
      long t1,
      long f0,
      long m0,
      long m1,
      long m2,
      long m3,
      long m4,
      long m5,
      long m6,
      long m7,
      long m8,
      long m9,
      long m10,
      long m11,
      long m12,
      long m13,
      long m14,
      long m15) {
    long h0 = h[0];
    long h1 = h[1];
    long h2 = h[2];
    long h3 = h[3];
    long h4 = h[4];
    long h5 = h[5];
    long h6 = h[6];
    long h7 = h[7];
    long v0 = h0;
    long v1 = h1;
    long v2 = h2;
    long v3 = h3;
    long v4 = h4;
    long v5 = h5;
    long v6 = h6;
    long v7 = h7;
    long v8 = IV0;
    long v9 = IV1;
    long v10 = IV2;
    long v11 = IV3;
    long v12 = IV4 ^ t0;
    long v13 = IV5 ^ t1;
    long v14 = IV6 ^ f0;
    long v15 = IV7;
    // Pass 0 runs rounds 0 to 9; pass 1 runs rounds 10 and 11, which repeat rounds 0 and 1.
    for (int pass = 0; ; pass++) {
      // round 0 (and 10)
      v0 += v4 + m0; v12 = Long.rotateRight(v12 ^ v0, 32);
      v8 += v12; v4 = Long.rotateRight(v4 ^ v8, 24);
      v0 += v4 + m1; v12 = Long.rotateRight(v12 ^ v0, 16);
      v8 += v12; v4 = Long.rotateRight(v4 ^ v8, 63);
      v1 += v5 + m2; v13 = Long.rotateRight(v13 ^ v1, 32);
      v9 += v13; v5 = Long.rotateRight(v5 ^ v9, 24);
      v1 += v5 + m3; v13 = Long.rotateRight(v13 ^ v1, 16);
      v9 += v13; v5 = Long.rotateRight(v5 ^ v9, 63);
      v2 += v6 + m4; v14 = Long.rotateRight(v14 ^ v2, 32);
      v10 += v14; v6 = Long.rotateRight(v6 ^ v10, 24);
      v2 += v6 + m5; v14 = Long.rotateRight(v14 ^ v2, 16);
      v10 += v14; v6 = Long.rotateRight(v6 ^ v10, 63);
      v3 += v7 + m6; v15 = Long.rotateRight(v15 ^ v3, 32);
      v11 += v15; v7 = Long.rotateRight(v7 ^ v11, 24);
      v3 += v7 + m7; v15 = Long.rotateRight(v15 ^ v3, 16);
      v11 += v15; v7 = Long.rotateRight(v7 ^ v11, 63);
      v0 += v5 + m8; v15 = Long.rotateRight(v15 ^ v0, 32);
      v10 += v15; v5 = Long.rotateRight(v5 ^ v10, 24);
      v0 += v5 + m9; v15 = Long.rotateRight(v15 ^ v0, 16);
      v10 += v15; v5 = Long.rotateRight(v5 ^ v10, 63);
      v1 += v6 + m10; v12 = Long.rotateRight(v12 ^ v1, 32);
      v11 += v12; v6 = Long.rotateRight(v6 ^ v11, 24);
      v1 += v6 + m11; v12 = Long.rotateRight(v12 ^ v1, 16);
      v11 += v12; v6 = Long.rotateRight(v6 ^ v11, 63);
      v2 += v7 + m12; v13 = Long.rotateRight(v13 ^ v2, 32);
      v8 += v13; v7 = Long.rotateRight(v7 ^ v8, 24);
      v2 += v7 + m13; v13 = Long.rotateRight(v13 ^ v2, 16);
      v8 += v13; v7 = Long.rotateRight(v7 ^ v8, 63);
      v3 += v4 + m14; v14 = Long.rotateRight(v14 ^ v3, 32);
      v9 += v14; v4 = Long.rotateRight(v4 ^ v9, 24);
      v3 += v4 + m15; v14 = Long.rotateRight(v14 ^ v3, 16);
      v9 += v14; v4 = Long.rotateRight(v4 ^ v9, 63);
      // round 1 (and 11)
      v0 += v4 + m14; v12 = Long.rotateRight(v12 ^ v0, 32);
      v8 += v12; v4 = Long.rotateRight(v4 ^ v8, 24);
      v0 += v4 + m10; v12 = Long.rotateRight(v12 ^ v0, 16);
      v8 += v12; v4 = Long.rotateRight(v4 ^ v8, 63);
      v1 += v5 + m4; v13 = Long.rotateRight(v13 ^ v1, 32);
      v9 += v13; v5 = Long.rotateRight(v5 ^ v9, 24);
      v1 += v5 + m8; v13 = Long.rotateRight(v13 ^ v1, 16);
      v9 += v13; v5 = Long.rotateRight(v5 ^ v9, 63);
      v2 += v6 + m9; v14 = Long.rotateRight(v14 ^ v2, 32);
      v10 += v14; v6 = Long.rotateRight(v6 ^ v10, 24);
      v2 += v6 + m15; v14 = Long.rotateRight(v14 ^ v2, 16);
      v10 += v14; v6 = Long.rotateRight(v6 ^ v10, 63);
      v3 += v7 + m13; v15 = Long.rotateRight(v15 ^ v3, 32);
      v11 += v15; v7 = Long.rotateRight(v7 ^ v11, 24);
      v3 += v7 + m6; v15 = Long.rotateRight(v15 ^ v3, 16);
      v11 += v15; v7 = Long.rotateRight(v7 ^ v11, 63);
      v0 += v5 + m1; v15 = Long.rotateRight(v15 ^ v0, 32);
      v10 += v15; v5 = Long.rotateRight(v5 ^ v10, 24);
      v0 += v5 + m12; v15 = Long.rotateRight(v15 ^ v0, 16);
      v10 += v15; v5 = Long.rotateRight(v5 ^ v10, 63);
      v1 += v6 + m0; v12 = Long.rotateRight(v12 ^ v1, 32);
      v11 += v12; v6 = Long.rotateRight(v6 ^ v11, 24);
      v1 += v6 + m2; v12 = Long.rotateRight(v12 ^ v1, 16);
      v11 += v12; v6 = Long.rotateRight(v6 ^ v11, 63);
      v2 += v7 + m11; v13 = Long.rotateRight(v13 ^ v2, 32);
      v8 += v13; v7 = Long.rotateRight(v7 ^ v8, 24);
      v2 += v7 + m7; v13 = Long.rotateRight(v13 ^ v2, 16);
      v8 += v13; v7 = Long.rotateRight(v7 ^ v8, 63);
      v3 += v4 + m5; v14 = Long.rotateRight(v14 ^ v3, 32);
      v9 += v14; v4 = Long.rotateRight(v4 ^ v9, 24);
      v3 += v4 + m3; v14 = Long.rotateRight(v14 ^ v3, 16);
      v9 += v14; v4 = Long.rotateRight(v4 ^ v9, 63);
      if (pass != 0) {
        break;
      }
      // round 2
      v0 += v4 + m11; v12 = Long.rotateRight(v12 ^ v0, 32);
      v8 += v12; v4 = Long.rotateRight(v4 ^ v8, 24);
      v0 += v4 + m8; v12 = Long.rotateRight(v12 ^ v0, 16);
      v8 += v12; v4 = Long.rotateRight(v4 ^ v8, 63);
      v1 += v5 + m12; v13 = Long.rotateRight(v13 ^ v1, 32);
      v9 += v13; v5 = Long.rotateRight(v5 ^ v9, 24);
      v1 += v5 + m0; v13 = Long.rotateRight(v13 ^ v1, 16);
      v9 += v13; v5 = Long.rotateRight(v5 ^ v9, 63);
      v2 += v6 + m5; v14 = Long.rotateRight(v14 ^ v2, 32);
      v10 += v14; v6 = Long.rotateRight(v6 ^ v10, 24);
      v2 += v6 + m2; v14 = Long.rotateRight(v14 ^ v2, 16);
      v10 += v14; v6 = Long.rotateRight(v6 ^ v10, 63);
      v3 += v7 + m15; v15 = Long.rotateRight(v15 ^ v3, 32);
      v11 += v15; v7 = Long.rotateRight(v7 ^ v11, 24);
      v3 += v7 + m13; v15 = Long.rotateRight(v15 ^ v3, 16);
      v11 += v15; v7 = Long.rotateRight(v7 ^ v11, 63);
      v0 += v5 + m10; v15 = Long.rotateRight(v15 ^ v0, 32);
      v10 += v15; v5 = Long.rotateRight(v5 ^ v10, 24);
      v0 += v5 + m14; v15 = Long.rotateRight(v15 ^ v0, 16);
      v10 += v15; v5 = Long.rotateRight(v5 ^ v10, 63);
      v1 += v6 + m3; v12 = Long.rotateRight(v12 ^ v1, 32);
      v11 += v12; v6 = Long.rotateRight(v6 ^ v11, 24);
      v1 += v6 + m6; v12 = Long.rotateRight(v12 ^ v1, 16);
      v11 += v12; v6 = Long.rotateRight(v6 ^ v11, 63);
      v2 += v7 + m7; v13 = Long.rotateRight(v13 ^ v2, 32);
      v8 += v13; v7 = Long.rotateRight(v7 ^ v8, 24);
      v2 += v7 + m1; v13 = Long.rotateRight(v13 ^ v2, 16);
      v8 += v13; v7 = Long.rotateRight(v7 ^ v8, 63);
      v3 += v4 + m9; v14 = Long.rotateRight(v14 ^ v3, 32);
      v9 += v14; v4 = Long.rotateRight(v4 ^ v9, 24);
      v3 += v4 + m4; v14 = Long.rotateRight(v14 ^ v3, 16);
      v9 += v14; v4 = Long.rotateRight(v4 ^ v9, 63);
      // round 3
      v0 += v4 + m7; v12 = Long.rotateRight(v12 ^ v0, 32);
      v8 += v12; v4 = Long.rotateRight(v4 ^ v8, 24);
      v0 += v4 + m9; v12 = Long.rotateRight(v12 ^ v0, 16);
      v8 += v12; v4 = Long.rotateRight(v4 ^ v8, 63);
      v1 += v5 + m3; v13 = Long.rotateRight(v13 ^ v1, 32);
      v9 += v13; v5 = Long.rotateRight(v5 ^ v9, 24);
      v1 += v5 + m1; v13 = Long.rotateRight(v13 ^ v1, 16);
      v9 += v13; v5 = Long.rotateRight(v5 ^ v9, 63);
      v2 += v6 + m13; v14 = Long.rotateRight(v14 ^ v2, 32);
      v10 += v14; v6 = Long.rotateRight(v6 ^ v10, 24);
      v2 += v6 + m12; v14 = Long.rotateRight(v14 ^ v2, 16);
      v10 += v14; v6 = Long.rotateRight(v6 ^ v10, 63);
      v3 += v7 + m11; v15 = Long.rotateRight(v15 ^ v3, 32);
      v11 += v15; v7 = Long.rotateRight(v7 ^ v11, 24);
      v3 += v7 + m14; v15 = Long.rotateRight(v15 ^ v3, 16);
      v11 += v15; v7 = Long.rotateRight(v7 ^ v11, 63);
      v0 += v5 + m2; v15 = Long.rotateRight(v15 ^ v0, 32);
      v10 += v15; v5 = Long.rotateRight(v5 ^ v10, 24);
      v0 += v5 + m6; v15 = Long.rotateRight(v15 ^ v0, 16);
      v10 += v15; v5 = Long.rotateRight(v5 ^ v10, 63);
      v1 += v6 + m5; v12 = Long.rotateRight(v12 ^ v1, 32);
      v11 += v12; v6 = Long.rotateRight(v6 ^ v11, 24);
      v1 += v6 + m10; v12 = Long.rotateRight(v12 ^ v1, 16);
      v11 += v12; v6 = Long.rotateRight(v6 ^ v11, 63);
      v2 += v7 + m4; v13 = Long.rotateRight(v13 ^ v2, 32);
      v8 += v13; v7 = Long.rotateRight(v7 ^ v8, 24);
      v2 += v7 + m0; v13 = Long.rotateRight(v13 ^ v2, 16);
      v8 += v13; v7 = Long.rotateRight(v7 ^ v8, 63);
      v3 += v4 + m15; v14 = Long.rotateRight(v14 ^ v3, 32);
      v9 += v14; v4 = Long.rotateRight(v4 ^ v9, 24);
      v3 += v4 + m8; v14 = Long.rotateRight(v14 ^ v3, 16);
      v9 += v14; v4 = Long.rotateRight(v4 ^ v9, 63);
      // round 4
      v0 += v4 + m9; v12 = Long.rotateRight(v12 ^ v0, 32);
      v8 += v12; v4 = Long.rotateRight(v4 ^ v8, 24);
      v0 += v4 + m0; v12 = Long.rotateRight(v12 ^ v0, 16);
      v8 += v12; v4 = Long.rotateRight(v4 ^ v8, 63);
      v1 += v5 + m5; v13 = Long.rotateRight(v13 ^ v1, 32);
      v9 += v13; v5 = Long.rotateRight(v5 ^ v9, 24);
      v1 += v5 + m7; v13 = Long.rotateRight(v13 ^ v1, 16);
      v9 += v13; v5 = Long.rotateRight(v5 ^ v9, 63);
      v2 += v6 + m2; v14 = Long.rotateRight(v14 ^ v2, 32);
      v10 += v14; v6 = Long.rotateRight(v6 ^ v10, 24);
      v2 += v6 + m4; v14 = Long.rotateRight(v14 ^ v2, 16);
      v10 += v14; v6 = Long.rotateRight(v6 ^ v10, 63);
      v3 += v7 + m10; v15 = Long.rotateRight(v15 ^ v3, 32);
      v11 += v15; v7 = Long.rotateRight(v7 ^ v11, 24);
      v3 += v7 + m15; v15 = Long.rotateRight(v15 ^ v3, 16);
      v11 += v15; v7 = Long.rotateRight(v7 ^ v11, 63);
      v0 += v5 + m14; v15 = Long.rotateRight(v15 ^ v0, 32);
      v10 += v15; v5 = Long.rotateRight(v5 ^ v10, 24);
      v0 += v5 + m1; v15 = Long.rotateRight(v15 ^ v0, 16);
      v10 += v15; v5 = Long.rotateRight(v5 ^ v10, 63);
      v1 += v6 + m11; v12 = Long.rotateRight(v12 ^ v1, 32);
      v11 += v12; v6 = Long.rotateRight(v6 ^ v11, 24);
      v1 += v6 + m12; v12 = Long.rotateRight(v12 ^ v1, 16);
      v11 += v12; v6 = Long.rotateRight(v6 ^ v11, 63);
      v2 += v7 + m6; v13 = Long.rotateRight(v13 ^ v2, 32);
      v8 += v13; v7 = Long.rotateRight(v7 ^ v8, 24);
      v2 += v7 + m8; v13 = Long.rotateRight(v13 ^ v2, 16);
      v8 += v13; v7 = Long.rotateRight(v7 ^ v8, 63);
      v3 += v4 + m3; v14 = Long.rotateRight(v14 ^ v3, 32);
      v9 += v14; v4 = Long.rotateRight(v4 ^ v9, 24);
      v3 += v4 + m13; v14 = Long.rotateRight(v14 ^ v3, 16);
      v9 += v14; v4 = Long.rotateRight(v4 ^ v9, 63);
      // round 5
      v0 += v4 + m2; v12 = Long.rotateRight(v12 ^ v0, 32);
      v8 += v12; v4 = Long.rotateRight(v4 ^ v8, 24);
      v0 += v4 + m12; v12 = Long.rotateRight(v12 ^ v0, 16);
      v8 += v12; v4 = Long.rotateRight(v4 ^ v8, 63);
      v1 += v5 + m6; v13 = Long.rotateRight(v13 ^ v1, 32);
      v9 += v13; v5 = Long.rotateRight(v5 ^ v9, 24);
      v1 += v5 + m10; v13 = Long.rotateRight(v13 ^ v1, 16);
      v9 += v13; v5 = Long.rotateRight(v5 ^ v9, 63);
      v2 += v6 + m0; v14 = Long.rotateRight(v14 ^ v2, 32);
      v10 += v14; v6 = Long.rotateRight(v6 ^ v10, 24);
      v2 += v6 + m11; v14 = Long.rotateRight(v14 ^ v2, 16);
      v10 += v14; v6 = Long.rotateRight(v6 ^ v10, 63);
      v3 += v7 + m8; v15 = Long.rotateRight(v15 ^ v3, 32);
      v11 += v15; v7 = Long.rotateRight(v7 ^ v11, 24);
      v3 += v7 + m3; v15 = Long.rotateRight(v15 ^ v3, 16);
      v11 += v15; v7 = Long.rotateRight(v7 ^ v11, 63);
      v0 += v5 + m4; v15 = Long.rotateRight(v15 ^ v0, 32);
      v10 += v15; v5 = Long.rotateRight(v5 ^ v10, 24);
      v0 += v5 + m13; v15 = Long.rotateRight(v15 ^ v0, 16);
      v10 += v15; v5 = Long.rotateRight(v5 ^ v10, 63);
      v1 += v6 + m7; v12 = Long.rotateRight(v12 ^ v1, 32);
      v11 += v12; v6 = Long.rotateRight(v6 ^ v11, 24);
      v1 += v6 + m5; v12 = Long.rotateRight(v12 ^ v1, 16);
      v11 += v12; v6 = Long.rotateRight(v6 ^ v11, 63);
      v2 += v7 + m15; v13 = Long.rotateRight(v13 ^ v2, 32);
      v8 += v13; v7 = Long.rotateRight(v7 ^ v8, 24);
      v2 += v7 + m14; v13 = Long.rotateRight(v13 ^ v2, 16);
      v8 += v13; v7 = Long.rotateRight(v7 ^ v8, 63);
      v3 += v4 + m1; v14 = Long.rotateRight(v14 ^ v3, 32);
      v9 += v14; v4 = Long.rotateRight(v4 ^ v9, 24);
      v3 += v4 + m9; v14 = Long.rotateRight(v14 ^ v3, 16);
      v9 += v14; v4 = Long.rotateRight(v4 ^ v9, 63);
      // round 6
      v0 += v4 + m12; v12 = Long.rotateRight(v12 ^ v0, 32);
      v8 += v12; v4 = Long.rotateRight(v4 ^ v8, 24);
      v0 += v4 + m5; v12 = Long.rotateRight(v12 ^ v0, 16);
      v8 += v12; v4 = Long.rotateRight(v4 ^ v8, 63);
      v1 += v5 + m1; v13 = Long.rotateRight(v13 ^ v1, 32);
      v9 += v13; v5 = Long.rotateRight(v5 ^ v9, 24);
      v1 += v5 + m15; v13 = Long.rotateRight(v13 ^ v1, 16);
      v9 += v13; v5 = Long.rotateRight(v5 ^ v9, 63);
      v2 += v6 + m14; v14 = Long.rotateRight(v14 ^ v2, 32);
      v10 += v14; v6 = Long.rotateRight(v6 ^ v10, 24);
      v2 += v6 + m13; v14 = Long.rotateRight(v14 ^ v2, 16);
      v10 += v14; v6 = Long.rotateRight(v6 ^ v10, 63);
      v3 += v7 + m4; v15 = Long.rotateRight(v15 ^ v3, 32);
      v11 += v15; v7 = Long.rotateRight(v7 ^ v11, 24);
      v3 += v7 + m10; v15 = Long.rotateRight(v15 ^ v3, 16);
      v11 += v15; v7 = Long.rotateRight(v7 ^ v11, 63);
      v0 += v5 + m0; v15 = Long.rotateRight(v15 ^ v0, 32);
      v10 += v15; v5 = Long.rotateRight(v5 ^ v10, 24);
      v0 += v5 + m7; v15 = Long.rotateRight(v15 ^ v0, 16);
      v10 += v15; v5 = Long.rotateRight(v5 ^ v10, 63);
      v1 += v6 + m6; v12 = Long.rotateRight(v12 ^ v1, 32);
      v11 += v12; v6 = Long.rotateRight(v6 ^ v11, 24);
      v1 += v6 + m3; v12 = Long.rotateRight(v12 ^ v1, 16);
      v11 += v12; v6 = Long.rotateRight(v6 ^ v11, 63);
      v2 += v7 + m9; v13 = Long.rotateRight(v13 ^ v2, 32);
      v8 += v13; v7 = Long.rotateRight(v7 ^ v8, 24);
      v2 += v7 + m2; v13 = Long.rotateRight(v13 ^ v2, 16);
      v8 += v13; v7 = Long.rotateRight(v7 ^ v8, 63);
      v3 += v4 + m8; v14 = Long.rotateRight(v14 ^ v3, 32);
      v9 += v14; v4 = Long.rotateRight(v4 ^ v9, 24);
      v3 += v4 + m11; v14 = Long.rotateRight(v14 ^ v3, 16);
      v9 += v14; v4 = Long.rotateRight(v4 ^ v9, 63);
      // round 7
      v0 += v4 + m13; v12 = Long.rotateRight(v12 ^ v0, 32);
      v8 += v12; v4 = Long.rotateRight(v4 ^ v8, 24);
      v0 += v4 + m11; v12 = Long.rotateRight(v12 ^ v0, 16);
      v8 += v12; v4 = Long.rotateRight(v4 ^ v8, 63);
      v1 += v5 + m7; v13 = Long.rotateRight(v13 ^ v1, 32);
      v9 += v13; v5 = Long.rotateRight(v5 ^ v9, 24);
      v1 += v5 + m14; v13 = Long.rotateRight(v13 ^ v1, 16);
      v9 += v13; v5 = Long.rotateRight(v5 ^ v9, 63);
      v2 += v6 + m12; v14 = Long.rotateRight(v14 ^ v2, 32);
      v10 += v14; v6 = Long.rotateRight(v6 ^ v10, 24);
      v2 += v6 + m1; v14 = Long.rotateRight(v14 ^ v2, 16);
      v10 += v14; v6 = Long.rotateRight(v6 ^ v10, 63);
      v3 += v7 + m3; v15 = Long.rotateRight(v15 ^ v3, 32);
      v11 += v15; v7 = Long.rotateRight(v7 ^ v11, 24);
      v3 += v7 + m9; v15 = Long.rotateRight(v15 ^ v3, 16);
      v11 += v15; v7 = Long.rotateRight(v7 ^ v11, 63);
      v0 += v5 + m5; v15 = Long.rotateRight(v15 ^ v0, 32);
      v10 += v15; v5 = Long.rotateRight(v5 ^ v10, 24);
      v0 += v5 + m0; v15 = Long.rotateRight(v15 ^ v0, 16);
      v10 += v15; v5 = Long.rotateRight(v5 ^ v10, 63);
      v1 += v6 + m15; v12 = Long.rotateRight(v12 ^ v1, 32);
      v11 += v12; v6 = Long.rotateRight(v6 ^ v11, 24);
      v1 += v6 + m4; v12 = Long.rotateRight(v12 ^ v1, 16);
      v11 += v12; v6 = Long.rotateRight(v6 ^ v11, 63);
      v2 += v7 + m8; v13 = Long.rotateRight(v13 ^ v2, 32);
      v8 += v13; v7 = Long.rotateRight(v7 ^ v8, 24);
      v2 += v7 + m6; v13 = Long.rotateRight(v13 ^ v2, 16);
      v8 += v13; v7 = Long.rotateRight(v7 ^ v8, 63);
      v3 += v4 + m2; v14 = Long.rotateRight(v14 ^ v3, 32);
      v9 += v14; v4 = Long.rotateRight(v4 ^ v9, 24);
      v3 += v4 + m10; v14 = Long.rotateRight(v14 ^ v3, 16);
      v9 += v14; v4 = Long.rotateRight(v4 ^ v9, 63);
      // round 8
      v0 += v4 + m6; v12 = Long.rotateRight(v12 ^ v0, 32);
      v8 += v12; v4 = Long.rotateRight(v4 ^ v8, 24);
      v0 += v4 + m15; v12 = Long.rotateRight(v12 ^ v0, 16);
      v8 += v12; v4 = Long.rotateRight(v4 ^ v8, 63);
      v1 += v5 + m14; v13 = Long.rotateRight(v13 ^ v1, 32);
      v9 += v13; v5 = Long.rotateRight(v5 ^ v9, 24);
      v1 += v5 + m9; v13 = Long.rotateRight(v13 ^ v1, 16);
      v9 += v13; v5 = Long.rotateRight(v5 ^ v9, 63);
      v2 += v6 + m11; v14 = Long.rotateRight(v14 ^ v2, 32);
      v10 += v14; v6 = Long.rotateRight(v6 ^ v10, 24);
      v2 += v6 + m3; v14 = Long.rotateRight(v14 ^ v2, 16);
      v10 += v14; v6 = Long.rotateRight(v6 ^ v10, 63);
      v3 += v7 + m0; v15 = Long.rotateRight(v15 ^ v3, 32);
      v11 += v15; v7 = Long.rotateRight(v7 ^ v11, 24);
      v3 += v7 + m8; v15 = Long.rotateRight(v15 ^ v3, 16);
      v11 += v15; v7 = Long.rotateRight(v7 ^ v11, 63);
      v0 += v5 + m12; v15 = Long.rotateRight(v15 ^ v0, 32);
      v10 += v15; v5 = Long.rotateRight(v5 ^ v10, 24);
      v0 += v5 + m2; v15 = Long.rotateRight(v15 ^ v0, 16);
      v10 += v15; v5 = Long.rotateRight(v5 ^ v10, 63);
      v1 += v6 + m13; v12 = Long.rotateRight(v12 ^ v1, 32);
      v11 += v12; v6 = Long.rotateRight(v6 ^ v11, 24);
      v1 += v6 + m7; v12 = Long.rotateRight(v12 ^ v1, 16);
      v11 += v12; v6 = Long.rotateRight(v6 ^ v11, 63);
      v2 += v7 + m1; v13 = Long.rotateRight(v13 ^ v2, 32);
      v8 += v13; v7 = Long.rotateRight(v7 ^ v8, 24);
      v2 += v7 + m4; v13 = Long.rotateRight(v13 ^ v2, 16);
      v8 += v13; v7 = Long.rotateRight(v7 ^ v8, 63);
      v3 += v4 + m10; v14 = Long.rotateRight(v14 ^ v3, 32);
      v9 += v14; v4 = Long.rotateRight(v4 ^ v9, 24);
      v3 += v4 + m5; v14 = Long.rotateRight(v14 ^ v3, 16);
      v9 += v14; v4 = Long.rotateRight(v4 ^ v9, 63);
      // round 9
      v0 += v4 + m10; v12 = Long.rotateRight(v12 ^ v0, 32);
      v8 += v12; v4 = Long.rotateRight(v4 ^ v8, 24);
      v0 += v4 + m2; v12 = Long.rotateRight(v12 ^ v0, 16);
      v8 += v12; v4 = Long.rotateRight(v4 ^ v8, 63);
      v1 += v5 + m8; v13 = Long.rotateRight(v13 ^ v1, 32);
      v9 += v13; v5 = Long.rotateRight(v5 ^ v9, 24);
      v1 += v5 + m4; v13 = Long.rotateRight(v13 ^ v1, 16);
      v9 += v13; v5 = Long.rotateRight(v5 ^ v9, 63);
      v2 += v6 + m7; v14 = Long.rotateRight(v14 ^ v2, 32);
      v10 += v14; v6 = Long.rotateRight(v6 ^ v10, 24);
      v2 += v6 + m6; v14 = Long.rotateRight(v14 ^ v2, 16);
      v10 += v14; v6 = Long.rotateRight(v6 ^ v10, 63);
      v3 += v7 + m1; v15 = Long.rotateRight(v15 ^ v3, 32);
      v11 += v15; v7 = Long.rotateRight(v7 ^ v11, 24);
      v3 += v7 + m5; v15 = Long.rotateRight(v15 ^ v3, 16);
      v11 += v15; v7 = Long.rotateRight(v7 ^ v11, 63);
      v0 += v5 + m15; v15 = Long.rotateRight(v15 ^ v0, 32);
      v10 += v15; v5 = Long.rotateRight(v5 ^ v10, 24);
      v0 += v5 + m11; v15 = Long.rotateRight(v15 ^ v0, 16);
      v10 += v15; v5 = Long.rotateRight(v5 ^ v10, 63);
      v1 += v6 + m9; v12 = Long.rotateRight(v12 ^ v1, 32);
      v11 += v12; v6 = Long.rotateRight(v6 ^ v11, 24);
      v1 += v6 + m14; v12 = Long.rotateRight(v12 ^ v1, 16);
      v11 += v12; v6 = Long.rotateRight(v6 ^ v11, 63);
      v2 += v7 + m3; v13 = Long.rotateRight(v13 ^ v2, 32);
      v8 += v13; v7 = Long.rotateRight(v7 ^ v8, 24);
      v2 += v7 + m12; v13 = Long.rotateRight(v13 ^ v2, 16);
      v8 += v13; v7 = Long.rotateRight(v7 ^ v8, 63);
      v3 += v4 + m13; v14 = Long.rotateRight(v14 ^ v3, 32);
      v9 += v14; v4 = Long.rotateRight(v4 ^ v9, 24);
      v3 += v4 + m0; v14 = Long.rotateRight(v14 ^ v3, 16);
      v9 += v14; v4 = Long.rotateRight(v4 ^ v9, 63);
    }
    h[0] = h0 ^ v0 ^ v8;
    h[1] = h1 ^ v1 ^ v9;
    h[2] = h2 ^ v2 ^ v10;
    h[3] = h3 ^ v3 ^ v11;
    h[4] = h4 ^ v4 ^ v12;
    h[5] = h5 ^ v5 ^ v13;
    h[6] = h6 ^ v6 ^ v14;
    h[7] = h7 ^ v7 ^ v15;
  }
}
