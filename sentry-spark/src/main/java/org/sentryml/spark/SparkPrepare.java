package org.sentryml.spark;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.api.java.function.PairFlatMapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.sentryml.core.attestation.SplitDigest;
import org.sentryml.core.engine.HashEngine;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.PathProblems;
import org.sentryml.core.hashing.Digest;
import org.sentryml.core.io.StagedFolder;
import org.sentryml.core.tree.LtHash16;
import org.sentryml.data.dataset.DatasetIndex;
import org.sentryml.data.dataset.DatasetManifest;
import org.sentryml.data.dataset.DatasetWriter;
import org.sentryml.data.dataset.DirichletSplit;
import org.sentryml.data.dataset.ParquetLayout;
import org.sentryml.data.dataset.Sample;
import org.sentryml.data.dataset.SampleKind;
import org.sentryml.data.dataset.ShardRoots;
import org.sentryml.data.dataset.ShardWriter;
import org.sentryml.data.dataset.SourceDigest;
import org.sentryml.data.dataset.SourceLattices;
import org.sentryml.data.dataset.SplitPlan;
import scala.Tuple2;

/**
 * {@code sentry-spark prepare}: what {@code sentry-dataset} writes, computed on Spark. Rows are
 * read where Spark reads parquet, named {@code <split>/<index>} as the single-machine reader names
 * them, and assigned a source by {@link DirichletSplit} (a function of the row alone); one shuffle
 * brings each source's rows to one task in (split, index) order, the order {@code sentry-dataset}
 * writes them, and that task writes the source's shard, folds its lattices and hashes the shard.
 * The driver holds only file row counts and the sources' digests, and writes {@code index.json} and
 * {@code manifest.json}: equal to {@code sentry-dataset}'s, digest for digest, for the same input
 * and seed (docs/SCALE.md).
 *
 * <p>The output folder is staged beside the target and renamed into place last, as {@code
 * sentry-dataset} does; executors write the shards into that staging folder, so it must be on a
 * file system every executor sees (local mode, or a shared mount).
 */
public final class SparkPrepare {
  private SparkPrepare() {}

  /**
   * One preparation.
   *
   * @param partitions how many partitions the rows are spread over before the shuffle; 0 leaves
   *     Spark's reading partitions as they are (the result is the same for any number)
   */
  public record Request(
      PrepareInput input, SplitPlan plan, Path outDir, boolean force, int partitions) {}

  /** Runs the preparation and returns the manifest written. */
  public static DatasetManifest run(SparkSession spark, Request request, ExecutorEngine engine) {
    try {
      return prepare(spark, request, engine);
    } catch (RuntimeException e) {
      throw SparkFailures.unwrap(e);
    }
  }

  private static DatasetManifest prepare(
      SparkSession spark, Request request, ExecutorEngine engine) {
    Path target = request.outDir().toAbsolutePath().normalize();
    DatasetWriter.checkOutput(target, request.force(), request.input().localFiles());
    SplitPlan plan = request.plan();
    DirichletSplit split = new DirichletSplit(plan.sources(), plan.alpha(), plan.seed());
    List<String> uris = request.input().files().values().stream().flatMap(List::stream).toList();
    Dataset<Row> raw = spark.read().parquet(uris.toArray(String[]::new));
    ParquetLayout layout = ParquetLayout.detect(Path.of(uris.get(0)), columns(raw.schema()));
    Map<String, FileStart> starts = fileStarts(raw, request.input().files());

    Dataset<Row> labelled =
        raw.select(
            col("_metadata.file_path").as("file"),
            col("_metadata.row_index").as("row"),
            col(quoted(layout.labelColumn())).cast(DataTypes.LongType).as("label"));
    long[] counts = new long[plan.sources()];
    labelled
        .toJavaRDD()
        .map(new SourceOfRow(split, starts))
        .countByValue()
        .forEach((source, n) -> counts[source] = n);
    DatasetWriter.refuseEmptySources(plan, counts);

    Dataset<Row> rows =
        raw.select(
            col("_metadata.file_path").as("file"),
            col("_metadata.row_index").as("row"),
            col(quoted(layout.labelColumn())).cast(DataTypes.LongType).as("label"),
            payload(layout).as("data"));
    if (request.partitions() > 0) {
      rows = rows.repartition(request.partitions());
    }
    List<String> splits = List.copyOf(request.input().files().keySet());
    try (StagedFolder staging = StagedFolder.create(target)) {
      JavaPairRDD<RowKey, RowValue> keyed =
          rows.toJavaRDD().mapPartitionsToPair(new KeyRows(split, starts, layout.payload()));
      List<ShardSummary> summaries =
          new ArrayList<>(
              keyed
                  .repartitionAndSortWithinPartitions(new BySource(plan.sources()), new RowOrder())
                  .mapPartitionsWithIndex(
                      new WriteShard(
                          split, splits, layout.kind(), staging.folder().toString(), engine),
                      false)
                  .collect());
      summaries.sort(Comparator.comparingInt(ShardSummary::source));
      DatasetManifest manifest =
          write(request.input(), plan, layout.kind(), summaries, staging.folder());
      staging.commit();
      return manifest;
    }
  }

  private static DatasetManifest write(
      PrepareInput input,
      SplitPlan plan,
      SampleKind kind,
      List<ShardSummary> summaries,
      Path staging) {
    if (summaries.size() != plan.sources()) {
      throw new IllegalStateException(
          plan.sources() + " sources, " + summaries.size() + " shards written");
    }
    int classes = 0;
    List<DatasetIndex.IndexedSource> indexed = new ArrayList<>();
    List<SourceDigest> digests = new ArrayList<>();
    for (ShardSummary s : summaries) {
      String name = plan.sourceName(s.source());
      String shard = SplitPlan.shardName(name);
      for (int label : s.labels().keySet()) {
        classes = Math.max(classes, label + 1);
      }
      indexed.add(new DatasetIndex.IndexedSource(name, shard, s.splitCounts(), s.labels()));
      List<SplitDigest> splitDigests = new ArrayList<>();
      s.checksums()
          .forEach(
              (splitName, checksum) ->
                  splitDigests.add(
                      new SplitDigest(
                          splitName,
                          s.splitSamples().get(splitName),
                          LtHash16.fromChecksum(checksum))));
      digests.add(
          new SourceDigest(
              name, shard, s.size(), new Digest(s.rootAlgorithm(), s.root()), splitDigests));
    }
    new DatasetIndex(input.origin(), kind, classes, indexed).write(staging);
    DatasetManifest manifest = new DatasetManifest(input.origin(), kind, classes, plan, digests);
    manifest.write(staging);
    return manifest;
  }

  /** The columns as DuckDB names their types, the vocabulary {@link ParquetLayout} detects in. */
  static List<ParquetLayout.Column> columns(StructType schema) {
    List<ParquetLayout.Column> columns = new ArrayList<>();
    for (StructField field : schema.fields()) {
      columns.add(new ParquetLayout.Column(field.name(), duckDbType(field.dataType())));
    }
    return columns;
  }

  private static String duckDbType(DataType type) {
    if (type.equals(DataTypes.BinaryType)) {
      return "BLOB";
    } else if (type.equals(DataTypes.StringType)) {
      return "VARCHAR";
    } else if (type.equals(DataTypes.LongType)) {
      return "BIGINT";
    } else if (type.equals(DataTypes.IntegerType)) {
      return "INTEGER";
    } else if (type.equals(DataTypes.ShortType)) {
      return "SMALLINT";
    } else if (type.equals(DataTypes.ByteType)) {
      return "TINYINT";
    } else if (type instanceof StructType struct) {
      List<String> fields = new ArrayList<>();
      for (StructField field : struct.fields()) {
        fields.add(field.name() + " " + duckDbType(field.dataType()));
      }
      return "STRUCT(" + String.join(", ", fields) + ")";
    }
    return type.sql();
  }

  private static String quoted(String column) {
    return "`" + column.replace("`", "``") + "`";
  }

  private static Column payload(ParquetLayout layout) {
    Column column = col(quoted(layout.payloadColumn()));
    return layout.payload() == ParquetLayout.Payload.IMAGE_STRUCT
        ? column.getField("bytes")
        : column;
  }

  /** Where a file's rows start in its split: the sum of the rows of the split's earlier files. */
  record FileStart(String split, long firstIndex, String uri) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  private static Map<String, FileStart> fileStarts(
      Dataset<Row> raw, Map<String, List<String>> files) {
    Map<String, Long> rows = new HashMap<>();
    for (Row r : raw.groupBy(col("_metadata.file_path")).count().collectAsList()) {
      rows.put(PrepareInput.canonical(r.getString(0)), r.getLong(1));
    }
    Map<String, FileStart> starts = new HashMap<>();
    files.forEach(
        (split, uris) -> {
          long first = 0;
          for (String uri : uris) {
            String canonical = PrepareInput.canonical(uri);
            starts.put(canonical, new FileStart(split, first, uri));
            first += rows.getOrDefault(canonical, 0L);
          }
        });
    return starts;
  }

  /** A row's place in its source's shard: sources apart, then splits by name, then row index. */
  record RowKey(int source, String split, long index) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  record RowValue(int label, byte[] data) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** Shard order: split name, then index: the order {@code sentry-dataset} reads and writes. */
  static final class RowOrder implements Comparator<RowKey>, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public int compare(RowKey a, RowKey b) {
      int bySplit = a.split().compareTo(b.split());
      return bySplit != 0 ? bySplit : Long.compare(a.index(), b.index());
    }
  }

  /** Partition {@code s} holds source {@code s}, and nothing else. */
  static final class BySource extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final int sources;

    BySource(int sources) {
      this.sources = sources;
    }

    @Override
    public int numPartitions() {
      return sources;
    }

    @Override
    public int getPartition(Object key) {
      return ((RowKey) key).source();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof BySource other && other.sources == sources;
    }

    @Override
    public int hashCode() {
      return sources;
    }
  }

  /** Names a row and checks its label, as the single-machine cursor does. */
  private static Sample named(
      Row row, Map<String, FileStart> starts, ParquetLayout.Payload payload) {
    String file = row.getString(0);
    FileStart start = starts.get(PrepareInput.canonical(file));
    if (start == null) {
      throw new IllegalStateException("row of a file that was not listed: " + file);
    }
    long index = start.firstIndex() + row.getLong(1);
    int label = label(row, start);
    byte[] data = new byte[0];
    if (row.size() > 3) {
      if (row.isNullAt(3)) {
        throw badRow(start, row.getLong(1), "the payload value is null");
      }
      data =
          payload == ParquetLayout.Payload.TEXT
              ? row.getString(3).getBytes(StandardCharsets.UTF_8)
              : (byte[]) row.get(3);
    }
    return new Sample(
        Sample.keyOf(start.split(), index),
        label,
        data,
        payload == ParquetLayout.Payload.TEXT ? SampleKind.TEXT : SampleKind.IMAGE);
  }

  private static int label(Row row, FileStart start) {
    if (row.isNullAt(2) || row.getLong(2) < 0 || row.getLong(2) > Integer.MAX_VALUE) {
      throw badRow(
          start,
          row.getLong(1),
          "label column holds "
              + (row.isNullAt(2) ? "null" : row.getLong(2))
              + ", expected a class index >= 0");
    }
    return (int) row.getLong(2);
  }

  private static MalformedInputException badRow(FileStart start, long row, String problem) {
    return new MalformedInputException(
        "bad row " + row + " in parquet file " + start.uri() + ": " + problem);
  }

  private record SourceOfRow(DirichletSplit split, Map<String, FileStart> starts)
      implements org.apache.spark.api.java.function.Function<Row, Integer> {
    private static final long serialVersionUID = 1L;

    @Override
    public Integer call(Row row) {
      Sample sample = named(row, starts, ParquetLayout.Payload.IMAGE_BLOB);
      return split.assigner().sourceOf(sample.label(), sample.key());
    }
  }

  private record KeyRows(
      DirichletSplit split, Map<String, FileStart> starts, ParquetLayout.Payload payload)
      implements PairFlatMapFunction<Iterator<Row>, RowKey, RowValue> {
    private static final long serialVersionUID = 1L;

    @Override
    public Iterator<Tuple2<RowKey, RowValue>> call(Iterator<Row> rows) {
      DirichletSplit.Assigner assigner = split.assigner();
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return rows.hasNext();
        }

        @Override
        public Tuple2<RowKey, RowValue> next() {
          Sample sample = named(rows.next(), starts, payload);
          int source = assigner.sourceOf(sample.label(), sample.key());
          long index = Long.parseLong(sample.key().substring(sample.split().length() + 1));
          return new Tuple2<>(
              new RowKey(source, sample.split(), index),
              new RowValue(sample.label(), sample.data()));
        }
      };
    }
  }

  /** What one source's task wrote: the shard's size and root, its lattices and counts. */
  record ShardSummary(
      int source,
      long size,
      String rootAlgorithm,
      byte[] root,
      TreeMap<String, Long> splitSamples,
      TreeMap<String, byte[]> checksums,
      TreeMap<String, Long> splitCounts,
      TreeMap<Integer, Long> labels)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  private record WriteShard(
      DirichletSplit split,
      List<String> splits,
      SampleKind kind,
      String staging,
      ExecutorEngine engine)
      implements Function2<Integer, Iterator<Tuple2<RowKey, RowValue>>, Iterator<ShardSummary>> {
    private static final long serialVersionUID = 1L;

    @Override
    public Iterator<ShardSummary> call(Integer source, Iterator<Tuple2<RowKey, RowValue>> rows) {
      SplitPlan plan = new SplitPlan(split.sources(), split.alpha(), split.seed());
      String name = plan.sourceName(source);
      Path shard = Path.of(staging).resolve(SplitPlan.shardName(name));
      try {
        // A retried task starts the shard again; the staging folder is this job's alone.
        Files.deleteIfExists(shard);
      } catch (IOException e) {
        throw PathProblems.classify(shard, e);
      }
      SourceLattices lattices = new SourceLattices();
      splits.forEach(s -> lattices.expect(name, s));
      TreeMap<String, Long> splitCounts = new TreeMap<>();
      TreeMap<Integer, Long> labels = new TreeMap<>();
      try (ShardWriter writer = new ShardWriter(shard)) {
        while (rows.hasNext()) {
          Tuple2<RowKey, RowValue> row = rows.next();
          Sample sample =
              new Sample(
                  Sample.keyOf(row._1().split(), row._1().index()),
                  row._2().label(),
                  row._2().data(),
                  kind);
          writer.write(sample);
          lattices.add(name, sample);
          splitCounts.merge(sample.split(), 1L, Long::sum);
          labels.merge(sample.label(), 1L, Long::sum);
        }
        writer.finish();
      }
      Digest root;
      long size;
      try (HashEngine hashing = engine.open()) {
        root = ShardRoots.roots(List.of(shard), hashing).get(0);
        size = Files.size(shard);
      } catch (IOException e) {
        throw PathProblems.classify(shard, e);
      }
      TreeMap<String, Long> samples = new TreeMap<>();
      TreeMap<String, byte[]> checksums = new TreeMap<>();
      for (SplitDigest d : lattices.digests(name)) {
        samples.put(d.split(), d.samples());
        checksums.put(d.split(), d.lattice().checksum());
      }
      return List.of(
              new ShardSummary(
                  source,
                  size,
                  root.algorithm(),
                  root.value(),
                  samples,
                  checksums,
                  splitCounts,
                  labels))
          .iterator();
    }
  }
}
