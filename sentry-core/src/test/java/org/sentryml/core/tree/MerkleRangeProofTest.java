package org.sentryml.core.tree;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.sentryml.core.hashing.HashAlgorithm;
import org.sentryml.core.testing.NaiveMerkle;

class MerkleRangeProofTest {
  private static final HashAlgorithm SHA256 = HashAlgorithm.SHA256;

  private static List<byte[]> leafHashes(int n, long seed) {
    Random random = new Random(seed);
    List<byte[]> hashes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] leaf = new byte[8];
      random.nextBytes(leaf);
      hashes.add(NaiveMerkle.leafHash(SHA256, leaf));
    }
    return hashes;
  }

  private static byte[] root(List<byte[]> leafHashes) {
    MerkleBuilder builder = new MerkleBuilder(SHA256);
    leafHashes.forEach(builder::addLeafHash);
    return builder.root();
  }

  @Test
  void everyRangeOfEverySmallTreeVerifies() {
    for (int n = 1; n <= 17; n++) {
      List<byte[]> leaves = leafHashes(n, n);
      byte[] root = root(leaves);
      for (int begin = 0; begin < n; begin++) {
        for (int end = begin + 1; end <= n; end++) {
          MerkleRangeProof proof = MerkleRangeProof.prove(SHA256, leaves, begin, end);
          assertTrue(
              proof.verify(SHA256, leaves.subList(begin, end), root),
              n + " [" + begin + "," + end + ")");
        }
      }
    }
  }

  @Test
  void tamperedLeafOrProofHashFailsVerification() {
    List<byte[]> leaves = leafHashes(37, 7);
    byte[] root = root(leaves);
    MerkleRangeProof proof = MerkleRangeProof.prove(SHA256, leaves, 9, 14);
    List<byte[]> range = new ArrayList<>(leaves.subList(9, 14));
    byte[] changed = range.get(2).clone();
    changed[0] ^= 1;
    range.set(2, changed);
    assertFalse(proof.verify(SHA256, range, root));

    List<byte[]> forged = new ArrayList<>(proof.hashes());
    byte[] first = forged.get(0).clone();
    first[31] ^= (byte) 0x80;
    forged.set(0, first);
    MerkleRangeProof bad = new MerkleRangeProof(proof.leafCount(), 9, 14, forged);
    assertFalse(bad.verify(SHA256, leaves.subList(9, 14), root));
  }

  @Test
  void proofWithMissingOrExtraHashesFails() {
    List<byte[]> leaves = leafHashes(20, 3);
    byte[] root = root(leaves);
    MerkleRangeProof proof = MerkleRangeProof.prove(SHA256, leaves, 4, 6);
    List<byte[]> shorter = proof.hashes().subList(0, proof.hashes().size() - 1);
    assertFalse(new MerkleRangeProof(20, 4, 6, shorter).verify(SHA256, leaves.subList(4, 6), root));
    List<byte[]> longer = new ArrayList<>(proof.hashes());
    longer.add(new byte[32]);
    assertFalse(new MerkleRangeProof(20, 4, 6, longer).verify(SHA256, leaves.subList(4, 6), root));
  }

  @Test
  void rangeOutsideTreeIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> new MerkleRangeProof(4, 3, 5, List.of()));
    assertThrows(IllegalArgumentException.class, () -> new MerkleRangeProof(4, 2, 2, List.of()));
  }
}
