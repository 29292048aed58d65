package org.sentryml.core.tree;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.sentryml.core.hashing.HashAlgorithm;
import org.sentryml.core.hashing.Hasher;

/**
 * An inclusion proof for the contiguous leaf range {@code [begin, end)} of an RFC 6962 tree with
 * {@code leafCount} leaves: the roots of the maximal subtrees outside the range, left to right.
 * Together with the hashes of the leaves in the range they determine the tree hash, so a verifier
 * holding only those bytes of a file can check them against a signed root.
 */
public record MerkleRangeProof(long leafCount, long begin, long end, List<byte[]> hashes) {

  public MerkleRangeProof {
    if (begin < 0 || begin >= end || end > leafCount) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "leaf range [%d, %d) is not inside a tree of %d leaves",
              begin,
              end,
              leafCount));
    }
    hashes = hashes.stream().map(byte[]::clone).toList();
  }

  /** Builds the proof for {@code [begin, end)} from every leaf hash of the tree. */
  public static MerkleRangeProof prove(
      HashAlgorithm algorithm, List<byte[]> leafHashes, long begin, long end) {
    List<byte[]> out = new ArrayList<>();
    new Prover(algorithm, leafHashes, begin, end, out).visit(0, leafHashes.size());
    return new MerkleRangeProof(leafHashes.size(), begin, end, out);
  }

  /**
   * Recomputes the root from the hashes of the leaves in the range and this proof, and compares it
   * with {@code expectedRoot} in constant time.
   */
  public boolean verify(
      HashAlgorithm algorithm, List<byte[]> rangeLeafHashes, byte[] expectedRoot) {
    if (rangeLeafHashes.size() != end - begin) {
      return false;
    }
    Verifier verifier = new Verifier(algorithm, rangeLeafHashes, hashes.iterator());
    byte[] root;
    try {
      root = verifier.visit(0, leafCount);
    } catch (ProofTooShort e) {
      return false;
    }
    return !verifier.proofHashes.hasNext() && MessageDigest.isEqual(root, expectedRoot);
  }

  /** Largest power of two strictly smaller than {@code n} (n ≥ 2): the RFC 6962 split point. */
  static long split(long n) {
    return Long.highestOneBit(n - 1);
  }

  private record Prover(
      HashAlgorithm algorithm, List<byte[]> leaves, long begin, long end, List<byte[]> out) {
    void visit(long lo, long hi) {
      if (hi <= begin || lo >= end) {
        out.add(subtreeRoot(algorithm, leaves.subList((int) lo, (int) hi)));
      } else if (lo < begin || hi > end) {
        long k = split(hi - lo);
        visit(lo, lo + k);
        visit(lo + k, hi);
      }
    }
  }

  private final class Verifier {
    private final HashAlgorithm algorithm;
    private final Hasher hasher;
    private final List<byte[]> rangeLeaves;
    private final Iterator<byte[]> proofHashes;

    Verifier(HashAlgorithm algorithm, List<byte[]> rangeLeaves, Iterator<byte[]> proofHashes) {
      this.algorithm = algorithm;
      this.hasher = algorithm.newHasher();
      this.rangeLeaves = rangeLeaves;
      this.proofHashes = proofHashes;
    }

    byte[] visit(long lo, long hi) {
      if (hi <= begin || lo >= end) {
        if (!proofHashes.hasNext()) {
          throw new ProofTooShort();
        }
        return proofHashes.next();
      }
      if (lo >= begin && hi <= end) {
        return subtreeRoot(algorithm, rangeLeaves.subList((int) (lo - begin), (int) (hi - begin)));
      }
      long k = split(hi - lo);
      byte[] left = visit(lo, lo + k);
      byte[] right = visit(lo + k, hi);
      return MerkleHashes.node(hasher, left, right);
    }
  }

  private static byte[] subtreeRoot(HashAlgorithm algorithm, List<byte[]> leafHashes) {
    MerkleBuilder builder = new MerkleBuilder(algorithm);
    leafHashes.forEach(builder::addLeafHash);
    return builder.root();
  }

  private static final class ProofTooShort extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ProofTooShort() {
      super(null, null, false, false);
    }
  }
}
