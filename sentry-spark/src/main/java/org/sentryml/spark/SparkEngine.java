package org.sentryml.spark;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.SparkSession;
import org.sentryml.core.engine.ByteRegion;
import org.sentryml.core.engine.HashEngine;
import org.sentryml.core.engine.HashingOptions;
import org.sentryml.core.engine.Resource;
import org.sentryml.core.engine.ResourceDigest;
import org.sentryml.core.errors.UsageException;
import org.sentryml.core.hashing.Digest;
import org.sentryml.core.hashing.HashAlgorithm;
import org.sentryml.core.tree.Topology;

/**
 * A {@link HashEngine} whose work runs as Spark tasks: the resources are cut into partitions of
 * consecutive resources, each task hashes its partition with the {@link ExecutorEngine} on its
 * executor, and the driver gets the digests back in resource order. Everything above the engine
 * (planning the resources, the manifest root, the statement, signing) stays on the driver and is
 * the code {@code sentry hash} and {@code sentry sign} run, so the root is theirs by construction.
 *
 * <p>File regions travel as (path, offset, length): the executors must see the same paths (local
 * mode, or a file system mounted on every node). In-memory regions are refused; they only arise
 * when verifying what is loaded, which is not a job for a cluster.
 */
public final class SparkEngine implements HashEngine {
  private final SparkSession spark;
  private final ExecutorEngine executors;
  private final int partitions;

  /**
   * @param partitions the number of tasks; 0 = Spark's default parallelism
   */
  public SparkEngine(SparkSession spark, ExecutorEngine executors, int partitions) {
    if (partitions < 0) {
      throw new UsageException("--partitions must be >= 0, not " + partitions);
    }
    this.spark = spark;
    this.executors = executors;
    this.partitions = partitions;
  }

  @Override
  public String description() {
    return String.format(
        Locale.ROOT,
        "spark %s (%s, %d partitions)",
        spark.sparkContext().master(),
        executors.describe(),
        slices(Integer.MAX_VALUE));
  }

  private int slices(int resources) {
    int wanted = partitions == 0 ? spark.sparkContext().defaultParallelism() : partitions;
    return Math.max(1, Math.min(wanted, resources));
  }

  @Override
  public List<ResourceDigest> hash(List<Resource> resources, HashingOptions options) {
    List<Task> tasks = new ArrayList<>();
    for (int i = 0; i < resources.size(); i++) {
      tasks.add(Task.of(i, resources.get(i)));
    }
    if (tasks.isEmpty()) {
      return List.of();
    }
    JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<Result> results =
        new ArrayList<>(
            context
                .parallelize(tasks, slices(tasks.size()))
                .mapPartitions(
                    new HashPartition(
                        executors, options.topology(), options.algorithm(), options.leafSize()))
                .collect());
    results.sort(Comparator.comparingInt(Result::index));
    List<ResourceDigest> digests = new ArrayList<>();
    for (int i = 0; i < results.size(); i++) {
      Result r = results.get(i);
      if (r.index() != i) {
        throw new IllegalStateException("resource " + i + " came back as " + r.index());
      }
      digests.add(new ResourceDigest(r.name(), new Digest(r.algorithm(), r.digest()), r.lattice()));
    }
    if (digests.size() != resources.size()) {
      throw new IllegalStateException(
          resources.size() + " resources sent, " + digests.size() + " digests back");
    }
    return digests;
  }

  @Override
  public void close() {
    // The session is shared (SparkSessions); the executors' engines close with their tasks.
  }

  /** One region of a resource as it travels to a task: a file range or inline bytes. */
  record Region(String file, long offset, long length, byte[] inline) implements Serializable {
    private static final long serialVersionUID = 1L;

    ByteRegion toRegion() {
      return file.isEmpty()
          ? new ByteRegion.InlineBytes(inline)
          : new ByteRegion.FileRegion(Path.of(file), offset, length);
    }
  }

  /** A resource to hash, with its position in the request. */
  record Task(int index, String name, List<Region> regions) implements Serializable {
    private static final long serialVersionUID = 1L;

    static Task of(int index, Resource resource) {
      List<Region> regions = new ArrayList<>();
      for (ByteRegion region : resource.regions()) {
        regions.add(
            switch (region) {
              case ByteRegion.FileRegion f ->
                  new Region(
                      f.file().toAbsolutePath().toString(), f.offset(), f.length(), new byte[0]);
              case ByteRegion.InlineBytes b -> new Region("", 0, b.length(), b.bytes());
              case ByteRegion.MemoryRegion m ->
                  throw new UsageException(
                      "resource "
                          + resource.name()
                          + " is held in memory; the Spark engine hashes files only");
            });
      }
      return new Task(index, resource.name(), List.copyOf(regions));
    }

    Resource toResource() {
      return new Resource(name, regions.stream().map(Region::toRegion).toList());
    }
  }

  /** A digest as it travels back. */
  record Result(int index, String name, String algorithm, byte[] digest, byte[] lattice)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** Hashes one partition's resources in one engine call, so the engine spreads them over cores. */
  private record HashPartition(
      ExecutorEngine executors, Topology topology, HashAlgorithm algorithm, int leafSize)
      implements FlatMapFunction<Iterator<Task>, Result> {
    private static final long serialVersionUID = 1L;

    @Override
    public Iterator<Result> call(Iterator<Task> partition) {
      List<Task> tasks = new ArrayList<>();
      partition.forEachRemaining(tasks::add);
      if (tasks.isEmpty()) {
        return List.<Result>of().iterator();
      }
      List<ResourceDigest> digests;
      try (HashEngine engine = executors.open()) {
        digests =
            engine.hash(
                tasks.stream().map(Task::toResource).toList(),
                new HashingOptions(topology, algorithm, leafSize));
      }
      List<Result> results = new ArrayList<>();
      for (int i = 0; i < tasks.size(); i++) {
        ResourceDigest d = digests.get(i);
        results.add(
            new Result(
                tasks.get(i).index(),
                d.name(),
                d.digest().algorithm(),
                d.digest().value(),
                d.latticeChecksum()));
      }
      return results.iterator();
    }
  }
}
