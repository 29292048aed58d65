package org.sentryml.core.tree;

import java.util.ArrayList;
import java.util.List;
import org.sentryml.core.hashing.HashAlgorithm;
import org.sentryml.core.hashing.Hasher;

/**
 * Computes the RFC 6962 Merkle Tree Hash of a sequence of leaves fed in order, keeping only one
 * pending perfect-subtree root per level (O(log n) memory).
 *
 * <p>Perfect subtrees are merged as soon as two of equal height meet; at the end the remaining
 * roots are folded from right to left, which yields exactly the RFC 6962 §2.1 shape (split at the
 * largest power of two smaller than n). An empty tree hashes to {@code H("")}. Whole perfect
 * subtrees computed elsewhere (another thread, native code) can be added with {@link #addSubtree}.
 * Not thread-safe.
 */
public final class MerkleBuilder {
  /** The root of a perfect subtree of {@code 2^height} leaves. */
  public record Subtree(byte[] root, int height) {}

  private final Hasher hasher;
  private final List<Subtree> pending = new ArrayList<>();
  private long leafCount;

  public MerkleBuilder(HashAlgorithm algorithm) {
    this.hasher = algorithm.newHasher();
  }

  /** Appends the hash of the next leaf ({@code H(0x00 ‖ chunk)}, see {@link MerkleHashes}). */
  public void addLeafHash(byte[] leafHash) {
    addSubtree(leafHash, 0);
  }

  /**
   * Appends the root of a perfect subtree of {@code 2^height} leaves.
   *
   * @throws IllegalArgumentException unless the leaves added so far are a multiple of {@code
   *     2^height} and no smaller subtree is pending, i.e. unless the subtree sits where RFC 6962
   *     puts a perfect subtree of that height
   */
  public void addSubtree(byte[] root, int height) {
    long size = 1L << height;
    boolean aligned = leafCount % size == 0;
    boolean fits = pending.isEmpty() || pending.get(pending.size() - 1).height() >= height;
    if (height < 0 || height > 62 || !aligned || !fits) {
      throw new IllegalArgumentException(
          "a subtree of height " + height + " cannot follow " + leafCount + " leaves");
    }
    byte[] current = root;
    int level = height;
    while (!pending.isEmpty() && pending.get(pending.size() - 1).height() == level) {
      current = MerkleHashes.node(hasher, pending.remove(pending.size() - 1).root(), current);
      level++;
    }
    pending.add(new Subtree(current, level));
    leafCount += size;
  }

  public long leafCount() {
    return leafCount;
  }

  /**
   * The pending perfect subtrees, largest first: the RFC 6962 decomposition of the leaves so far.
   */
  public List<Subtree> subtrees() {
    return List.copyOf(pending);
  }

  /** The tree hash of every leaf added so far. Does not change the builder's state. */
  public byte[] root() {
    if (pending.isEmpty()) {
      return hasher.digest();
    }
    byte[] right = pending.get(pending.size() - 1).root();
    for (int i = pending.size() - 2; i >= 0; i--) {
      right = MerkleHashes.node(hasher, pending.get(i).root(), right);
    }
    return right.clone();
  }
}
