package org.sentryml.core.tree;

import java.nio.ByteBuffer;
import org.sentryml.core.hashing.Hasher;

/**
 * The two node functions of an RFC 6962 Merkle tree. The one-byte prefixes separate leaves from
 * interior nodes, so a leaf can never be passed off as a node (second-preimage resistance).
 */
public final class MerkleHashes {
  static final byte LEAF_PREFIX = 0x00;
  static final byte NODE_PREFIX = 0x01;

  private MerkleHashes() {}

  /** {@code H(0x00 ‖ chunk)}; consumes the remaining bytes of {@code chunk}. */
  public static byte[] leaf(Hasher hasher, ByteBuffer chunk) {
    hasher.update(LEAF_PREFIX);
    hasher.update(chunk);
    return hasher.digest();
  }

  /** {@code H(0x00 ‖ chunk[offset, offset+length))}. */
  public static byte[] leaf(Hasher hasher, byte[] chunk, int offset, int length) {
    hasher.update(LEAF_PREFIX);
    hasher.update(chunk, offset, length);
    return hasher.digest();
  }

  /** {@code H(0x01 ‖ left ‖ right)}. */
  public static byte[] node(Hasher hasher, byte[] left, byte[] right) {
    hasher.update(NODE_PREFIX);
    hasher.update(left);
    hasher.update(right);
    return hasher.digest();
  }
}
