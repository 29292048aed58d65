package org.sentryml.data.dataset;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.sentryml.core.attestation.SplitDigest;
import org.sentryml.core.hashing.Blake2Xb;
import org.sentryml.core.tree.LatticeElements;
import org.sentryml.core.tree.LtHash16;

/**
 * Folds samples into one LtHash16 lattice per (source, split), in whatever order they arrive
 * (DESIGN §1.2, §3). A source's digest over all its samples is the lane-wise sum of its splits'
 * lattices, so splits streamed in different passes still add up to the source's digest.
 *
 * <p>Not thread-safe; merge per-thread instances with {@link #addAll}.
 */
public final class SourceLattices {
  private final Map<String, Map<String, SplitLattice>> sources = new TreeMap<>();
  private final Blake2Xb expander = LatticeElements.newExpander();

  /** A lattice with its element count. */
  public static final class SplitLattice {
    private final LtHash16 lattice = new LtHash16();
    private long samples;

    public LtHash16 lattice() {
      return lattice;
    }

    public long samples() {
      return samples;
    }
  }

  public void add(String source, Sample sample) {
    byte[] element =
        LatticeElements.expandSample(
            expander,
            sample.key().getBytes(StandardCharsets.UTF_8),
            sample.labelBytes(),
            sample.data());
    SplitLattice split = split(source, sample.split());
    split.lattice.addExpansion(element);
    split.samples++;
  }

  /** Merges everything {@code other} has seen into this. */
  public void addAll(SourceLattices other) {
    other.sources.forEach(
        (source, splits) ->
            splits.forEach(
                (name, theirs) -> {
                  SplitLattice mine = split(source, name);
                  mine.lattice.add(theirs.lattice);
                  mine.samples += theirs.samples;
                }));
  }

  /**
   * Adds a lattice folded elsewhere (another thread, process or machine) to {@code source}'s split:
   * the lattice is a sum, so the parts may be folded apart and added in any order.
   */
  public void addDigest(String source, SplitDigest digest) {
    addSum(source, digest.split(), digest.lattice(), digest.samples());
  }

  /**
   * Adds a partial sum of {@code samples} elements to a (source, split): what {@link #bySource}
   * reported elsewhere, e.g. the lattices of an epoch in progress kept in a training checkpoint.
   */
  public void addSum(String source, String split, LtHash16 sum, long samples) {
    if (samples < 0) {
      throw new IllegalArgumentException("a lattice cannot hold " + samples + " samples");
    }
    SplitLattice lattice = split(source, split);
    lattice.lattice.add(sum);
    lattice.samples += samples;
  }

  /** Registers a source so that it is reported even when none of its samples were seen. */
  public void expect(String source, String split) {
    split(source, split);
  }

  /** Sources in name order, each with its splits in name order. */
  public Map<String, Map<String, SplitLattice>> bySource() {
    Map<String, Map<String, SplitLattice>> copy = new TreeMap<>();
    sources.forEach((source, splits) -> copy.put(source, new TreeMap<>(splits)));
    return copy;
  }

  /** One source's splits as digests, in split-name order; empty for a source never seen. */
  public List<SplitDigest> digests(String source) {
    List<SplitDigest> digests = new ArrayList<>();
    sources
        .getOrDefault(source, Map.of())
        .forEach(
            (split, lattice) ->
                digests.add(new SplitDigest(split, lattice.samples, lattice.lattice)));
    return digests;
  }

  private SplitLattice split(String source, String split) {
    return sources
        .computeIfAbsent(source, s -> new TreeMap<>())
        .computeIfAbsent(split, s -> new SplitLattice());
  }
}
