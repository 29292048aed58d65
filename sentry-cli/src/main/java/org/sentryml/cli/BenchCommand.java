package org.sentryml.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.sentryml.cli.bench.BenchPlan;
import org.sentryml.cli.bench.EncryptionBench;
import org.sentryml.cli.bench.GpuBench;
import org.sentryml.cli.bench.ResignBench;
import org.sentryml.clisupport.TerminalText;
import org.sentryml.core.engine.HashingOptions;
import org.sentryml.core.errors.UsageException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sentry bench}: whole-process throughput of {@code sentry hash} for every algorithm ×
 * topology next to {@code openssl dgst} and {@code sha256sum} on the same file in the same run;
 * with {@code --gpu}, the cuda engine's paths in process, next to the measured copy bandwidth; with
 * {@code --encryption}, encryption and decryption in process, next to {@code openssl speed}; with
 * {@code --resign}, re-signing after an edit and verifying one file, next to the full signing.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Benchmark sentry hash against openssl and sha256sum on one file from the page cache.")
public final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--file",
      paramLabel = "F",
      description = "Input file (created with random bytes when missing or of another size).")
  Path file;

  @Option(
      names = "--size",
      paramLabel = "BYTES",
      defaultValue = "4294967296",
      description = "Input size (default: ${DEFAULT-VALUE}).")
  long size;

  @Option(
      names = {"--leaf-size", "--leaf_size"},
      paramLabel = "BYTES",
      defaultValue = "65536",
      description = "Leaf size (default: ${DEFAULT-VALUE}).")
  long leafSize;

  @Option(
      names = "--repeat",
      paramLabel = "N",
      defaultValue = "1",
      description = "Runs per command; the fastest counts (default: ${DEFAULT-VALUE}).")
  int repeat;

  @Option(
      names = "--only",
      paramLabel = "ALG-TOPOLOGY",
      split = ",",
      description = "Only these sentry runs, e.g. sha256-merkle,blake2b-flat.")
  List<String> only = List.of();

  @Option(
      names = "--gpu",
      description =
          "Benchmark the cuda engine instead (in process): pinned copy bandwidth, in-place, pinned, cuFile and CPU paths per leaf size.")
  boolean gpu;

  @Option(
      names = "--cufile-config",
      paramLabel = "JSON",
      description = "cuFile configuration for --gpu (default: cufile.json of this installation).")
  Path cufileConfig;

  @Option(
      names = "--encryption",
      description =
          "Benchmark encryption and decryption instead (in process): one file on one thread, a folder on every"
              + " core, next to openssl speed -evp aes-256-gcm.")
  boolean encryption;

  @Option(
      names = "--resign",
      description =
          "Benchmark the edit-and-re-sign cycle instead (whole processes): sign --reuse after a README"
              + " edit and verify --only README.md on a model holding the input file, next to its full"
              + " signing; --repeat edits.")
  boolean resign;

  @Override
  public Integer call() {
    HashingOptions.checkLeafSize(leafSize);
    if (size <= 0) {
      throw new UsageException("--size must be a positive number of bytes, not " + size);
    }
    if (repeat < 1) {
      throw new UsageException("--repeat must be at least 1, not " + repeat);
    }
    BenchPlan.checkOnly(only);
    PrintWriter out = spec.commandLine().getOut();
    Path input =
        file != null
            ? file
            : Path.of(System.getProperty("java.io.tmpdir"), "sentry-bench-" + size + ".bin");
    if ((gpu ? 1 : 0) + (encryption ? 1 : 0) + (resign ? 1 : 0) > 1) {
      throw new UsageException("--gpu, --encryption and --resign are three benchmarks; choose one");
    }
    if (gpu) {
      new GpuBench(input, size, cufileConfig).run(out);
      return 0;
    }
    if (encryption) {
      new EncryptionBench(input, size, repeat).run(out);
      return 0;
    }
    TerminalText.printf(
        out,
        "input: %s (%d bytes, page cache warmed); cores: %d; load average: %s%n",
        input,
        size,
        Runtime.getRuntime().availableProcessors(),
        loadAverage());
    if (resign) {
      new ResignBench(input, size, repeat, sentryLauncher(), null).run(out);
      return 0;
    }
    BenchPlan plan = new BenchPlan(input, size, leafSize, repeat, sentryLauncher(), only);
    out.println("| command | seconds | user s | sys s | GB/s | × openssl sha256 | peak RSS MiB |");
    out.println("|---|---:|---:|---:|---:|---:|---:|");
    out.flush();
    plan.run(
        row -> {
          out.println(row);
          out.flush();
        });
    return 0;
  }

  /** The 1, 5 and 15 minute load averages, so a reader can judge how shared the machine was. */
  private static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ", -1);
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (java.io.IOException | RuntimeException e) {
      return "n/a";
    }
  }

  /** The command that starts {@code sentry}: the launcher script when known, else this JVM. */
  private static List<String> sentryLauncher() {
    String home = System.getenv("SENTRY_HOME");
    if (home != null && Files.isExecutable(Path.of(home, "bin", "sentry"))) {
      return List.of(Path.of(home, "bin", "sentry").toString());
    }
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command =
        new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path")));
    command.add(SentryCli.class.getName());
    return List.copyOf(command);
  }
}
