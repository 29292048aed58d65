package org.sentryml.data.dataset;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.sentryml.core.attestation.SplitDigest;
import org.sentryml.core.tree.LtHash16;

/**
 * Compares the lattices a stream produced with the digests a manifest or signature records, per
 * source and split, and names every difference with expected and actual digests and counts.
 */
public final class DatasetCheck {
  private DatasetCheck() {}

  /** What a source should contain: its shard's file name and its splits' digests. */
  public record ExpectedSource(String shard, List<SplitDigest> splits) {
    public ExpectedSource {
      splits = List.copyOf(splits);
    }
  }

  /**
   * One (source, split) whose samples differ. {@code expected} is null for a source or split that
   * nothing records; {@code actual} is null for one the stream never produced.
   */
  public record Mismatch(
      String source,
      String shard,
      String split,
      @Nullable SplitDigest expected,
      @Nullable SplitDigest actual) {
    public String describe() {
      return String.format(
          Locale.ROOT,
          "%s (%s), split %s: expected %s, read %s",
          source,
          shard,
          split,
          describe(expected),
          describe(actual));
    }

    private static String describe(SplitDigest digest) {
      return digest == null
          ? "nothing"
          : String.format(
              Locale.ROOT,
              "%d samples with %s:%s",
              digest.samples(),
              LtHash16.NAME,
              digest.digest().hex());
    }
  }

  /** Every mismatch, by source name then split name; empty when the stream matches. */
  public static List<Mismatch> compare(
      Map<String, ExpectedSource> expected, SourceLattices actual) {
    Set<String> sources = new TreeSet<>(expected.keySet());
    sources.addAll(actual.bySource().keySet());
    List<Mismatch> mismatches = new ArrayList<>();
    for (String source : sources) {
      ExpectedSource want = expected.get(source);
      Map<String, SplitDigest> wanted = new TreeMap<>();
      if (want != null) {
        want.splits().forEach(s -> wanted.put(s.split(), s));
      }
      Map<String, SplitDigest> got = new TreeMap<>();
      actual.digests(source).forEach(s -> got.put(s.split(), s));
      Set<String> splits = new TreeSet<>(wanted.keySet());
      splits.addAll(got.keySet());
      String shard = want == null ? SplitPlan.shardName(source) : want.shard();
      for (String split : splits) {
        SplitDigest e = wanted.get(split);
        SplitDigest a = got.get(split);
        boolean bothEmpty = (e == null || e.samples() == 0) && (a == null || a.samples() == 0);
        if (!bothEmpty && (e == null || a == null || !e.matches(a))) {
          mismatches.add(new Mismatch(source, shard, split, e, a));
        }
      }
    }
    return mismatches;
  }

  /** The manifest's sources as expectations. */
  public static Map<String, ExpectedSource> expectations(DatasetManifest manifest) {
    Map<String, ExpectedSource> expected = new TreeMap<>();
    manifest
        .sources()
        .forEach(s -> expected.put(s.name(), new ExpectedSource(s.shard(), s.splits())));
    return expected;
  }
}
