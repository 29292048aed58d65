package org.sentryml.core.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.sentryml.core.hashing.HashAlgorithm;
import org.sentryml.core.hashing.Hasher;

/**
 * A deliberately naive RFC 6962 §2.1 Merkle Tree Hash, written straight from the recursive
 * definition, to cross-check the incremental and parallel implementations.
 */
public final class NaiveMerkle {
  private NaiveMerkle() {}

  public static byte[] treeHash(HashAlgorithm algorithm, byte[] data, int leafSize) {
    List<byte[]> leaves = new ArrayList<>();
    for (int at = 0; at < data.length; at += leafSize) {
      leaves.add(Arrays.copyOfRange(data, at, Math.min(data.length, at + leafSize)));
    }
    return mth(algorithm, leaves);
  }

  /** MTH over the given leaf inputs (not yet hashed). */
  public static byte[] mth(HashAlgorithm algorithm, List<byte[]> leafInputs) {
    Hasher hasher = algorithm.newHasher();
    int n = leafInputs.size();
    if (n == 0) {
      return hasher.digest();
    }
    if (n == 1) {
      hasher.update((byte) 0);
      hasher.update(leafInputs.get(0));
      return hasher.digest();
    }
    int k = 1;
    while (k * 2 < n) {
      k *= 2;
    }
    byte[] left = mth(algorithm, leafInputs.subList(0, k));
    byte[] right = mth(algorithm, leafInputs.subList(k, n));
    hasher.update((byte) 1);
    hasher.update(left);
    hasher.update(right);
    return hasher.digest();
  }

  public static byte[] leafHash(HashAlgorithm algorithm, byte[] leafInput) {
    Hasher hasher = algorithm.newHasher();
    hasher.update((byte) 0);
    hasher.update(leafInput);
    return hasher.digest();
  }
}
