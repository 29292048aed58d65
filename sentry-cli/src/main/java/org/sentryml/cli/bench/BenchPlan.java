package org.sentryml.cli.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.errors.UsageException;
import org.sentryml.core.hashing.HashAlgorithm;
import org.sentryml.core.tree.Topology;

/** The runs of one benchmark and the table rows they produce. */
public final class BenchPlan {
  private final Path input;
  private final long size;
  private final long leafSize;
  private final int repeat;
  private final List<String> sentry;
  private final List<String> only;

  public BenchPlan(
      Path input, long size, long leafSize, int repeat, List<String> sentry, List<String> only) {
    this.input = input;
    this.size = size;
    this.leafSize = leafSize;
    this.repeat = repeat;
    this.sentry = sentry;
    this.only = only;
  }

  /** Creates and warms the input, then runs references first and sentry after, one row each. */
  public void run(Consumer<String> rows) {
    BenchFile.ensure(input, size);
    BenchFile.warm(input);
    String file = input.toString();
    double openssl = Double.NaN;
    for (List<String> reference : references(file)) {
      MeasuredRun run = fastest(reference, Map.of());
      if (reference.get(0).equals("openssl") && reference.get(2).equals("-sha256")) {
        openssl = run.seconds();
      }
      rows.accept(row(String.join(" ", reference), run, openssl));
    }
    double modelSigning = Double.NaN;
    Path script = PythonReference.script();
    if (script != null) {
      try {
        MeasuredRun run = fastest(PythonReference.command(script, file), Map.of());
        modelSigning = run.seconds();
        rows.accept(row(PythonReference.LABEL, run, openssl));
      } finally {
        PythonReference.delete(script);
      }
    }
    for (String[] combination : combinations()) {
      if (!only.isEmpty() && !only.contains(combination[0] + "-" + combination[1])) {
        continue;
      }
      List<String> command = new ArrayList<>(sentry);
      command.addAll(
          List.of(
              "hash",
              file,
              "--algorithm",
              combination[0],
              "--topology",
              combination[1],
              "--leaf-size",
              Long.toString(leafSize),
              "--device",
              "cpu",
              "--json"));
      String label = "sentry hash --algorithm " + combination[0] + " --topology " + combination[1];
      boolean sha256Merkle =
          combination[0].equals(HashAlgorithm.SHA256.id())
              && combination[1].equals(Topology.MERKLE.id());
      // The read paths of the CPU engine side by side, alternating, so that each pair of runs
      // shares the machine's load (docs/BENCHMARKS.md).
      for (String readPath : sha256Merkle ? READ_PATHS : List.of("")) {
        Map<String, String> environment =
            readPath.isEmpty()
                ? Map.of()
                : Map.of("SENTRY_JAVA_OPTS", "-Dsentry.cpu.read=" + readPath);
        MeasuredRun run = fastest(command, environment);
        String shown = readPath.isEmpty() ? label : label + " (read path " + readPath + ")";
        rows.accept(row(shown, run, openssl));
        if (sha256Merkle && readPath.equals("segments") && !Double.isNaN(modelSigning)) {
          rows.accept(
              String.format(
                  Locale.ROOT,
                  "| ↑ %.2f× the model_signing-style reference's speed | | | | | | |",
                  modelSigning / run.seconds()));
        }
      }
    }
  }

  /** The CPU engine's read paths compared for sha256 Merkle trees; the default first. */
  static final List<String> READ_PATHS = List.of("segments", "windows", "read");

  private List<List<String>> references(String file) {
    List<List<String>> references = new ArrayList<>();
    references.add(List.of("openssl", "dgst", "-sha256", file));
    references.add(List.of("sha256sum", file));
    references.add(List.of("openssl", "dgst", "-blake2b512", file));
    // The cost of reading alone: the floor under every read path.
    references.add(List.of("dd", "if=" + file, "of=/dev/null", "bs=1M", "status=none"));
    if (onPath("b3sum")) {
      references.add(List.of("b3sum", file));
    }
    return references;
  }

  /**
   * Refuses an {@code --only} entry that names no run of the plan, so that a typo is not silently a
   * benchmark of nothing.
   *
   * @throws SentryException {@link UsageException} listing the runs there are
   */
  public static void checkOnly(List<String> only) {
    List<String> known = combinations().stream().map(c -> c[0] + "-" + c[1]).toList();
    for (String name : only) {
      if (!known.contains(name)) {
        throw new UsageException(
            "--only " + name + " names no benchmark run; expected some of " + known);
      }
    }
  }

  private static List<String[]> combinations() {
    List<String[]> combinations = new ArrayList<>();
    for (Topology topology : List.of(Topology.FLAT, Topology.MERKLE)) {
      for (HashAlgorithm algorithm : HashAlgorithm.values()) {
        combinations.add(new String[] {algorithm.id(), topology.id()});
      }
    }
    combinations.add(new String[] {HashAlgorithm.BLAKE2XB.id(), Topology.LATTICE.id()});
    return combinations;
  }

  private MeasuredRun fastest(List<String> command, Map<String, String> environment) {
    MeasuredRun best = null;
    for (int i = 0; i < repeat; i++) {
      MeasuredRun run = MeasuredRun.of(command, environment);
      if (best == null || run.seconds() < best.seconds()) {
        best = run;
      }
    }
    return best;
  }

  private String row(String label, MeasuredRun run, double openssl) {
    double gbPerSecond = size / run.seconds() / 1e9;
    String ratio =
        Double.isNaN(openssl) ? "" : String.format(Locale.ROOT, "%.2f", openssl / run.seconds());
    String rss =
        run.peakRssKib() < 0
            ? "n/a"
            : String.format(Locale.ROOT, "%.0f", run.peakRssKib() / 1024.0);
    return String.format(
        Locale.ROOT,
        "| `%s` | %.2f | %.2f | %.2f | %.2f | %s | %s |",
        label,
        run.seconds(),
        run.userSeconds(),
        run.sysSeconds(),
        gbPerSecond,
        ratio,
        rss);
  }

  static boolean onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(java.io.File.pathSeparator, -1)) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }
}
