package org.sentryml.spark;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.sentryml.clisupport.JsonOutput;
import org.sentryml.clisupport.TerminalText;
import org.sentryml.core.attestation.DatasetOrigin;
import org.sentryml.core.errors.UsageException;
import org.sentryml.data.dataset.DatasetManifest;
import org.sentryml.data.dataset.SourceDigest;
import org.sentryml.data.dataset.SplitPlan;
import org.sentryml.data.hub.HubClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code sentry-spark prepare DATASET_ID SOURCES ALPHA OUT_DIR (--cache-dir DIR | --input URI)}.
 */
@Command(
    name = "prepare",
    mixinStandardHelpOptions = true,
    description =
        "Split a parquet dataset across data sources on Spark and write what sentry-dataset writes: one shard per source, index.json, manifest.json.")
final class PrepareCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;
  @ParentCommand SparkCli cli;

  @Parameters(index = "0", paramLabel = "DATASET_ID", description = "Hub dataset id.")
  String datasetId;

  @Parameters(index = "1", paramLabel = "SOURCES", description = "Number of data sources.")
  int sources;

  @Parameters(index = "2", paramLabel = "ALPHA", description = "Dirichlet concentration > 0.")
  double alpha;

  @Parameters(
      index = "3",
      paramLabel = "OUT_DIR",
      description = "Output folder, on a file system every executor sees.")
  Path outDir;

  @Option(
      names = {"--cache-dir", "--cache_dir"},
      paramLabel = "DIR",
      description = "Take DATASET_ID@REV from this HF cache, as sentry-dataset --offline does.")
  Path cacheDir;

  @Option(
      names = "--input",
      paramLabel = "URI",
      description =
          "A folder laid out as a Hub dataset repository on any Hadoop file system (file:, hdfs:, s3a:); needs --commit.")
  String input;

  @Option(
      names = "--commit",
      paramLabel = "SHA",
      description = "The commit --input holds, recorded in the manifest.")
  String commit;

  @Option(
      names = "--revision",
      paramLabel = "REV",
      defaultValue = HubClient.DEFAULT_REVISION,
      description = "Revision (default: ${DEFAULT-VALUE}).")
  String revision;

  @Option(names = "--config", paramLabel = "NAME", description = "Dataset configuration.")
  String config;

  @Option(
      names = "--seed",
      paramLabel = "N",
      defaultValue = "42",
      description = "Seed of the split (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--partitions",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "Spread the rows over N partitions before the shuffle (default 0: as Spark reads them); any N gives the same dataset.")
  int partitions;

  @Option(names = "--force", description = "Replace an existing output folder.")
  boolean force;

  @Option(names = "--json", description = "Print the result as one JSON object.")
  boolean json;

  @Override
  public Integer call() {
    if ((cacheDir == null) == (input == null)) {
      throw new UsageException("give exactly one of --cache-dir and --input");
    }
    if (input != null && commit == null) {
      throw new UsageException("--input needs --commit, the commit the folder holds");
    }
    if (partitions < 0) {
      throw new UsageException("--partitions must be >= 0, not " + partitions);
    }
    SplitPlan plan;
    try {
      plan = new SplitPlan(sources, alpha, seed);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    SparkSession spark = cli.session();
    PrepareInput upstream =
        cacheDir != null
            ? PrepareInput.fromCache(cacheDir, datasetId, revision, config)
            : PrepareInput.fromFolder(
                input,
                spark.sparkContext().hadoopConfiguration(),
                new DatasetOrigin(datasetId, revision, commit),
                config);
    long started = System.nanoTime();
    DatasetManifest manifest =
        SparkPrepare.run(
            spark,
            new SparkPrepare.Request(upstream, plan, outDir, force, partitions),
            SparkCli.executorEngine(spark));
    report(manifest, (System.nanoTime() - started) / 1e9);
    return 0;
  }

  private void report(DatasetManifest manifest, double seconds) {
    PrintWriter out = spec.commandLine().getOut();
    long samples = manifest.sources().stream().mapToLong(SourceDigest::samples).sum();
    if (json) {
      JsonObject result = new JsonObject();
      result.addProperty("ok", true);
      result.addProperty("exit_code", 0);
      result.addProperty("dataset", manifest.origin().id());
      result.addProperty("commit", manifest.origin().commit());
      result.addProperty("out", outDir.toString());
      result.addProperty("samples", samples);
      JsonArray array = new JsonArray();
      for (SourceDigest source : manifest.sources()) {
        JsonObject entry = new JsonObject();
        entry.addProperty("name", source.name());
        entry.addProperty("shard", source.shard());
        entry.addProperty("samples", source.samples());
        entry.addProperty("digest", source.totalDigest().toString());
        array.add(entry);
      }
      result.add("sources", array);
      JsonOutput.print(out, result);
      return;
    }
    for (SourceDigest source : manifest.sources()) {
      TerminalText.printf(
          out,
          "%s  %6d samples  lattice %s...%n",
          source.shard(),
          source.samples(),
          source.totalDigest().hex().substring(0, 16));
    }
    TerminalText.printf(
        out,
        "wrote %s (%d samples, %d sources, %.1f s on Spark) into %s%n",
        manifest.origin().id(),
        samples,
        manifest.sources().size(),
        seconds,
        outDir);
    out.flush();
  }
}
