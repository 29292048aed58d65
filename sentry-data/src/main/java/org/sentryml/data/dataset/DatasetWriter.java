package org.sentryml.data.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.sentryml.confidential.encryption.ArtifactKind;
import org.sentryml.confidential.encryption.EncryptedFolder;
import org.sentryml.confidential.encryption.EncryptionHeader;
import org.sentryml.core.attestation.DatasetOrigin;
import org.sentryml.core.engine.HashEngine;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.PathProblems;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.errors.UsageException;
import org.sentryml.core.hashing.Digest;
import org.sentryml.core.io.OutputGuard;
import org.sentryml.core.io.StagedFolder;
import org.sentryml.core.io.TaskProgress;

/**
 * Prepares a dataset for the agents: splits the upstream rows among sources, writes one tar shard
 * per source, and records the index and the unsigned manifest with every source's lattice digests
 * and every shard's Merkle root.
 *
 * <p>Everything is written into a hidden folder beside the output folder and renamed into place at
 * the end, so an interrupted run leaves no dataset that looks complete; the lattices are folded
 * from the very samples written, so no second pass over the data is needed.
 */
public final class DatasetWriter {
  private DatasetWriter() {}

  /**
   * The upstream dataset: where it came from and its files by split (in row order).
   *
   * @param tokenizerJson a {@code tokenizer.json} to keep beside the shards for text datasets, or
   *     null
   */
  public record Upstream(
      DatasetOrigin origin, Map<String, List<Path>> filesBySplit, byte @Nullable [] tokenizerJson) {
    public Upstream {
      Objects.requireNonNull(origin, "origin");
      filesBySplit = new TreeMap<>(filesBySplit);
      if (filesBySplit.isEmpty()) {
        throw new MalformedInputException("dataset " + origin.id() + " has no data files");
      }
      tokenizerJson = tokenizerJson == null ? null : tokenizerJson.clone();
    }

    public Upstream(DatasetOrigin origin, Map<String, List<Path>> filesBySplit) {
      this(origin, filesBySplit, null);
    }

    @Override
    public byte[] tokenizerJson() {
      return tokenizerJson == null ? null : tokenizerJson.clone();
    }
  }

  /** The name a text dataset's tokenizer is kept under, beside the shards. */
  public static final String TOKENIZER_FILE = "tokenizer.json";

  /**
   * Splits, shards and hashes the upstream rows into {@code outDir}, written to a staging folder
   * beside it and renamed into place, so the output appears complete or not at all.
   *
   * @param replace replace an existing output folder; without it an existing, non-empty folder is
   *     an error reported before any work, and with it only a folder that this writer wrote (its
   *     index, manifest, shards and tokenizer, nothing else) is replaced
   * @param inputs what the run reads besides the upstream files (the cache, a mirror, a tokenizer):
   *     the output folder must not hold any of them, since it is replaced as a whole
   */
  public static DatasetManifest write(
      Upstream upstream,
      SplitPlan plan,
      Path outDir,
      boolean replace,
      Collection<Path> inputs,
      HashEngine engine,
      TaskProgress progress) {
    return write(upstream, plan, outDir, replace, inputs, engine, progress, null);
  }

  /**
   * As {@link #write(Upstream, SplitPlan, Path, boolean, Collection, HashEngine, TaskProgress)},
   * encrypting every file as it is written when {@code encryption} is given.
   */
  public static DatasetManifest write(
      Upstream upstream,
      SplitPlan plan,
      Path outDir,
      boolean replace,
      Collection<Path> inputs,
      HashEngine engine,
      TaskProgress progress,
      @Nullable DatasetEncryption encryption) {
    Path target = outDir.toAbsolutePath().normalize();
    List<Path> guarded = new ArrayList<>(inputs);
    upstream.filesBySplit().values().forEach(guarded::addAll);
    checkOutput(target, replace, guarded, encryption);
    if (encryption != null && plan.sources() > DatasetEncryption.MAX_SOURCES) {
      throw new UsageException(
          "an encrypted dataset has at most "
              + DatasetEncryption.MAX_SOURCES
              + " sources (each shard being written holds a file and a 1 MiB segment); got "
              + plan.sources());
    }
    Map<String, Long> splitSizes = new TreeMap<>();
    int[] labels = labelsOf(upstream, splitSizes);
    int[] assignment =
        assignmentOf(
            splitSizes, labels, new DirichletSplit(plan.sources(), plan.alpha(), plan.seed()));
    refuseEmptySources(plan, assignment);
    try (StagedFolder staging = StagedFolder.create(target);
        DatasetOutput output = DatasetOutput.create(staging.folder(), encryption)) {
      DatasetManifest manifest =
          writeShards(upstream, plan, labels, assignment, output, engine, progress);
      output.finish();
      staging.commit();
      return manifest;
    }
  }

  /**
   * Refuses an output folder that {@link #write} would refuse, so that a caller can check it before
   * fetching anything: one that is unsafe to replace ({@link OutputGuard}), or that exists and is
   * not (with {@code replace}) a dataset this writer wrote.
   */
  public static void checkOutput(Path outDir, boolean replace, Collection<Path> inputs) {
    checkOutput(outDir, replace, inputs, null);
  }

  /**
   * As {@link #checkOutput(Path, boolean, Collection)}; an existing encrypted dataset is recognised
   * as one this writer wrote with the keys of {@code encryption}.
   */
  public static void checkOutput(
      Path outDir,
      boolean replace,
      Collection<Path> inputs,
      @Nullable DatasetEncryption encryption) {
    Path target = outDir.toAbsolutePath().normalize();
    OutputGuard.refuseUnsafe(target, "output folder", inputs);
    refuseExisting(target, replace);
  }

  /** Every row's label in read order; {@code splitSizes} receives each split's row count. */
  private static int[] labelsOf(Upstream upstream, Map<String, Long> splitSizes) {
    List<int[]> parts = new ArrayList<>();
    long total = 0;
    for (Map.Entry<String, List<Path>> split : upstream.filesBySplit().entrySet()) {
      for (Path file : split.getValue()) {
        int[] part = ParquetSamples.labels(file);
        parts.add(part);
        splitSizes.merge(split.getKey(), (long) part.length, Long::sum);
        total += part.length;
        if (total > Integer.MAX_VALUE - 8) {
          throw new MalformedInputException(
              "dataset "
                  + upstream.origin().id()
                  + " has more rows than one split can assign ("
                  + (Integer.MAX_VALUE - 8)
                  + ")");
        }
      }
    }
    int[] labels = new int[(int) total];
    int at = 0;
    for (int[] part : parts) {
      System.arraycopy(part, 0, labels, at, part.length);
      at += part.length;
    }
    return labels;
  }

  /**
   * Every row's source, in read order: a function of the row's label and key alone, so the order
   * the rows are read in does not matter (the keys count rows per split, as {@link
   * ParquetSamples#forEach} names them).
   */
  private static int[] assignmentOf(
      Map<String, Long> splitSizes, int[] labels, DirichletSplit split) {
    DirichletSplit.Assigner assigner = split.assigner();
    int[] assignment = new int[labels.length];
    int g = 0;
    for (Map.Entry<String, Long> entry : splitSizes.entrySet()) {
      for (long inSplit = 0; inSplit < entry.getValue(); inSplit++, g++) {
        assignment[g] = assigner.sourceOf(labels[g], Sample.keyOf(entry.getKey(), inSplit));
      }
    }
    return assignment;
  }

  /**
   * Every source gets at least one sample, or nothing is written: an empty source would be signed
   * as a source that holds nothing, which no data provider means.
   */
  private static void refuseEmptySources(SplitPlan plan, int[] assignment) {
    long[] counts = new long[plan.sources()];
    for (int source : assignment) {
      counts[source]++;
    }
    refuseEmptySources(plan, counts);
  }

  /**
   * As {@link #write} refuses a split that leaves a source empty, for a caller that counted the
   * samples per source itself ({@code sentry-spark prepare}): same check, same message.
   *
   * @param counts element {@code s} is the number of samples source {@code s} gets
   */
  public static void refuseEmptySources(SplitPlan plan, long[] counts) {
    long total = java.util.Arrays.stream(counts).sum();
    if (total < plan.sources()) {
      throw new UsageException(
          String.format(
              Locale.ROOT,
              "%d sources for %d samples: every source needs at least one sample; use at most %d sources",
              plan.sources(),
              total,
              total));
    }
    List<String> empty = new ArrayList<>();
    for (int s = 0; s < counts.length; s++) {
      if (counts[s] == 0) {
        empty.add(plan.sourceName(s));
      }
    }
    if (!empty.isEmpty()) {
      throw new UsageException(
          String.format(
              Locale.ROOT,
              "%d of %d sources would get no samples (%s%s): alpha %s concentrates the classes on fewer sources;"
                  + " use a larger alpha, fewer sources or another --seed",
              empty.size(),
              plan.sources(),
              String.join(", ", empty.subList(0, Math.min(5, empty.size()))),
              empty.size() > 5 ? ", ..." : "",
              plan.alpha()));
    }
  }

  private static DatasetManifest writeShards(
      Upstream upstream,
      SplitPlan plan,
      int[] labels,
      int[] assignment,
      DatasetOutput output,
      HashEngine engine,
      TaskProgress progress) {
    List<ShardWriter> writers = new ArrayList<>();
    SourceLattices lattices = new SourceLattices();
    List<Map<String, Long>> splitCounts = new ArrayList<>();
    List<Map<Integer, Long>> labelCounts = new ArrayList<>();
    SampleKind[] kind = new SampleKind[1];
    try {
      for (int s = 0; s < plan.sources(); s++) {
        writers.add(output.newShard(SplitPlan.shardName(plan.sourceName(s))));
        splitCounts.add(new TreeMap<>());
        labelCounts.add(new TreeMap<>());
        for (String split : upstream.filesBySplit().keySet()) {
          lattices.expect(plan.sourceName(s), split);
        }
      }
      progress.start("writing " + plan.sources() + " shards", labels.length, "samples");
      int[] global = {0};
      for (Map.Entry<String, List<Path>> split : upstream.filesBySplit().entrySet()) {
        long[] inSplit = {0};
        for (Path file : split.getValue()) {
          ParquetSamples.forEach(
              file,
              split.getKey(),
              inSplit[0],
              sample -> {
                int g = global[0]++;
                if (g >= assignment.length || sample.label() != labels[g]) {
                  throw new MalformedInputException(
                      file + " changed while it was read (row " + inSplit[0] + ")");
                }
                if (kind[0] == null) {
                  kind[0] = sample.kind();
                } else if (kind[0] != sample.kind()) {
                  throw new MalformedInputException(file + " mixes image and text samples");
                }
                int source = assignment[g];
                writers.get(source).write(sample);
                lattices.add(plan.sourceName(source), sample);
                splitCounts.get(source).merge(sample.split(), 1L, Long::sum);
                labelCounts.get(source).merge(sample.label(), 1L, Long::sum);
                inSplit[0]++;
                progress.advance(1);
              });
        }
      }
      if (global[0] != assignment.length) {
        throw new MalformedInputException("the upstream files changed while they were read");
      }
      writers.forEach(ShardWriter::finish);
      progress.finish();
    } finally {
      writers.forEach(ShardWriter::close);
    }
    int classes = java.util.Arrays.stream(labels).max().orElse(-1) + 1;
    SampleKind sampleKind = kind[0] == null ? SampleKind.IMAGE : kind[0];
    List<String> shardNames = new ArrayList<>();
    for (int s = 0; s < plan.sources(); s++) {
      shardNames.add(SplitPlan.shardName(plan.sourceName(s)));
    }
    List<Digest> roots = output.shardRoots(shardNames, engine);
    List<DatasetIndex.IndexedSource> indexed = new ArrayList<>();
    List<SourceDigest> digests = new ArrayList<>();
    for (int s = 0; s < plan.sources(); s++) {
      String name = plan.sourceName(s);
      String shard = SplitPlan.shardName(name);
      indexed.add(
          new DatasetIndex.IndexedSource(name, shard, splitCounts.get(s), labelCounts.get(s)));
      digests.add(
          new SourceDigest(
              name, shard, output.shardSize(shard), roots.get(s), lattices.digests(name)));
    }
    if (upstream.tokenizerJson() != null) {
      output.writeFile(TOKENIZER_FILE, upstream.tokenizerJson());
    }
    output.writeFile(
        DatasetIndex.FILE,
        new DatasetIndex(upstream.origin(), sampleKind, classes, indexed).toBytes());
    DatasetManifest manifest =
        new DatasetManifest(upstream.origin(), sampleKind, classes, plan, digests);
    output.writeFile(DatasetManifest.FILE, manifest.toBytes());
    return manifest;
  }

  /**
   * An existing output folder is replaced only with {@code replace}, and then only when it is one
   * this writer wrote: its index and manifest read back, and it holds nothing else but their shards
   * and a tokenizer — or, encrypted, its header names a dataset key and lists every file in it.
   * Anything else in it is someone's, and {@code --force} does not delete it.
   */
  private static void refuseExisting(Path target, boolean replace) {
    if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (!Files.isDirectory(target)) {
      throw new UsageException("output " + target + " exists and is not a folder");
    }
    List<String> entries;
    try (Stream<Path> list = Files.list(target)) {
      entries = list.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw PathProblems.classify(target, e);
    }
    if (entries.isEmpty()) {
      return;
    }
    if (!replace) {
      throw new UsageException(
          "output folder " + target + " already holds files; pass --force to replace it");
    }
    Set<String> ours =
        new HashSet<>(
            List.of(
                DatasetIndex.FILE,
                DatasetManifest.FILE,
                TOKENIZER_FILE,
                EncryptionHeader.FILE_NAME));
    try {
      if (EncryptedFolder.isEncrypted(target)) {
        // Its header lists every file, readable without the key: replacing an encrypted dataset
        // needs neither the key it was written with nor a key at all (a run in clear, say).
        EncryptionHeader header = EncryptedFolder.unverifiedHeader(target);
        if (header.keyId().kind() != ArtifactKind.DATASET
            || header.file(DatasetManifest.FILE).isEmpty()
            || header.file(DatasetIndex.FILE).isEmpty()) {
          throw new UsageException(
              "its encryption header names " + header.keyId() + ", not a dataset's files");
        }
        header.files().forEach(f -> ours.add(f.path()));
      } else {
        DatasetFiles existing = DatasetFiles.clear(target);
        DatasetManifest.read(existing).sources().forEach(s -> ours.add(s.shard()));
        DatasetIndex.read(existing).sources().forEach(s -> ours.add(s.shard()));
      }
    } catch (SentryException e) {
      throw new UsageException(
          "refusing to replace "
              + target
              + " with --force: it is not a dataset"
              + " sentry-dataset wrote ("
              + e.getMessage()
              + ")",
          e);
    }
    for (String entry : entries) {
      if (!ours.contains(entry)
          || !Files.isRegularFile(target.resolve(entry), LinkOption.NOFOLLOW_LINKS)) {
        throw new UsageException(
            "refusing to replace "
                + target
                + " with --force: it holds "
                + entry
                + ", which sentry-dataset did not write; move it away or choose another output folder");
      }
    }
  }
}
