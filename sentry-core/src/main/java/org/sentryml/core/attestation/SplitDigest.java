package org.sentryml.core.attestation;

import java.util.Objects;
import org.sentryml.core.hashing.Digest;
import org.sentryml.core.tree.LtHash16;

/**
 * The lattice digest of one split of one source: its sample count and full LtHash16 checksum (the
 * signed digest is BLAKE2b-256 of the checksum, DESIGN §3).
 */
public record SplitDigest(String split, long samples, LtHash16 lattice) {
  public SplitDigest {
    Objects.requireNonNull(split, "split");
    Objects.requireNonNull(lattice, "lattice");
    if (samples < 0) {
      throw new IllegalArgumentException("negative sample count for split " + split);
    }
  }

  public Digest digest() {
    return new Digest(LtHash16.NAME, lattice.digest());
  }

  /** Equal sample count and checksum; the checksum is compared in constant time. */
  public boolean matches(SplitDigest other) {
    return split.equals(other.split) && lattice.sameAs(other.lattice) && samples == other.samples;
  }
}
