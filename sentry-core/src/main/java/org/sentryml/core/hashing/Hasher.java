package org.sentryml.core.hashing;

import java.nio.ByteBuffer;

/**
 * A single-use-at-a-time streaming hash computation.
 *
 * <p>Not thread-safe: one hasher belongs to one thread at a time. {@link #digest()} completes the
 * computation and resets the hasher to its initial state, so an instance can be reused for the next
 * input without reallocating its buffers. Any split of the input into {@code update} calls gives
 * the same digest as a single call over the concatenation.
 */
public interface Hasher {

  /** Length in bytes of the value {@link #digest()} returns. */
  int digestLength();

  void update(byte input);

  void update(byte[] input, int offset, int length);

  default void update(byte[] input) {
    update(input, 0, input.length);
  }

  /** Consumes every remaining byte of {@code input}, leaving its position at its limit. */
  void update(ByteBuffer input);

  /** Finishes the computation, returns the digest and resets this hasher. */
  byte[] digest();
}
