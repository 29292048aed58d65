package org.sentryml.core.tree;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.sentryml.core.hashing.Blake2Xb;

/**
 * The length-prefixed encodings of lattice elements (DESIGN §3) and their BLAKE2Xb expansion.
 * Prefixes bind identity and content, so no two distinct elements share an encoding: a moved file
 * chunk or a relabelled sample changes the digest.
 */
public final class LatticeElements {
  private LatticeElements() {}

  /**
   * Expands a file chunk: {@code le64(offset) ‖ le64(len(chunk)) ‖ chunk}. Consumes the remaining
   * bytes of {@code chunk}.
   */
  public static byte[] expandFileChunk(Blake2Xb expander, long offset, ByteBuffer chunk) {
    ByteBuffer prefix = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    prefix.putLong(offset).putLong(chunk.remaining()).flip();
    expander.update(prefix);
    expander.update(chunk);
    return expander.digest();
  }

  /**
   * Expands a dataset sample: {@code le32(len(key)) ‖ key ‖ le32(len(label)) ‖ label ‖
   * le64(len(data)) ‖ data}.
   */
  public static byte[] expandSample(Blake2Xb expander, byte[] key, byte[] label, byte[] data) {
    ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    expander.update(prefix.putInt(0, key.length).array(), 0, 4);
    expander.update(key);
    expander.update(prefix.putInt(0, label.length).array(), 0, 4);
    expander.update(label);
    expander.update(prefix.putLong(0, data.length).array(), 0, 8);
    expander.update(data);
    return expander.digest();
  }

  /** A BLAKE2Xb instance with the lattice's output length, for reuse across elements. */
  public static Blake2Xb newExpander() {
    return new Blake2Xb(LtHash16.CHECKSUM_BYTES);
  }
}
