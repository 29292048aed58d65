package org.sentryml.data.dataset;

import java.util.List;
import java.util.Objects;
import org.sentryml.core.attestation.SplitDigest;
import org.sentryml.core.hashing.Digest;
import org.sentryml.core.tree.LtHash16;

/**
 * The digests of one data source: a lattice per split (order-independent, for on-the-fly checks)
 * and the Merkle root of its shard file (for at-rest checks of the bytes on disk).
 *
 * @param shardRoot {@code sha256-merkle-65536} root of the shard file as written; a reordered but
 *     otherwise equal shard has another root and the same lattices
 */
public record SourceDigest(
    String name, String shard, long shardSize, Digest shardRoot, List<SplitDigest> splits) {
  public SourceDigest {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(shard, "shard");
    Objects.requireNonNull(shardRoot, "shardRoot");
    splits = List.copyOf(splits);
  }

  public long samples() {
    return splits.stream().mapToLong(SplitDigest::samples).sum();
  }

  /** The digest of {@link #total()}: BLAKE2b-256 of the summed checksum. */
  public Digest totalDigest() {
    return new Digest(LtHash16.NAME, total().digest());
  }

  /** The lattice over all of the source's samples: the lane-wise sum of its splits. */
  public LtHash16 total() {
    LtHash16 total = new LtHash16();
    splits.forEach(split -> total.add(split.lattice()));
    return total;
  }
}
