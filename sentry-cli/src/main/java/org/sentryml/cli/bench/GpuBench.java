package org.sentryml.cli.bench;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.sentryml.core.engine.cuda.CudaBenchmark;
import org.sentryml.core.engine.cuda.CudaBenchmark.Measurement;
import org.sentryml.core.engine.cuda.CudaProbe;
import org.sentryml.core.errors.BackendUnavailableException;
import org.sentryml.core.errors.SentryException;

/**
 * {@code sentry bench --gpu}: the cuda engine's sha256-merkle throughput on one file, as a Markdown
 * table whose ratios are to the pinned host-to-device bandwidth measured in the same run.
 */
public final class GpuBench {
  /**
   * Leaf sizes tried; the one that gives the best throughput is the candidate default (DESIGN §3).
   */
  static final List<Integer> LEAF_SIZES = List.of(4096, 16384, 65536, 262144, 1048576);

  /** The one leaf size of the cuFile run: every run reads the whole file from storage. */
  static final int CUFILE_LEAF = 65536;

  private final Path input;
  private final long size;
  private final Path cufileConfig;

  public GpuBench(Path input, long size, Path cufileConfig) {
    this.input = input;
    this.size = size;
    this.cufileConfig = cufileConfig != null ? cufileConfig : defaultConfig();
  }

  /**
   * Starts the engines, then writes the input if it is missing (so that a GPU that fails to start
   * costs no 8 GiB write) and prints one row per measurement as it completes.
   *
   * @throws SentryException (exit 5) when no usable GPU exists or the cuda engine fails to start
   */
  public void run(PrintWriter out) {
    CudaProbe.Availability gpu = CudaProbe.probe();
    if (!gpu.usable()) {
      throw new BackendUnavailableException("bench --gpu needs a GPU: cuda " + gpu);
    }
    CudaBenchmark bench;
    try {
      bench = CudaBenchmark.open(cufileConfig);
    } catch (IllegalStateException e) {
      throw new BackendUnavailableException(
          "bench --gpu: the cuda engine failed to start: " + e.getMessage());
    }
    try (bench) {
      out.printf(Locale.ROOT, "engines: %s%n", bench.description());
      out.flush();
      BenchFile.ensure(input, size);
      BenchFile.warm(input);
      out.printf(
          Locale.ROOT,
          "input: %s (%d bytes, page cache warmed); cuda %s%n",
          input,
          size,
          gpu.reason());
      out.println("| path | leaf | GB/s | × pinned copy | note |");
      out.println("|---|---:|---:|---:|---|");
      out.flush();
      double[] copy = {Double.NaN};
      bench.run(
          input,
          size,
          LEAF_SIZES,
          CUFILE_LEAF,
          m -> {
            if (m.leafSize() == 0 && m.bytes() > 0) {
              copy[0] = m.gigabytesPerSecond();
            }
            out.println(row(m, copy[0]));
            out.flush();
          });
    }
  }

  static String row(Measurement m, double copyGbps) {
    if (m.bytes() == 0) {
      return String.format(Locale.ROOT, "| %s | | | | %s |", m.path(), m.note());
    }
    return String.format(
        Locale.ROOT,
        "| %s | %s | %.2f | %.2f | %s |",
        m.path(),
        m.leafSize() == 0 ? "" : Integer.toString(m.leafSize()),
        m.gigabytesPerSecond(),
        m.gigabytesPerSecond() / copyGbps,
        m.note());
  }

  private static Path defaultConfig() {
    String home = System.getenv("SENTRY_HOME");
    Path installed = home == null ? Path.of("cufile.json") : Path.of(home, "cufile.json");
    return Files.isRegularFile(installed) ? installed : Path.of("cufile.json");
  }
}
