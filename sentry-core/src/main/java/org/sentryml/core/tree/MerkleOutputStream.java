package org.sentryml.core.tree;

import java.io.OutputStream;
import java.util.Objects;
import org.sentryml.core.hashing.HashAlgorithm;
import org.sentryml.core.hashing.Hasher;

/**
 * The RFC 6962 Merkle root of the bytes written to this stream, cut into leaves of a fixed size,
 * equal to what the engines compute for a file of the same bytes. For bytes that never lie in a
 * file as such: a shard streamed into an encrypting stream, or decrypted from one. Holds one leaf
 * in memory. Not thread-safe.
 */
public final class MerkleOutputStream extends OutputStream {
  private final HashAlgorithm algorithm;
  private final Hasher hasher;
  private final MerkleBuilder builder;
  private final byte[] leaf;
  private int filled;
  private long count;

  public MerkleOutputStream(HashAlgorithm algorithm, int leafSize) {
    if (leafSize <= 0) {
      throw new IllegalArgumentException("leaf size must be positive, got " + leafSize);
    }
    this.algorithm = algorithm;
    this.hasher = algorithm.newHasher();
    this.builder = new MerkleBuilder(algorithm);
    this.leaf = new byte[leafSize];
  }

  @Override
  public void write(int b) {
    leaf[filled++] = (byte) b;
    count++;
    if (filled == leaf.length) {
      flushLeaf();
    }
  }

  @Override
  public void write(byte[] bytes, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    int at = offset;
    int left = length;
    while (left > 0) {
      int n = Math.min(left, leaf.length - filled);
      System.arraycopy(bytes, at, leaf, filled, n);
      filled += n;
      at += n;
      left -= n;
      count += n;
      if (filled == leaf.length) {
        flushLeaf();
      }
    }
  }

  /** How many bytes were written. */
  public long count() {
    return count;
  }

  /**
   * The root of every byte written so far (a last, shorter leaf included); {@code H("")} when none
   * was. Does not change what later writes add.
   */
  public byte[] root() {
    if (filled == 0) {
      return builder.root();
    }
    MerkleBuilder copy = new MerkleBuilder(algorithm);
    for (MerkleBuilder.Subtree subtree : builder.subtrees()) {
      copy.addSubtree(subtree.root(), subtree.height());
    }
    copy.addLeafHash(MerkleHashes.leaf(hasher, leaf, 0, filled));
    return copy.root();
  }

  private void flushLeaf() {
    builder.addLeafHash(MerkleHashes.leaf(hasher, leaf, 0, filled));
    filled = 0;
  }
}
