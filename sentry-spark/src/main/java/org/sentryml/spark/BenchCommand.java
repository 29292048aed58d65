package org.sentryml.spark;

import java.io.PrintWriter;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.SparkSession;
import org.sentryml.clisupport.TerminalText;
import org.sentryml.core.attestation.SplitDigest;
import org.sentryml.core.errors.UsageException;
import org.sentryml.core.tree.LtHash16;
import org.sentryml.data.dataset.Sample;
import org.sentryml.data.dataset.SampleKind;
import org.sentryml.data.dataset.SourceLattices;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code sentry-spark bench}: what Spark costs on top of the lattice fold the single-machine loader
 * does per sample. In one run: the session's start-up; the fold of N synthetic samples on this JVM
 * (one thread, then one thread per Spark core); the same fold as a Spark job of that many tasks,
 * checksums summed on the driver. The digests must agree, or the run fails. Numbers are wall time
 * on whatever else the machine runs; compare the ratios, not the absolute values.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Measure Spark's start-up and per-sample overhead against the single-machine lattice fold, in one run.")
final class BenchCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;
  @ParentCommand SparkCli cli;

  @Option(
      names = "--samples",
      paramLabel = "N",
      defaultValue = "1000000",
      description = "Synthetic samples (default: ${DEFAULT-VALUE}).")
  int samples;

  @Option(
      names = "--bytes",
      paramLabel = "B",
      defaultValue = "784",
      description =
          "Payload bytes per sample (default: ${DEFAULT-VALUE}, an MNIST image's pixels).")
  int bytes;

  @Override
  public Integer call() {
    if (samples < 1 || bytes < 0) {
      throw new UsageException("--samples must be >= 1 and --bytes >= 0");
    }
    PrintWriter out = spec.commandLine().getOut();
    long t0 = System.nanoTime();
    SparkSession spark = cli.session();
    JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
    double startup = (System.nanoTime() - t0) / 1e9;
    int cores = context.defaultParallelism();

    // Warm both paths once (class loading, JIT), so that neither pays for it in its timing.
    Fold warm = new Fold(bytes, Math.min(samples, 20_000));
    warm.range(0, warm.total());
    sparkFold(context, new Fold(bytes, Math.min(samples, 20_000)), cores);

    Fold fold = new Fold(bytes, samples);
    long t1 = System.nanoTime();
    LtHash16 oneThread = fold.range(0, samples);
    double single = (System.nanoTime() - t1) / 1e9;

    long t2 = System.nanoTime();
    LtHash16 threads =
        IntStream.range(0, cores)
            .parallel()
            .mapToObj(
                k ->
                    fold.range(
                        (int) ((long) samples * k / cores),
                        (int) ((long) samples * (k + 1) / cores)))
            .reduce(
                new LtHash16(),
                (a, b) -> {
                  LtHash16 sum = new LtHash16();
                  sum.add(a);
                  sum.add(b);
                  return sum;
                });
    double threaded = (System.nanoTime() - t2) / 1e9;

    long t3 = System.nanoTime();
    LtHash16 onSpark = sparkFold(context, fold, cores);
    double sparked = (System.nanoTime() - t3) / 1e9;

    if (!oneThread.sameAs(threads) || !oneThread.sameAs(onSpark)) {
      throw new IllegalStateException("the Spark fold's digest differs from the local fold's");
    }
    double perSample = 1e6 / samples;
    TerminalText.printf(
        out,
        "samples %d x %d bytes, Spark %s (%d cores)%n",
        samples,
        bytes,
        spark.sparkContext().master(),
        cores);
    TerminalText.printf(out, "spark session start-up      %8.2f s%n", startup);
    TerminalText.printf(
        out, "local fold, 1 thread        %8.2f s  %7.2f us/sample%n", single, single * perSample);
    TerminalText.printf(
        out,
        "local fold, %d threads       %8.2f s  %7.2f us/sample%n",
        cores,
        threaded,
        threaded * perSample);
    TerminalText.printf(
        out,
        "spark fold, %d tasks         %8.2f s  %7.2f us/sample%n",
        cores,
        sparked,
        sparked * perSample);
    TerminalText.printf(
        out,
        "spark overhead vs %d threads %8.2f us/sample (spark/threads = %.2f)%n",
        cores,
        (sparked - threaded) * perSample,
        sparked / threaded);
    TerminalText.printf(
        out,
        "digest %s%n",
        LtHash16.NAME + ":" + new SplitDigest("bench", samples, oneThread).digest().hex());
    out.flush();
    return 0;
  }

  private static LtHash16 sparkFold(JavaSparkContext context, Fold fold, int tasks) {
    List<int[]> ranges = new ArrayList<>();
    for (int k = 0; k < tasks; k++) {
      ranges.add(
          new int[] {
            (int) ((long) fold.total() * k / tasks), (int) ((long) fold.total() * (k + 1) / tasks)
          });
    }
    List<byte[]> checksums = context.parallelize(ranges, tasks).mapPartitions(fold).collect();
    LtHash16 sum = new LtHash16();
    checksums.forEach(c -> sum.add(LtHash16.fromChecksum(c)));
    return sum;
  }

  /**
   * Synthetic samples {@code 0..total-1}: key {@code train/<i>}, label {@code i % 10}, payload
   * bytes from a generator seeded by {@code i}, so any task can make any sample. Folds a range of
   * them as the loader folds what it reads (SourceLattices).
   */
  private record Fold(int bytes, int total)
      implements FlatMapFunction<Iterator<int[]>, byte[]>, Serializable {
    private static final long serialVersionUID = 1L;

    LtHash16 range(int from, int to) {
      SourceLattices lattices = new SourceLattices();
      byte[] data = new byte[bytes];
      for (int i = from; i < to; i++) {
        new SplittableRandom(i).nextBytes(data);
        lattices.add("bench", new Sample(Sample.keyOf("train", i), i % 10, data, SampleKind.IMAGE));
      }
      LtHash16 sum = new LtHash16();
      lattices.digests("bench").forEach(d -> sum.add(d.lattice()));
      return sum;
    }

    @Override
    public Iterator<byte[]> call(Iterator<int[]> ranges) {
      List<byte[]> out = new ArrayList<>();
      ranges.forEachRemaining(r -> out.add(range(r[0], r[1]).checksum()));
      return out.iterator();
    }
  }
}
