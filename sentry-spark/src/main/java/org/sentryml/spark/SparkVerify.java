package org.sentryml.spark;

import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.SparkSession;
import org.sentryml.core.attestation.DatasetStatementCodec.SignedSource;
import org.sentryml.core.attestation.SplitDigest;
import org.sentryml.core.engine.HashEngine;
import org.sentryml.core.errors.PathProblems;
import org.sentryml.core.hashing.Digest;
import org.sentryml.core.signing.StatementVerifier;
import org.sentryml.core.tree.LtHash16;
import org.sentryml.data.dataset.DatasetCheck;
import org.sentryml.data.dataset.DatasetIndex;
import org.sentryml.data.dataset.DatasetManifest;
import org.sentryml.data.dataset.ShardReader;
import org.sentryml.data.dataset.ShardRoots;
import org.sentryml.data.dataset.SourceDigest;
import org.sentryml.data.dataset.SourceLattices;
import org.sentryml.training.pipeline.SignatureFolder;

/**
 * {@code sentry-spark verify}: the dataset check of {@code sentry-inferencer} on a cluster. The
 * driver verifies every {@code dataset_<source>.sig} (signatures never leave it); one task per
 * shard reads the shard with the strict reader, folds its samples into lattices and hashes the
 * file; the driver compares the lattices with the signed digests and the files with {@code
 * manifest.json}. A lattice that differs fails the check (exit 1, naming the source and split); a
 * shard file that differs from the manifest is reported and decides nothing, as in the inferencer.
 */
public final class SparkVerify {
  private SparkVerify() {}

  /** The outcome: what differs, by source. */
  public record Report(
      List<String> sources,
      List<DatasetCheck.Mismatch> mismatches,
      List<ShardRoots.Difference> shardDifferences,
      String verifier) {
    public boolean ok() {
      return mismatches.isEmpty();
    }

    /** The lines the inferencer prints for the same differences. */
    public List<String> lines() {
      List<String> lines = new ArrayList<>();
      mismatches.forEach(m -> lines.add("dataset: " + m.describe()));
      shardDifferences.forEach(
          d ->
              lines.add(
                  "note: shard " + d.describe() + " (its samples are what the signatures decide)"));
      return lines;
    }

    /** The inferencer's one-line reason. */
    public String failure() {
      return "the data streamed differs from its signatures in "
          + String.join(
              ", ", mismatches.stream().map(DatasetCheck.Mismatch::source).distinct().toList());
    }
  }

  public static Report run(
      SparkSession spark,
      Path datasetDir,
      SignatureFolder signatures,
      StatementVerifier verifier,
      ExecutorEngine engine) {
    try {
      return verify(spark, datasetDir, signatures, verifier, engine);
    } catch (RuntimeException e) {
      throw SparkFailures.unwrap(e);
    }
  }

  private static Report verify(
      SparkSession spark,
      Path datasetDir,
      SignatureFolder signatures,
      StatementVerifier verifier,
      ExecutorEngine engine) {
    Map<String, SignedSource> signed = signatures.verifySources(verifier);
    DatasetManifest manifest = DatasetManifest.read(datasetDir);
    DatasetIndex index = DatasetIndex.read(datasetDir);
    List<ShardTask> tasks = new ArrayList<>();
    for (DatasetIndex.IndexedSource source : index.sources()) {
      tasks.add(
          new ShardTask(
              source.name(),
              datasetDir.resolve(source.shard()).toAbsolutePath().toString(),
              index.splits()));
    }
    JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<ShardResult> results =
        context
            .parallelize(tasks, Math.max(1, tasks.size()))
            .mapPartitions(new ReadShards(engine))
            .collect();
    SourceLattices lattices = new SourceLattices();
    Map<String, ShardResult> byName = new TreeMap<>();
    for (ShardResult r : results) {
      byName.put(r.source(), r);
      lattices.addAll(r.lattices());
    }
    Map<String, DatasetCheck.ExpectedSource> expected = new TreeMap<>();
    signed.forEach(
        (name, source) ->
            expected.put(name, new DatasetCheck.ExpectedSource(source.shard(), source.splits())));
    List<DatasetCheck.Mismatch> mismatches = DatasetCheck.compare(expected, lattices);
    List<ShardRoots.Difference> differences = new ArrayList<>();
    for (SourceDigest source : manifest.sources()) {
      ShardResult r = byName.get(source.name());
      if (r == null) {
        continue;
      }
      Digest root = new Digest(r.rootAlgorithm(), r.root());
      if (r.size() != source.shardSize() || !root.matches(source.shardRoot())) {
        differences.add(
            new ShardRoots.Difference(
                source.name(),
                source.shard(),
                source.shardSize(),
                source.shardRoot(),
                r.size(),
                root));
      }
    }
    List<String> names = new ArrayList<>(new TreeMap<>(signed).keySet());
    return new Report(names, mismatches, differences, verifier.describe());
  }

  record ShardTask(String source, String shard, List<String> splits) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** A shard's lattices per split (checksums) and its file's size and root. */
  record ShardResult(
      String source,
      TreeMap<String, Long> samples,
      TreeMap<String, byte[]> checksums,
      long size,
      String rootAlgorithm,
      byte[] root)
      implements Serializable {
    private static final long serialVersionUID = 1L;

    SourceLattices lattices() {
      SourceLattices lattices = new SourceLattices();
      samples.forEach(
          (split, n) -> {
            lattices.addDigest(
                source, new SplitDigest(split, n, LtHash16.fromChecksum(checksums.get(split))));
          });
      return lattices;
    }
  }

  private record ReadShards(ExecutorEngine engine)
      implements FlatMapFunction<Iterator<ShardTask>, ShardResult> {
    private static final long serialVersionUID = 1L;

    @Override
    public Iterator<ShardResult> call(Iterator<ShardTask> tasks) {
      List<ShardResult> results = new ArrayList<>();
      try (HashEngine hashing = engine.open()) {
        while (tasks.hasNext()) {
          ShardTask task = tasks.next();
          Path shard = Path.of(task.shard());
          SourceLattices lattices = new SourceLattices();
          task.splits().forEach(s -> lattices.expect(task.source(), s));
          try (ShardReader reader = new ShardReader(shard)) {
            reader.forEachRemaining(sample -> lattices.add(task.source(), sample));
          }
          TreeMap<String, Long> samples = new TreeMap<>();
          TreeMap<String, byte[]> checksums = new TreeMap<>();
          for (SplitDigest d : lattices.digests(task.source())) {
            samples.put(d.split(), d.samples());
            checksums.put(d.split(), d.lattice().checksum());
          }
          Digest root = ShardRoots.roots(List.of(shard), hashing).get(0);
          long size;
          try {
            size = Files.size(shard);
          } catch (java.io.IOException e) {
            throw PathProblems.classify(shard, e);
          }
          results.add(
              new ShardResult(
                  task.source(), samples, checksums, size, root.algorithm(), root.value()));
        }
      }
      return results.iterator();
    }
  }
}
