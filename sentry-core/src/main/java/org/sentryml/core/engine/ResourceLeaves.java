package org.sentryml.core.engine;

/**
 * The Merkle leaf digests of one resource, in stream order.
 *
 * @param leaves {@code ceil(size / leafSize)} digests of the tree's hash, concatenated
 */
public record ResourceLeaves(String name, long size, int leafSize, byte[] leaves) {
  public ResourceLeaves {
    leaves = leaves.clone();
  }

  @Override
  public byte[] leaves() {
    return leaves.clone();
  }
}
