package org.sentryml.agent.keyserver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.sentryml.core.errors.UsageException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sentry-keyserver bench [--clients N] [--fetches F] [--reuse-connections]}. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Load-test a key server on loopback: N concurrent clients, each auth → attest → F key fetches; requests/s, p50/p99, the server's peak RSS, against a 404 reference in the same run.")
final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--clients",
      defaultValue = "200",
      paramLabel = "N",
      description = "Concurrent clients (default: ${DEFAULT-VALUE}).")
  int clients;

  @Option(
      names = "--fetches",
      defaultValue = "10",
      paramLabel = "F",
      description = "Key fetches per client (default: ${DEFAULT-VALUE}).")
  int fetches;

  @Option(
      names = "--reuse-connections",
      description = "One TLS connection per client instead of one per request.")
  boolean reuse;

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (clients < 1 || fetches < 1) {
      throw new UsageException("--clients and --fetches must be at least 1");
    }
    Path dir = Files.createTempDirectory("sentry-keyserver-bench");
    try {
      new LoadBench(clients, fetches, !reuse, dir).run(spec.commandLine().getOut());
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(file);
        }
      }
    }
    return 0;
  }
}
