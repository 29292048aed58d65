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
 * <p>The compression function keeps the sixteen working words and the sixteen message words in
 * locals, with the rounds written out, the message schedule resolved in the source and the
 * rotations spelled as shift pairs, which the JIT turns into rotate instructions without having to
 * inline a call. HotSpot does not compile a method of more than 8000 bytes of bytecode, so the
 * twelve rounds are split over two methods of six, which hand the working vector over in an array.
 *
 * <p>Full blocks are compressed straight from the caller's array or buffer (direct and mapped
 * buffers included), reading the message words in place. BLAKE2 compresses the last block with a
 * finalization flag, so the last block of input, even a full one, always waits in the internal
 * buffer until {@link #digest()}.
 *
 * <p>Not thread-safe, like every {@link Hasher}.
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

  /** Scratch: the message words of the block being compressed. */
  private final long[] m = new long[16];

  /** Scratch: the working vector of the compression function. */
  private final long[] v = new long[16];

  private final byte[] buffer = new byte[BLOCK_LENGTH];
  private int bufferLength;

  /** The 128-bit count of bytes compressed so far: low word, then high word. */
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
      compressBlock(buffer, 0);
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
        compressBlock(buffer, 0);
        bufferLength = 0;
      }
      while (length > BLOCK_LENGTH) {
        countBlock();
        compressBlock(input, offset);
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
        compressBlock(buffer, 0);
        bufferLength = 0;
      }
      while (length > BLOCK_LENGTH) {
        countBlock();
        compressBlock(input, position);
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
    loadWords(buffer, 0, m);
    compress(h, m, v, low, high, LAST_BLOCK);
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

  /** Compresses a block that is not the last one; the counter already includes it. */
  private void compressBlock(byte[] block, int offset) {
    loadWords(block, offset, m);
    compress(h, m, v, counterLow, counterHigh, 0L);
  }

  private void compressBlock(ByteBuffer block, int index) {
    long[] words = m;
    for (int i = 0; i < 16; i++) {
      words[i] = (long) LE_LONG_IN_BUFFER.get(block, index + 8 * i);
    }
    compress(h, words, v, counterLow, counterHigh, 0L);
  }

  /** Reads the sixteen little-endian words of the block at {@code offset} into {@code words}. */
  static void loadWords(byte[] block, int offset, long[] words) {
    Objects.checkFromIndexSize(offset, BLOCK_LENGTH, block.length);
    for (int i = 0; i < 16; i++) {
      words[i] = (long) LE_LONG_IN_ARRAY.get(block, offset + 8 * i);
    }
  }

  /**
   * The BLAKE2b compression function F: mixes the message words {@code m} into the chaining value
   * {@code h}, with the byte counter {@code t1:t0} and the finalization flag {@code f0} (the
   * last-node flag f1 is always zero here). {@code v} is scratch space for sixteen words.
   */
  static void compress(long[] h, long[] m, long[] v, long t0, long t1, long f0) {
    v[0] = h[0];
    v[1] = h[1];
    v[2] = h[2];
    v[3] = h[3];
    v[4] = h[4];
    v[5] = h[5];
    v[6] = h[6];
    v[7] = h[7];
    v[8] = IV0;
    v[9] = IV1;
    v[10] = IV2;
    v[11] = IV3;
    v[12] = IV4 ^ t0;
    v[13] = IV5 ^ t1;
    v[14] = IV6 ^ f0;
    v[15] = IV7;
    roundsZeroToFive(v, m);
    roundsSixToEleven(v, m);
    h[0] ^= v[0] ^ v[8];
    h[1] ^= v[1] ^ v[9];
    h[2] ^= v[2] ^ v[10];
    h[3] ^= v[3] ^ v[11];
    h[4] ^= v[4] ^ v[12];
    h[5] ^= v[5] ^ v[13];
    h[6] ^= v[6] ^ v[14];
    h[7] ^= v[7] ^ v[15];
  }

  // The two methods below are generated: round r uses the message schedule SIGMA[r mod 10] of
  // RFC 7693 section 2.7, and its eight G calls mix the columns (0,4,8,12) (1,5,9,13) (2,6,10,14)
  // (3,7,11,15), then the diagonals (0,5,10,15) (1,6,11,12) (2,7,8,13) (3,4,9,14). Each G is four
  // lines: a += b + x; d = (d ^ a) >>> 32; c += d; b = (b ^ c) >>> 24; then the same with y and the
  // rotations 16 and 63 (all rotations to the right).
  // spotless:off
  // BEGIN GENERATED by tools/GenerateBlake2bRounds.java; edit the generator, not these lines.
  /** Rounds 0 to 5 of F on the working vector {@code v}. */
  private static void roundsZeroToFive(long[] v, long[] m) {
    long m0 = m[0];
    long m1 = m[1];
    long m2 = m[2];
    long m3 = m[3];
    long m4 = m[4];
    long m5 = m[5];
    long m6 = m[6];
    long m7 = m[7];
    long m8 = m[8];
    long m9 = m[9];
    long m10 = m[10];
    long m11 = m[11];
    long m12 = m[12];
    long m13 = m[13];
    long m14 = m[14];
    long m15 = m[15];
    long v0 = v[0];
    long v1 = v[1];
    long v2 = v[2];
    long v3 = v[3];
    long v4 = v[4];
    long v5 = v[5];
    long v6 = v[6];
    long v7 = v[7];
    long v8 = v[8];
    long v9 = v[9];
    long v10 = v[10];
    long v11 = v[11];
    long v12 = v[12];
    long v13 = v[13];
    long v14 = v[14];
    long v15 = v[15];
    // round 0
    v0 += v4 + m0; v12 ^= v0; v12 = (v12 >>> 32) | (v12 << 32);
    v8 += v12; v4 ^= v8; v4 = (v4 >>> 24) | (v4 << 40);
    v0 += v4 + m1; v12 ^= v0; v12 = (v12 >>> 16) | (v12 << 48);
    v8 += v12; v4 ^= v8; v4 = (v4 >>> 63) | (v4 << 1);
    v1 += v5 + m2; v13 ^= v1; v13 = (v13 >>> 32) | (v13 << 32);
    v9 += v13; v5 ^= v9; v5 = (v5 >>> 24) | (v5 << 40);
    v1 += v5 + m3; v13 ^= v1; v13 = (v13 >>> 16) | (v13 << 48);
    v9 += v13; v5 ^= v9; v5 = (v5 >>> 63) | (v5 << 1);
    v2 += v6 + m4; v14 ^= v2; v14 = (v14 >>> 32) | (v14 << 32);
    v10 += v14; v6 ^= v10; v6 = (v6 >>> 24) | (v6 << 40);
    v2 += v6 + m5; v14 ^= v2; v14 = (v14 >>> 16) | (v14 << 48);
    v10 += v14; v6 ^= v10; v6 = (v6 >>> 63) | (v6 << 1);
    v3 += v7 + m6; v15 ^= v3; v15 = (v15 >>> 32) | (v15 << 32);
    v11 += v15; v7 ^= v11; v7 = (v7 >>> 24) | (v7 << 40);
    v3 += v7 + m7; v15 ^= v3; v15 = (v15 >>> 16) | (v15 << 48);
    v11 += v15; v7 ^= v11; v7 = (v7 >>> 63) | (v7 << 1);
    v0 += v5 + m8; v15 ^= v0; v15 = (v15 >>> 32) | (v15 << 32);
    v10 += v15; v5 ^= v10; v5 = (v5 >>> 24) | (v5 << 40);
    v0 += v5 + m9; v15 ^= v0; v15 = (v15 >>> 16) | (v15 << 48);
    v10 += v15; v5 ^= v10; v5 = (v5 >>> 63) | (v5 << 1);
    v1 += v6 + m10; v12 ^= v1; v12 = (v12 >>> 32) | (v12 << 32);
    v11 += v12; v6 ^= v11; v6 = (v6 >>> 24) | (v6 << 40);
    v1 += v6 + m11; v12 ^= v1; v12 = (v12 >>> 16) | (v12 << 48);
    v11 += v12; v6 ^= v11; v6 = (v6 >>> 63) | (v6 << 1);
    v2 += v7 + m12; v13 ^= v2; v13 = (v13 >>> 32) | (v13 << 32);
    v8 += v13; v7 ^= v8; v7 = (v7 >>> 24) | (v7 << 40);
    v2 += v7 + m13; v13 ^= v2; v13 = (v13 >>> 16) | (v13 << 48);
    v8 += v13; v7 ^= v8; v7 = (v7 >>> 63) | (v7 << 1);
    v3 += v4 + m14; v14 ^= v3; v14 = (v14 >>> 32) | (v14 << 32);
    v9 += v14; v4 ^= v9; v4 = (v4 >>> 24) | (v4 << 40);
    v3 += v4 + m15; v14 ^= v3; v14 = (v14 >>> 16) | (v14 << 48);
    v9 += v14; v4 ^= v9; v4 = (v4 >>> 63) | (v4 << 1);
    // round 1
    v0 += v4 + m14; v12 ^= v0; v12 = (v12 >>> 32) | (v12 << 32);
    v8 += v12; v4 ^= v8; v4 = (v4 >>> 24) | (v4 << 40);
    v0 += v4 + m10; v12 ^= v0; v12 = (v12 >>> 16) | (v12 << 48);
    v8 += v12; v4 ^= v8; v4 = (v4 >>> 63) | (v4 << 1);
    v1 += v5 + m4; v13 ^= v1; v13 = (v13 >>> 32) | (v13 << 32);
    v9 += v13; v5 ^= v9; v5 = (v5 >>> 24) | (v5 << 40);
    v1 += v5 + m8; v13 ^= v1; v13 = (v13 >>> 16) | (v13 << 48);
    v9 += v13; v5 ^= v9; v5 = (v5 >>> 63) | (v5 << 1);
    v2 += v6 + m9; v14 ^= v2; v14 = (v14 >>> 32) | (v14 << 32);
    v10 += v14; v6 ^= v10; v6 = (v6 >>> 24) | (v6 << 40);
    v2 += v6 + m15; v14 ^= v2; v14 = (v14 >>> 16) | (v14 << 48);
    v10 += v14; v6 ^= v10; v6 = (v6 >>> 63) | (v6 << 1);
    v3 += v7 + m13; v15 ^= v3; v15 = (v15 >>> 32) | (v15 << 32);
    v11 += v15; v7 ^= v11; v7 = (v7 >>> 24) | (v7 << 40);
    v3 += v7 + m6; v15 ^= v3; v15 = (v15 >>> 16) | (v15 << 48);
    v11 += v15; v7 ^= v11; v7 = (v7 >>> 63) | (v7 << 1);
    v0 += v5 + m1; v15 ^= v0; v15 = (v15 >>> 32) | (v15 << 32);
    v10 += v15; v5 ^= v10; v5 = (v5 >>> 24) | (v5 << 40);
    v0 += v5 + m12; v15 ^= v0; v15 = (v15 >>> 16) | (v15 << 48);
    v10 += v15; v5 ^= v10; v5 = (v5 >>> 63) | (v5 << 1);
    v1 += v6 + m0; v12 ^= v1; v12 = (v12 >>> 32) | (v12 << 32);
    v11 += v12; v6 ^= v11; v6 = (v6 >>> 24) | (v6 << 40);
    v1 += v6 + m2; v12 ^= v1; v12 = (v12 >>> 16) | (v12 << 48);
    v11 += v12; v6 ^= v11; v6 = (v6 >>> 63) | (v6 << 1);
    v2 += v7 + m11; v13 ^= v2; v13 = (v13 >>> 32) | (v13 << 32);
    v8 += v13; v7 ^= v8; v7 = (v7 >>> 24) | (v7 << 40);
    v2 += v7 + m7; v13 ^= v2; v13 = (v13 >>> 16) | (v13 << 48);
    v8 += v13; v7 ^= v8; v7 = (v7 >>> 63) | (v7 << 1);
    v3 += v4 + m5; v14 ^= v3; v14 = (v14 >>> 32) | (v14 << 32);
    v9 += v14; v4 ^= v9; v4 = (v4 >>> 24) | (v4 << 40);
    v3 += v4 + m3; v14 ^= v3; v14 = (v14 >>> 16) | (v14 << 48);
    v9 += v14; v4 ^= v9; v4 = (v4 >>> 63) | (v4 << 1);
    // round 2
    v0 += v4 + m11; v12 ^= v0; v12 = (v12 >>> 32) | (v12 << 32);
    v8 += v12; v4 ^= v8; v4 = (v4 >>> 24) | (v4 << 40);
    v0 += v4 + m8; v12 ^= v0; v12 = (v12 >>> 16) | (v12 << 48);
    v8 += v12; v4 ^= v8; v4 = (v4 >>> 63) | (v4 << 1);
    v1 += v5 + m12; v13 ^= v1; v13 = (v13 >>> 32) | (v13 << 32);
    v9 += v13; v5 ^= v9; v5 = (v5 >>> 24) | (v5 << 40);
    v1 += v5 + m0; v13 ^= v1; v13 = (v13 >>> 16) | (v13 << 48);
    v9 += v13; v5 ^= v9; v5 = (v5 >>> 63) | (v5 << 1);
    v2 += v6 + m5; v14 ^= v2; v14 = (v14 >>> 32) | (v14 << 32);
    v10 += v14; v6 ^= v10; v6 = (v6 >>> 24) | (v6 << 40);
    v2 += v6 + m2; v14 ^= v2; v14 = (v14 >>> 16) | (v14 << 48);
    v10 += v14; v6 ^= v10; v6 = (v6 >>> 63) | (v6 << 1);
    v3 += v7 + m15; v15 ^= v3; v15 = (v15 >>> 32) | (v15 << 32);
    v11 += v15; v7 ^= v11; v7 = (v7 >>> 24) | (v7 << 40);
    v3 += v7 + m13; v15 ^= v3; v15 = (v15 >>> 16) | (v15 << 48);
    v11 += v15; v7 ^= v11; v7 = (v7 >>> 63) | (v7 << 1);
    v0 += v5 + m10; v15 ^= v0; v15 = (v15 >>> 32) | (v15 << 32);
    v10 += v15; v5 ^= v10; v5 = (v5 >>> 24) | (v5 << 40);
    v0 += v5 + m14; v15 ^= v0; v15 = (v15 >>> 16) | (v15 << 48);
    v10 += v15; v5 ^= v10; v5 = (v5 >>> 63) | (v5 << 1);
    v1 += v6 + m3; v12 ^= v1; v12 = (v12 >>> 32) | (v12 << 32);
    v11 += v12; v6 ^= v11; v6 = (v6 >>> 24) | (v6 << 40);
    v1 += v6 + m6; v12 ^= v1; v12 = (v12 >>> 16) | (v12 << 48);
    v11 += v12; v6 ^= v11; v6 = (v6 >>> 63) | (v6 << 1);
    v2 += v7 + m7; v13 ^= v2; v13 = (v13 >>> 32) | (v13 << 32);
    v8 += v13; v7 ^= v8; v7 = (v7 >>> 24) | (v7 << 40);
    v2 += v7 + m1; v13 ^= v2; v13 = (v13 >>> 16) | (v13 << 48);
    v8 += v13; v7 ^= v8; v7 = (v7 >>> 63) | (v7 << 1);
    v3 += v4 + m9; v14 ^= v3; v14 = (v14 >>> 32) | (v14 << 32);
    v9 += v14; v4 ^= v9; v4 = (v4 >>> 24) | (v4 << 40);
    v3 += v4 + m4; v14 ^= v3; v14 = (v14 >>> 16) | (v14 << 48);
    v9 += v14; v4 ^= v9; v4 = (v4 >>> 63) | (v4 << 1);
    // round 3
    v0 += v4 + m7; v12 ^= v0; v12 = (v12 >>> 32) | (v12 << 32);
    v8 += v12; v4 ^= v8; v4 = (v4 >>> 24) | (v4 << 40);
    v0 += v4 + m9; v12 ^= v0; v12 = (v12 >>> 16) | (v12 << 48);
    v8 += v12; v4 ^= v8; v4 = (v4 >>> 63) | (v4 << 1);
    v1 += v5 + m3; v13 ^= v1; v13 = (v13 >>> 32) | (v13 << 32);
    v9 += v13; v5 ^= v9; v5 = (v5 >>> 24) | (v5 << 40);
    v1 += v5 + m1; v13 ^= v1; v13 = (v13 >>> 16) | (v13 << 48);
    v9 += v13; v5 ^= v9; v5 = (v5 >>> 63) | (v5 << 1);
    v2 += v6 + m13; v14 ^= v2; v14 = (v14 >>> 32) | (v14 << 32);
    v10 += v14; v6 ^= v10; v6 = (v6 >>> 24) | (v6 << 40);
    v2 += v6 + m12; v14 ^= v2; v14 = (v14 >>> 16) | (v14 << 48);
    v10 += v14; v6 ^= v10; v6 = (v6 >>> 63) | (v6 << 1);
    v3 += v7 + m11; v15 ^= v3; v15 = (v15 >>> 32) | (v15 << 32);
    v11 += v15; v7 ^= v11; v7 = (v7 >>> 24) | (v7 << 40);
    v3 += v7 + m14; v15 ^= v3; v15 = (v15 >>> 16) | (v15 << 48);
    v11 += v15; v7 ^= v11; v7 = (v7 >>> 63) | (v7 << 1);
    v0 += v5 + m2; v15 ^= v0; v15 = (v15 >>> 32) | (v15 << 32);
    v10 += v15; v5 ^= v10; v5 = (v5 >>> 24) | (v5 << 40);
    v0 += v5 + m6; v15 ^= v0; v15 = (v15 >>> 16) | (v15 << 48);
    v10 += v15; v5 ^= v10; v5 = (v5 >>> 63) | (v5 << 1);
    v1 += v6 + m5; v12 ^= v1; v12 = (v12 >>> 32) | (v12 << 32);
    v11 += v12; v6 ^= v11; v6 = (v6 >>> 24) | (v6 << 40);
    v1 += v6 + m10; v12 ^= v1; v12 = (v12 >>> 16) | (v12 << 48);
    v11 += v12; v6 ^= v11; v6 = (v6 >>> 63) | (v6 << 1);
    v2 += v7 + m4; v13 ^= v2; v13 = (v13 >>> 32) | (v13 << 32);
    v8 += v13; v7 ^= v8; v7 = (v7 >>> 24) | (v7 << 40);
    v2 += v7 + m0; v13 ^= v2; v13 = (v13 >>> 16) | (v13 << 48);
    v8 += v13; v7 ^= v8; v7 = (v7 >>> 63) | (v7 << 1);
    v3 += v4 + m15; v14 ^= v3; v14 = (v14 >>> 32) | (v14 << 32);
    v9 += v14; v4 ^= v9; v4 = (v4 >>> 24) | (v4 << 40);
    v3 += v4 + m8; v14 ^= v3; v14 = (v14 >>> 16) | (v14 << 48);
    v9 += v14; v4 ^= v9; v4 = (v4 >>> 63) | (v4 << 1);
    // round 4
    v0 += v4 + m9; v12 ^= v0; v12 = (v12 >>> 32) | (v12 << 32);
    v8 += v12; v4 ^= v8; v4 = (v4 >>> 24) | (v4 << 40);
    v0 += v4 + m0; v12 ^= v0; v12 = (v12 >>> 16) | (v12 << 48);
    v8 += v12; v4 ^= v8; v4 = (v4 >>> 63) | (v4 << 1);
    v1 += v5 + m5; v13 ^= v1; v13 = (v13 >>> 32) | (v13 << 32);
    v9 += v13; v5 ^= v9; v5 = (v5 >>> 24) | (v5 << 40);
    v1 += v5 + m7; v13 ^= v1; v13 = (v13 >>> 16) | (v13 << 48);
    v9 += v13; v5 ^= v9; v5 = (v5 >>> 63) | (v5 << 1);
    v2 += v6 + m2; v14 ^= v2; v14 = (v14 >>> 32) | (v14 << 32);
    v10 += v14; v6 ^= v10; v6 = (v6 >>> 24) | (v6 << 40);
    v2 += v6 + m4; v14 ^= v2; v14 = (v14 >>> 16) | (v14 << 48);
    v10 += v14; v6 ^= v10; v6 = (v6 >>> 63) | (v6 << 1);
    v3 += v7 + m10; v15 ^= v3; v15 = (v15 >>> 32) | (v15 << 32);
    v11 += v15; v7 ^= v11; v7 = (v7 >>> 24) | (v7 << 40);
    v3 += v7 + m15; v15 ^= v3; v15 = (v15 >>> 16) | (v15 << 48);
    v11 += v15; v7 ^= v11; v7 = (v7 >>> 63) | (v7 << 1);
    v0 += v5 + m14; v15 ^= v0; v15 = (v15 >>> 32) | (v15 << 32);
    v10 += v15; v5 ^= v10; v5 = (v5 >>> 24) | (v5 << 40);
    v0 += v5 + m1; v15 ^= v0; v15 = (v15 >>> 16) | (v15 << 48);
    v10 += v15; v5 ^= v10; v5 = (v5 >>> 63) | (v5 << 1);
    v1 += v6 + m11; v12 ^= v1; v12 = (v12 >>> 32) | (v12 << 32);
    v11 += v12; v6 ^= v11; v6 = (v6 >>> 24) | (v6 << 40);
    v1 += v6 + m12; v12 ^= v1; v12 = (v12 >>> 16) | (v12 << 48);
    v11 += v12; v6 ^= v11; v6 = (v6 >>> 63) | (v6 << 1);
    v2 += v7 + m6; v13 ^= v2; v13 = (v13 >>> 32) | (v13 << 32);
    v8 += v13; v7 ^= v8; v7 = (v7 >>> 24) | (v7 << 40);
    v2 += v7 + m8; v13 ^= v2; v13 = (v13 >>> 16) | (v13 << 48);
    v8 += v13; v7 ^= v8; v7 = (v7 >>> 63) | (v7 << 1);
    v3 += v4 + m3; v14 ^= v3; v14 = (v14 >>> 32) | (v14 << 32);
    v9 += v14; v4 ^= v9; v4 = (v4 >>> 24) | (v4 << 40);
    v3 += v4 + m13; v14 ^= v3; v14 = (v14 >>> 16) | (v14 << 48);
    v9 += v14; v4 ^= v9; v4 = (v4 >>> 63) | (v4 << 1);
    // round 5
    v0 += v4 + m2; v12 ^= v0; v12 = (v12 >>> 32) | (v12 << 32);
    v8 += v12; v4 ^= v8; v4 = (v4 >>> 24) | (v4 << 40);
    v0 += v4 + m12; v12 ^= v0; v12 = (v12 >>> 16) | (v12 << 48);
    v8 += v12; v4 ^= v8; v4 = (v4 >>> 63) | (v4 << 1);
    v1 += v5 + m6; v13 ^= v1; v13 = (v13 >>> 32) | (v13 << 32);
    v9 += v13; v5 ^= v9; v5 = (v5 >>> 24) | (v5 << 40);
    v1 += v5 + m10; v13 ^= v1; v13 = (v13 >>> 16) | (v13 << 48);
    v9 += v13; v5 ^= v9; v5 = (v5 >>> 63) | (v5 << 1);
    v2 += v6 + m0; v14 ^= v2; v14 = (v14 >>> 32) | (v14 << 32);
    v10 += v14; v6 ^= v10; v6 = (v6 >>> 24) | (v6 << 40);
    v2 += v6 + m11; v14 ^= v2; v14 = (v14 >>> 16) | (v14 << 48);
    v10 += v14; v6 ^= v10; v6 = (v6 >>> 63) | (v6 << 1);
    v3 += v7 + m8; v15 ^= v3; v15 = (v15 >>> 32) | (v15 << 32);
    v11 += v15; v7 ^= v11; v7 = (v7 >>> 24) | (v7 << 40);
    v3 += v7 + m3; v15 ^= v3; v15 = (v15 >>> 16) | (v15 << 48);
    v11 += v15; v7 ^= v11; v7 = (v7 >>> 63) | (v7 << 1);
    v0 += v5 + m4; v15 ^= v0; v15 = (v15 >>> 32) | (v15 << 32);
    v10 += v15; v5 ^= v10; v5 = (v5 >>> 24) | (v5 << 40);
    v0 += v5 + m13; v15 ^= v0; v15 = (v15 >>> 16) | (v15 << 48);
    v10 += v15; v5 ^= v10; v5 = (v5 >>> 63) | (v5 << 1);
    v1 += v6 + m7; v12 ^= v1; v12 = (v12 >>> 32) | (v12 << 32);
    v11 += v12; v6 ^= v11; v6 = (v6 >>> 24) | (v6 << 40);
    v1 += v6 + m5; v12 ^= v1; v12 = (v12 >>> 16) | (v12 << 48);
    v11 += v12; v6 ^= v11; v6 = (v6 >>> 63) | (v6 << 1);
    v2 += v7 + m15; v13 ^= v2; v13 = (v13 >>> 32) | (v13 << 32);
    v8 += v13; v7 ^= v8; v7 = (v7 >>> 24) | (v7 << 40);
    v2 += v7 + m14; v13 ^= v2; v13 = (v13 >>> 16) | (v13 << 48);
    v8 += v13; v7 ^= v8; v7 = (v7 >>> 63) | (v7 << 1);
    v3 += v4 + m1; v14 ^= v3; v14 = (v14 >>> 32) | (v14 << 32);
    v9 += v14; v4 ^= v9; v4 = (v4 >>> 24) | (v4 << 40);
    v3 += v4 + m9; v14 ^= v3; v14 = (v14 >>> 16) | (v14 << 48);
    v9 += v14; v4 ^= v9; v4 = (v4 >>> 63) | (v4 << 1);
    v[0] = v0;
    v[1] = v1;
    v[2] = v2;
    v[3] = v3;
    v[4] = v4;
    v[5] = v5;
    v[6] = v6;
    v[7] = v7;
    v[8] = v8;
    v[9] = v9;
    v[10] = v10;
    v[11] = v11;
    v[12] = v12;
    v[13] = v13;
    v[14] = v14;
    v[15] = v15;
  }

  /** Rounds 6 to 11 of F on the working vector {@code v}. */
  private static void roundsSixToEleven(long[] v, long[] m) {
    long m0 = m[0];
    long m1 = m[1];
    long m2 = m[2];
    long m3 = m[3];
    long m4 = m[4];
    long m5 = m[5];
    long m6 = m[6];
    long m7 = m[7];
    long m8 = m[8];
    long m9 = m[9];
    long m10 = m[10];
    long m11 = m[11];
    long m12 = m[12];
    long m13 = m[13];
    long m14 = m[14];
    long m15 = m[15];
    long v0 = v[0];
    long v1 = v[1];
    long v2 = v[2];
    long v3 = v[3];
    long v4 = v[4];
    long v5 = v[5];
    long v6 = v[6];
    long v7 = v[7];
    long v8 = v[8];
    long v9 = v[9];
    long v10 = v[10];
    long v11 = v[11];
    long v12 = v[12];
    long v13 = v[13];
    long v14 = v[14];
    long v15 = v[15];
    // round 6
    v0 += v4 + m12; v12 ^= v0; v12 = (v12 >>> 32) | (v12 << 32);
    v8 += v12; v4 ^= v8; v4 = (v4 >>> 24) | (v4 << 40);
    v0 += v4 + m5; v12 ^= v0; v12 = (v12 >>> 16) | (v12 << 48);
    v8 += v12; v4 ^= v8; v4 = (v4 >>> 63) | (v4 << 1);
    v1 += v5 + m1; v13 ^= v1; v13 = (v13 >>> 32) | (v13 << 32);
    v9 += v13; v5 ^= v9; v5 = (v5 >>> 24) | (v5 << 40);
    v1 += v5 + m15; v13 ^= v1; v13 = (v13 >>> 16) | (v13 << 48);
    v9 += v13; v5 ^= v9; v5 = (v5 >>> 63) | (v5 << 1);
    v2 += v6 + m14; v14 ^= v2; v14 = (v14 >>> 32) | (v14 << 32);
    v10 += v14; v6 ^= v10; v6 = (v6 >>> 24) | (v6 << 40);
    v2 += v6 + m13; v14 ^= v2; v14 = (v14 >>> 16) | (v14 << 48);
    v10 += v14; v6 ^= v10; v6 = (v6 >>> 63) | (v6 << 1);
    v3 += v7 + m4; v15 ^= v3; v15 = (v15 >>> 32) | (v15 << 32);
    v11 += v15; v7 ^= v11; v7 = (v7 >>> 24) | (v7 << 40);
    v3 += v7 + m10; v15 ^= v3; v15 = (v15 >>> 16) | (v15 << 48);
    v11 += v15; v7 ^= v11; v7 = (v7 >>> 63) | (v7 << 1);
    v0 += v5 + m0; v15 ^= v0; v15 = (v15 >>> 32) | (v15 << 32);
    v10 += v15; v5 ^= v10; v5 = (v5 >>> 24) | (v5 << 40);
    v0 += v5 + m7; v15 ^= v0; v15 = (v15 >>> 16) | (v15 << 48);
    v10 += v15; v5 ^= v10; v5 = (v5 >>> 63) | (v5 << 1);
    v1 += v6 + m6; v12 ^= v1; v12 = (v12 >>> 32) | (v12 << 32);
    v11 += v12; v6 ^= v11; v6 = (v6 >>> 24) | (v6 << 40);
    v1 += v6 + m3; v12 ^= v1; v12 = (v12 >>> 16) | (v12 << 48);
    v11 += v12; v6 ^= v11; v6 = (v6 >>> 63) | (v6 << 1);
    v2 += v7 + m9; v13 ^= v2; v13 = (v13 >>> 32) | (v13 << 32);
    v8 += v13; v7 ^= v8; v7 = (v7 >>> 24) | (v7 << 40);
    v2 += v7 + m2; v13 ^= v2; v13 = (v13 >>> 16) | (v13 << 48);
    v8 += v13; v7 ^= v8; v7 = (v7 >>> 63) | (v7 << 1);
    v3 += v4 + m8; v14 ^= v3; v14 = (v14 >>> 32) | (v14 << 32);
    v9 += v14; v4 ^= v9; v4 = (v4 >>> 24) | (v4 << 40);
    v3 += v4 + m11; v14 ^= v3; v14 = (v14 >>> 16) | (v14 << 48);
    v9 += v14; v4 ^= v9; v4 = (v4 >>> 63) | (v4 << 1);
    // round 7
    v0 += v4 + m13; v12 ^= v0; v12 = (v12 >>> 32) | (v12 << 32);
    v8 += v12; v4 ^= v8; v4 = (v4 >>> 24) | (v4 << 40);
    v0 += v4 + m11; v12 ^= v0; v12 = (v12 >>> 16) | (v12 << 48);
    v8 += v12; v4 ^= v8; v4 = (v4 >>> 63) | (v4 << 1);
    v1 += v5 + m7; v13 ^= v1; v13 = (v13 >>> 32) | (v13 << 32);
    v9 += v13; v5 ^= v9; v5 = (v5 >>> 24) | (v5 << 40);
    v1 += v5 + m14; v13 ^= v1; v13 = (v13 >>> 16) | (v13 << 48);
    v9 += v13; v5 ^= v9; v5 = (v5 >>> 63) | (v5 << 1);
    v2 += v6 + m12; v14 ^= v2; v14 = (v14 >>> 32) | (v14 << 32);
    v10 += v14; v6 ^= v10; v6 = (v6 >>> 24) | (v6 << 40);
    v2 += v6 + m1; v14 ^= v2; v14 = (v14 >>> 16) | (v14 << 48);
    v10 += v14; v6 ^= v10; v6 = (v6 >>> 63) | (v6 << 1);
    v3 += v7 + m3; v15 ^= v3; v15 = (v15 >>> 32) | (v15 << 32);
    v11 += v15; v7 ^= v11; v7 = (v7 >>> 24) | (v7 << 40);
    v3 += v7 + m9; v15 ^= v3; v15 = (v15 >>> 16) | (v15 << 48);
    v11 += v15; v7 ^= v11; v7 = (v7 >>> 63) | (v7 << 1);
    v0 += v5 + m5; v15 ^= v0; v15 = (v15 >>> 32) | (v15 << 32);
    v10 += v15; v5 ^= v10; v5 = (v5 >>> 24) | (v5 << 40);
    v0 += v5 + m0; v15 ^= v0; v15 = (v15 >>> 16) | (v15 << 48);
    v10 += v15; v5 ^= v10; v5 = (v5 >>> 63) | (v5 << 1);
    v1 += v6 + m15; v12 ^= v1; v12 = (v12 >>> 32) | (v12 << 32);
    v11 += v12; v6 ^= v11; v6 = (v6 >>> 24) | (v6 << 40);
    v1 += v6 + m4; v12 ^= v1; v12 = (v12 >>> 16) | (v12 << 48);
    v11 += v12; v6 ^= v11; v6 = (v6 >>> 63) | (v6 << 1);
    v2 += v7 + m8; v13 ^= v2; v13 = (v13 >>> 32) | (v13 << 32);
    v8 += v13; v7 ^= v8; v7 = (v7 >>> 24) | (v7 << 40);
    v2 += v7 + m6; v13 ^= v2; v13 = (v13 >>> 16) | (v13 << 48);
    v8 += v13; v7 ^= v8; v7 = (v7 >>> 63) | (v7 << 1);
    v3 += v4 + m2; v14 ^= v3; v14 = (v14 >>> 32) | (v14 << 32);
    v9 += v14; v4 ^= v9; v4 = (v4 >>> 24) | (v4 << 40);
    v3 += v4 + m10; v14 ^= v3; v14 = (v14 >>> 16) | (v14 << 48);
    v9 += v14; v4 ^= v9; v4 = (v4 >>> 63) | (v4 << 1);
    // round 8
    v0 += v4 + m6; v12 ^= v0; v12 = (v12 >>> 32) | (v12 << 32);
    v8 += v12; v4 ^= v8; v4 = (v4 >>> 24) | (v4 << 40);
    v0 += v4 + m15; v12 ^= v0; v12 = (v12 >>> 16) | (v12 << 48);
    v8 += v12; v4 ^= v8; v4 = (v4 >>> 63) | (v4 << 1);
    v1 += v5 + m14; v13 ^= v1; v13 = (v13 >>> 32) | (v13 << 32);
    v9 += v13; v5 ^= v9; v5 = (v5 >>> 24) | (v5 << 40);
    v1 += v5 + m9; v13 ^= v1; v13 = (v13 >>> 16) | (v13 << 48);
    v9 += v13; v5 ^= v9; v5 = (v5 >>> 63) | (v5 << 1);
    v2 += v6 + m11; v14 ^= v2; v14 = (v14 >>> 32) | (v14 << 32);
    v10 += v14; v6 ^= v10; v6 = (v6 >>> 24) | (v6 << 40);
    v2 += v6 + m3; v14 ^= v2; v14 = (v14 >>> 16) | (v14 << 48);
    v10 += v14; v6 ^= v10; v6 = (v6 >>> 63) | (v6 << 1);
    v3 += v7 + m0; v15 ^= v3; v15 = (v15 >>> 32) | (v15 << 32);
    v11 += v15; v7 ^= v11; v7 = (v7 >>> 24) | (v7 << 40);
    v3 += v7 + m8; v15 ^= v3; v15 = (v15 >>> 16) | (v15 << 48);
    v11 += v15; v7 ^= v11; v7 = (v7 >>> 63) | (v7 << 1);
    v0 += v5 + m12; v15 ^= v0; v15 = (v15 >>> 32) | (v15 << 32);
    v10 += v15; v5 ^= v10; v5 = (v5 >>> 24) | (v5 << 40);
    v0 += v5 + m2; v15 ^= v0; v15 = (v15 >>> 16) | (v15 << 48);
    v10 += v15; v5 ^= v10; v5 = (v5 >>> 63) | (v5 << 1);
    v1 += v6 + m13; v12 ^= v1; v12 = (v12 >>> 32) | (v12 << 32);
    v11 += v12; v6 ^= v11; v6 = (v6 >>> 24) | (v6 << 40);
    v1 += v6 + m7; v12 ^= v1; v12 = (v12 >>> 16) | (v12 << 48);
    v11 += v12; v6 ^= v11; v6 = (v6 >>> 63) | (v6 << 1);
    v2 += v7 + m1; v13 ^= v2; v13 = (v13 >>> 32) | (v13 << 32);
    v8 += v13; v7 ^= v8; v7 = (v7 >>> 24) | (v7 << 40);
    v2 += v7 + m4; v13 ^= v2; v13 = (v13 >>> 16) | (v13 << 48);
    v8 += v13; v7 ^= v8; v7 = (v7 >>> 63) | (v7 << 1);
    v3 += v4 + m10; v14 ^= v3; v14 = (v14 >>> 32) | (v14 << 32);
    v9 += v14; v4 ^= v9; v4 = (v4 >>> 24) | (v4 << 40);
    v3 += v4 + m5; v14 ^= v3; v14 = (v14 >>> 16) | (v14 << 48);
    v9 += v14; v4 ^= v9; v4 = (v4 >>> 63) | (v4 << 1);
    // round 9
    v0 += v4 + m10; v12 ^= v0; v12 = (v12 >>> 32) | (v12 << 32);
    v8 += v12; v4 ^= v8; v4 = (v4 >>> 24) | (v4 << 40);
    v0 += v4 + m2; v12 ^= v0; v12 = (v12 >>> 16) | (v12 << 48);
    v8 += v12; v4 ^= v8; v4 = (v4 >>> 63) | (v4 << 1);
    v1 += v5 + m8; v13 ^= v1; v13 = (v13 >>> 32) | (v13 << 32);
    v9 += v13; v5 ^= v9; v5 = (v5 >>> 24) | (v5 << 40);
    v1 += v5 + m4; v13 ^= v1; v13 = (v13 >>> 16) | (v13 << 48);
    v9 += v13; v5 ^= v9; v5 = (v5 >>> 63) | (v5 << 1);
    v2 += v6 + m7; v14 ^= v2; v14 = (v14 >>> 32) | (v14 << 32);
    v10 += v14; v6 ^= v10; v6 = (v6 >>> 24) | (v6 << 40);
    v2 += v6 + m6; v14 ^= v2; v14 = (v14 >>> 16) | (v14 << 48);
    v10 += v14; v6 ^= v10; v6 = (v6 >>> 63) | (v6 << 1);
    v3 += v7 + m1; v15 ^= v3; v15 = (v15 >>> 32) | (v15 << 32);
    v11 += v15; v7 ^= v11; v7 = (v7 >>> 24) | (v7 << 40);
    v3 += v7 + m5; v15 ^= v3; v15 = (v15 >>> 16) | (v15 << 48);
    v11 += v15; v7 ^= v11; v7 = (v7 >>> 63) | (v7 << 1);
    v0 += v5 + m15; v15 ^= v0; v15 = (v15 >>> 32) | (v15 << 32);
    v10 += v15; v5 ^= v10; v5 = (v5 >>> 24) | (v5 << 40);
    v0 += v5 + m11; v15 ^= v0; v15 = (v15 >>> 16) | (v15 << 48);
    v10 += v15; v5 ^= v10; v5 = (v5 >>> 63) | (v5 << 1);
    v1 += v6 + m9; v12 ^= v1; v12 = (v12 >>> 32) | (v12 << 32);
    v11 += v12; v6 ^= v11; v6 = (v6 >>> 24) | (v6 << 40);
    v1 += v6 + m14; v12 ^= v1; v12 = (v12 >>> 16) | (v12 << 48);
    v11 += v12; v6 ^= v11; v6 = (v6 >>> 63) | (v6 << 1);
    v2 += v7 + m3; v13 ^= v2; v13 = (v13 >>> 32) | (v13 << 32);
    v8 += v13; v7 ^= v8; v7 = (v7 >>> 24) | (v7 << 40);
    v2 += v7 + m12; v13 ^= v2; v13 = (v13 >>> 16) | (v13 << 48);
    v8 += v13; v7 ^= v8; v7 = (v7 >>> 63) | (v7 << 1);
    v3 += v4 + m13; v14 ^= v3; v14 = (v14 >>> 32) | (v14 << 32);
    v9 += v14; v4 ^= v9; v4 = (v4 >>> 24) | (v4 << 40);
    v3 += v4 + m0; v14 ^= v3; v14 = (v14 >>> 16) | (v14 << 48);
    v9 += v14; v4 ^= v9; v4 = (v4 >>> 63) | (v4 << 1);
    // round 10, message schedule of round 0
    v0 += v4 + m0; v12 ^= v0; v12 = (v12 >>> 32) | (v12 << 32);
    v8 += v12; v4 ^= v8; v4 = (v4 >>> 24) | (v4 << 40);
    v0 += v4 + m1; v12 ^= v0; v12 = (v12 >>> 16) | (v12 << 48);
    v8 += v12; v4 ^= v8; v4 = (v4 >>> 63) | (v4 << 1);
    v1 += v5 + m2; v13 ^= v1; v13 = (v13 >>> 32) | (v13 << 32);
    v9 += v13; v5 ^= v9; v5 = (v5 >>> 24) | (v5 << 40);
    v1 += v5 + m3; v13 ^= v1; v13 = (v13 >>> 16) | (v13 << 48);
    v9 += v13; v5 ^= v9; v5 = (v5 >>> 63) | (v5 << 1);
    v2 += v6 + m4; v14 ^= v2; v14 = (v14 >>> 32) | (v14 << 32);
    v10 += v14; v6 ^= v10; v6 = (v6 >>> 24) | (v6 << 40);
    v2 += v6 + m5; v14 ^= v2; v14 = (v14 >>> 16) | (v14 << 48);
    v10 += v14; v6 ^= v10; v6 = (v6 >>> 63) | (v6 << 1);
    v3 += v7 + m6; v15 ^= v3; v15 = (v15 >>> 32) | (v15 << 32);
    v11 += v15; v7 ^= v11; v7 = (v7 >>> 24) | (v7 << 40);
    v3 += v7 + m7; v15 ^= v3; v15 = (v15 >>> 16) | (v15 << 48);
    v11 += v15; v7 ^= v11; v7 = (v7 >>> 63) | (v7 << 1);
    v0 += v5 + m8; v15 ^= v0; v15 = (v15 >>> 32) | (v15 << 32);
    v10 += v15; v5 ^= v10; v5 = (v5 >>> 24) | (v5 << 40);
    v0 += v5 + m9; v15 ^= v0; v15 = (v15 >>> 16) | (v15 << 48);
    v10 += v15; v5 ^= v10; v5 = (v5 >>> 63) | (v5 << 1);
    v1 += v6 + m10; v12 ^= v1; v12 = (v12 >>> 32) | (v12 << 32);
    v11 += v12; v6 ^= v11; v6 = (v6 >>> 24) | (v6 << 40);
    v1 += v6 + m11; v12 ^= v1; v12 = (v12 >>> 16) | (v12 << 48);
    v11 += v12; v6 ^= v11; v6 = (v6 >>> 63) | (v6 << 1);
    v2 += v7 + m12; v13 ^= v2; v13 = (v13 >>> 32) | (v13 << 32);
    v8 += v13; v7 ^= v8; v7 = (v7 >>> 24) | (v7 << 40);
    v2 += v7 + m13; v13 ^= v2; v13 = (v13 >>> 16) | (v13 << 48);
    v8 += v13; v7 ^= v8; v7 = (v7 >>> 63) | (v7 << 1);
    v3 += v4 + m14; v14 ^= v3; v14 = (v14 >>> 32) | (v14 << 32);
    v9 += v14; v4 ^= v9; v4 = (v4 >>> 24) | (v4 << 40);
    v3 += v4 + m15; v14 ^= v3; v14 = (v14 >>> 16) | (v14 << 48);
    v9 += v14; v4 ^= v9; v4 = (v4 >>> 63) | (v4 << 1);
    // round 11, message schedule of round 1
    v0 += v4 + m14; v12 ^= v0; v12 = (v12 >>> 32) | (v12 << 32);
    v8 += v12; v4 ^= v8; v4 = (v4 >>> 24) | (v4 << 40);
    v0 += v4 + m10; v12 ^= v0; v12 = (v12 >>> 16) | (v12 << 48);
    v8 += v12; v4 ^= v8; v4 = (v4 >>> 63) | (v4 << 1);
    v1 += v5 + m4; v13 ^= v1; v13 = (v13 >>> 32) | (v13 << 32);
    v9 += v13; v5 ^= v9; v5 = (v5 >>> 24) | (v5 << 40);
    v1 += v5 + m8; v13 ^= v1; v13 = (v13 >>> 16) | (v13 << 48);
    v9 += v13; v5 ^= v9; v5 = (v5 >>> 63) | (v5 << 1);
    v2 += v6 + m9; v14 ^= v2; v14 = (v14 >>> 32) | (v14 << 32);
    v10 += v14; v6 ^= v10; v6 = (v6 >>> 24) | (v6 << 40);
    v2 += v6 + m15; v14 ^= v2; v14 = (v14 >>> 16) | (v14 << 48);
    v10 += v14; v6 ^= v10; v6 = (v6 >>> 63) | (v6 << 1);
    v3 += v7 + m13; v15 ^= v3; v15 = (v15 >>> 32) | (v15 << 32);
    v11 += v15; v7 ^= v11; v7 = (v7 >>> 24) | (v7 << 40);
    v3 += v7 + m6; v15 ^= v3; v15 = (v15 >>> 16) | (v15 << 48);
    v11 += v15; v7 ^= v11; v7 = (v7 >>> 63) | (v7 << 1);
    v0 += v5 + m1; v15 ^= v0; v15 = (v15 >>> 32) | (v15 << 32);
    v10 += v15; v5 ^= v10; v5 = (v5 >>> 24) | (v5 << 40);
    v0 += v5 + m12; v15 ^= v0; v15 = (v15 >>> 16) | (v15 << 48);
    v10 += v15; v5 ^= v10; v5 = (v5 >>> 63) | (v5 << 1);
    v1 += v6 + m0; v12 ^= v1; v12 = (v12 >>> 32) | (v12 << 32);
    v11 += v12; v6 ^= v11; v6 = (v6 >>> 24) | (v6 << 40);
    v1 += v6 + m2; v12 ^= v1; v12 = (v12 >>> 16) | (v12 << 48);
    v11 += v12; v6 ^= v11; v6 = (v6 >>> 63) | (v6 << 1);
    v2 += v7 + m11; v13 ^= v2; v13 = (v13 >>> 32) | (v13 << 32);
    v8 += v13; v7 ^= v8; v7 = (v7 >>> 24) | (v7 << 40);
    v2 += v7 + m7; v13 ^= v2; v13 = (v13 >>> 16) | (v13 << 48);
    v8 += v13; v7 ^= v8; v7 = (v7 >>> 63) | (v7 << 1);
    v3 += v4 + m5; v14 ^= v3; v14 = (v14 >>> 32) | (v14 << 32);
    v9 += v14; v4 ^= v9; v4 = (v4 >>> 24) | (v4 << 40);
    v3 += v4 + m3; v14 ^= v3; v14 = (v14 >>> 16) | (v14 << 48);
    v9 += v14; v4 ^= v9; v4 = (v4 >>> 63) | (v4 << 1);
    v[0] = v0;
    v[1] = v1;
    v[2] = v2;
    v[3] = v3;
    v[4] = v4;
    v[5] = v5;
    v[6] = v6;
    v[7] = v7;
    v[8] = v8;
    v[9] = v9;
    v[10] = v10;
    v[11] = v11;
    v[12] = v12;
    v[13] = v13;
    v[14] = v14;
    v[15] = v15;
  }
  // END GENERATED
  // spotless:on
}
