package org.sentryml.core.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.sentryml.core.engine.HashEngine;
import org.sentryml.core.engine.HashingOptions;
import org.sentryml.core.errors.ExitCode;
import org.sentryml.core.errors.PathProblems;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.hashing.Digest;
import org.sentryml.core.io.AtomicFile;
import org.sentryml.core.io.TaskProgress;
import org.sentryml.core.hashing.HashAlgorithm;
import org.sentryml.core.manifest.ByteRegion.FileRegion;
import org.sentryml.core.manifest.Resource;
import org.sentryml.core.tree.Topology;

/**
 * Prepares a dataset for the agents: splits the upstream rows among sources, writes one tar shard
 * per source, and records the index and the unsigned manifest with every source's lattice digests
 * and every shard's Merkle root.
 *
 * <p>Everything is written into a hidden folder beside the output folder and renamed into place
 * at the end, so an interrupted run leaves no dataset that looks complete; the lattices are
 * folded from the very samples written, so no second pass over the data is needed.
 */
public final class DatasetWriter {
  private DatasetWriter() {}

  /**
   * The upstream dataset: where it came from and its files by split (in row order).
   *
   * @param tokenizerJson a {@code tokenizer.json} to keep beside the shards for text datasets, or
   *     null
   */
  public record Upstream(DatasetOrigin origin, Map<String, List<Path>> filesBySplit, byte[] tokenizerJson) {
    public Upstream {
      Objects.requireNonNull(origin, "origin");
      filesBySplit = new TreeMap<>(filesBySplit);
      if (filesBySplit.isEmpty()) {
        throw new SentryException(ExitCode.BAD_INPUT, "dataset " + origin.id() + " has no data files");
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
   * @param replace replace an existing output folder; without it an existing, non-empty folder is
   *     an error reported before any work
   */
  public static DatasetManifest write(
      Upstream upstream, SplitPlan plan, Path outDir, boolean replace, HashEngine engine, TaskProgress progress) {
    Path target = outDir.toAbsolutePath().normalize();
    refuseExisting(target, replace);
    int[] labels = labelsOf(upstream);
    int[] assignment = new DirichletSplit(plan.sources(), plan.alpha(), plan.seed()).assign(labels);
    Path staging = createStaging(target);
    try {
      DatasetManifest manifest = writeShards(upstream, plan, labels, assignment, staging, engine, progress);
      moveIntoPlace(staging, target);
      return manifest;
    } finally {
      deleteTree(staging);
    }
  }

  private static int[] labelsOf(Upstream upstream) {
    List<int[]> parts = new ArrayList<>();
    int total = 0;
    for (List<Path> files : upstream.filesBySplit().values()) {
      for (Path file : files) {
        int[] part = ParquetSamples.labels(file);
        parts.add(part);
        total = Math.addExact(total, part.length);
      }
    }
    int[] labels = new int[total];
    int at = 0;
    for (int[] part : parts) {
      System.arraycopy(part, 0, labels, at, part.length);
      at += part.length;
    }
    return labels;
  }

  private static DatasetManifest writeShards(
      Upstream upstream, SplitPlan plan, int[] labels, int[] assignment,
      Path staging, HashEngine engine, TaskProgress progress) {
    List<ShardWriter> writers = new ArrayList<>();
    SourceLattices lattices = new SourceLattices();
    List<Map<String, Long>> splitCounts = new ArrayList<>();
    List<Map<Integer, Long>> labelCounts = new ArrayList<>();
    SampleKind[] kind = new SampleKind[1];
    try {
      for (int s = 0; s < plan.sources(); s++) {
        writers.add(new ShardWriter(staging.resolve(SplitPlan.shardName(plan.sourceName(s)))));
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
          ParquetSamples.forEach(file, split.getKey(), inSplit[0], sample -> {
            int g = global[0]++;
            if (g >= assignment.length || sample.label() != labels[g]) {
              throw new SentryException(ExitCode.BAD_INPUT, file + " changed while it was read (row " + inSplit[0] + ")");
            }
            if (kind[0] == null) {
              kind[0] = sample.kind();
            } else if (kind[0] != sample.kind()) {
              throw new SentryException(ExitCode.BAD_INPUT, file + " mixes image and text samples");
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
        throw new SentryException(ExitCode.BAD_INPUT, "the upstream files changed while they were read");
      }
      writers.forEach(ShardWriter::finish);
      progress.finish();
    } finally {
      writers.forEach(ShardWriter::close);
    }
    int classes = java.util.Arrays.stream(labels).max().orElse(-1) + 1;
    SampleKind sampleKind = kind[0] == null ? SampleKind.IMAGE : kind[0];
    List<DatasetIndex.IndexedSource> indexed = new ArrayList<>();
    List<SourceDigest> digests = new ArrayList<>();
    for (int s = 0; s < plan.sources(); s++) {
      String name = plan.sourceName(s);
      String shard = SplitPlan.shardName(name);
      Path shardFile = staging.resolve(shard);
      indexed.add(new DatasetIndex.IndexedSource(name, shard, splitCounts.get(s), labelCounts.get(s)));
      digests.add(new SourceDigest(name, shard, sizeOf(shardFile), shardRoot(shardFile, engine), lattices.digests(name)));
    }
    if (upstream.tokenizerJson() != null) {
      AtomicFile.write(staging.resolve(TOKENIZER_FILE), upstream.tokenizerJson());
    }
    new DatasetIndex(upstream.origin(), sampleKind, classes, indexed).write(staging);
    DatasetManifest manifest = new DatasetManifest(upstream.origin(), sampleKind, classes, plan, digests);
    manifest.write(staging);
    return manifest;
  }

  /** The at-rest digest of a shard file: {@link DatasetManifest#SHARD_ROOT_ALGORITHM}. */
  public static Digest shardRoot(Path shard, HashEngine engine) {
    HashingOptions options = new HashingOptions(Topology.MERKLE, HashAlgorithm.SHA256, 65536);
    Resource resource = new Resource(shard.getFileName().toString(), List.of(new FileRegion(shard, 0, sizeOf(shard))));
    return engine.hash(List.of(resource), options).get(0).digest();
  }

  private static long sizeOf(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw PathProblems.classify(file, e);
    }
  }

  private static void refuseExisting(Path target, boolean replace) {
    if (replace || !Files.exists(target)) {
      return;
    }
    try (Stream<Path> entries = Files.list(target)) {
      if (entries.findAny().isPresent()) {
        throw new SentryException(ExitCode.USAGE, "output folder " + target + " already holds files; pass --force to replace it");
      }
    } catch (IOException e) {
      throw PathProblems.classify(target, e);
    }
  }

  private static Path createStaging(Path target) {
    try {
      Files.createDirectories(target.getParent());
      Path staging = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".partial-");
      if (staging.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        // Temporary folders are owner-only; a prepared dataset is as readable as the shards in it.
        Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
      return staging;
    } catch (IOException e) {
      throw PathProblems.classify(target.getParent(), e);
    }
  }

  /** Renames the finished staging folder over the target; an old target is moved aside first. */
  private static void moveIntoPlace(Path staging, Path target) {
    try {
      Path old = null;
      if (Files.exists(target)) {
        old = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".old-");
        Files.delete(old);
        Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
      }
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      if (old != null) {
        deleteTree(old);
      }
    } catch (IOException e) {
      throw PathProblems.classify(target, e);
    }
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException ignored) {
      // Leftover staging files are hidden and never mistaken for a dataset; the real error matters.
    }
  }

}
