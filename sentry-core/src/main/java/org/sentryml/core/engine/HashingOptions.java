package org.sentryml.core.engine;

import java.util.Locale;
import org.sentryml.core.errors.UsageException;
import org.sentryml.core.hashing.HashAlgorithm;
import org.sentryml.core.tree.LtHash16;
import org.sentryml.core.tree.Topology;

/**
 * What to compute for each resource. Validated at construction, so an engine never sees an
 * unsupported combination.
 *
 * @param leafSize bytes per Merkle leaf or lattice chunk; a power of two in [{@link
 *     #MIN_LEAF_SIZE}, {@link #MAX_LEAF_SIZE}] (ignored by the flat topology)
 */
public record HashingOptions(Topology topology, HashAlgorithm algorithm, int leafSize) {
  public static final int MIN_LEAF_SIZE = 4096;
  public static final int MAX_LEAF_SIZE = 256 << 20;

  /** The default leaf size; see docs/BENCHMARKS.md for the measurements behind it. */
  public static final int DEFAULT_LEAF_SIZE = 65536;

  public HashingOptions {
    checkLeafSize(leafSize);
    if (topology == Topology.LATTICE && algorithm != HashAlgorithm.BLAKE2XB) {
      throw new UsageException(
          "the lattice topology expands elements with blake2xb; algorithm "
              + algorithm.id()
              + " does not apply to it");
    }
  }

  public static HashingOptions merkle(HashAlgorithm algorithm, int leafSize) {
    return new HashingOptions(Topology.MERKLE, algorithm, leafSize);
  }

  public static HashingOptions flat(HashAlgorithm algorithm) {
    return new HashingOptions(Topology.FLAT, algorithm, DEFAULT_LEAF_SIZE);
  }

  public static HashingOptions lattice(int leafSize) {
    return new HashingOptions(Topology.LATTICE, HashAlgorithm.BLAKE2XB, leafSize);
  }

  /** The full digest name, encoding every parameter that changes the value. */
  public String digestName() {
    return switch (topology) {
      case FLAT -> algorithm.id();
      case MERKLE -> algorithm.id() + "-merkle-" + leafSize;
      case LATTICE -> LtHash16.NAME + "-" + leafSize;
    };
  }

  public static void checkLeafSize(long leafSize) {
    if (leafSize < MIN_LEAF_SIZE || leafSize > MAX_LEAF_SIZE || Long.bitCount(leafSize) != 1) {
      throw new UsageException(
          String.format(
              Locale.ROOT,
              "invalid leaf size %d: it must be a power of two from %d to %d bytes",
              leafSize,
              MIN_LEAF_SIZE,
              MAX_LEAF_SIZE));
    }
  }
}
