package org.sentryml.spark;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.sentryml.clisupport.CliSupport;
import org.sentryml.clisupport.VersionInfo;
import org.sentryml.core.errors.UsageException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sentry-spark [--master URL] [--conf K=V]... prepare|verify|hash ...}: the dataset agent's
 * preparation, the inferencer's dataset check and {@code sentry hash}/{@code sign} on Apache Spark,
 * with the digests one machine computes. Under {@code spark-submit} the master comes from Spark's
 * configuration; {@code bin/sentry-spark} runs it in local mode.
 */
@Command(
    name = "sentry-spark",
    mixinStandardHelpOptions = true,
    versionProvider = VersionInfo.class,
    description =
        "Prepare, verify and hash datasets and model folders on Apache Spark, with the digests one machine computes.",
    subcommands = {
      PrepareCommand.class,
      VerifyCommand.class,
      SparkHashCommand.class,
      BenchCommand.class
    })
public final class SparkCli {
  @Option(
      names = "--master",
      paramLabel = "URL",
      description =
          "Spark master: local[N], spark://HOST:PORT, yarn, k8s://... (default: spark.master from spark-submit, else local[2]).")
  String master;

  @Option(
      names = "--conf",
      paramLabel = "KEY=VALUE",
      description = "A Spark setting, e.g. spark.executor.resource.gpu.amount=1; repeatable.")
  Map<String, String> conf = new LinkedHashMap<>();

  public static void main(String[] args) {
    System.exit(run(args, CliSupport.stdout(), CliSupport.stderr()));
  }

  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    return CliSupport.commandLine(new SparkCli(), out, err).execute(args);
  }

  /** The JVM's Spark session with this command line's master and settings. */
  SparkSession session() {
    if (master != null && master.isBlank()) {
      throw new UsageException("--master must name a Spark master, e.g. local[2]");
    }
    return SparkSessions.get(master, conf);
  }

  /** The engine the executors hash with, from the session's configuration. */
  static ExecutorEngine executorEngine(SparkSession spark) {
    return ExecutorEngine.choose(spark.sparkContext().getConf());
  }
}
