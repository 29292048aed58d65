package org.sentryml.core.engine;

import java.util.Arrays;
import java.util.Objects;
import org.sentryml.core.hashing.Digest;

/**
 * The digest of one named resource.
 *
 * @param latticeChecksum for the lattice topology, the full 2048-byte LtHash16 checksum whose
 *     BLAKE2b-256 is the digest (so a verifier can update it incrementally); empty otherwise
 */
public record ResourceDigest(String name, Digest digest, byte[] latticeChecksum) {
  public ResourceDigest {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(digest, "digest");
    latticeChecksum = latticeChecksum.clone();
  }

  public ResourceDigest(String name, Digest digest) {
    this(name, digest, new byte[0]);
  }

  @Override
  public byte[] latticeChecksum() {
    return latticeChecksum.clone();
  }

  /** The same resource under another digest name (e.g. {@code sha256-sharded-8}). */
  public ResourceDigest renamed(String algorithm) {
    return new ResourceDigest(name, new Digest(algorithm, digest.value()), latticeChecksum);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ResourceDigest other
        && name.equals(other.name)
        && digest.equals(other.digest)
        && Arrays.equals(latticeChecksum, other.latticeChecksum);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + digest.hashCode();
  }
}
