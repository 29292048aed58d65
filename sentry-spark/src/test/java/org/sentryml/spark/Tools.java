package org.sentryml.spark;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.sentryml.agent.inferencer.InferencerAgent;
import org.sentryml.agent.trainer.TrainerAgent;
import org.sentryml.cli.SentryCli;
import org.sentryml.core.engine.Engines;
import org.sentryml.core.engine.HashEngine;
import org.sentryml.core.io.TaskProgress;
import org.sentryml.data.dataset.DatasetPreparation;
import org.sentryml.data.dataset.SplitPlan;

/**
 * The commands the Spark tests run and compare: sentry-spark itself (local[2], one session for the
 * whole test JVM: it is never stopped) and the single-machine tools it must agree with.
 */
final class Tools {
  /** The embedded MNIST subset, as its Hub id. */
  static final String MNIST = "sentryml/mnist-subset";

  record Run(int exitCode, String out, String err) {
    String all() {
      return out + err;
    }
  }

  private Tools() {}

  private interface Command {
    int run(String[] args, PrintWriter out, PrintWriter err);
  }

  private static Run capture(Command command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = command.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  /** {@code sentry-spark --master local[2] ARGS...}, with few shuffle partitions for small data. */
  static Run spark(String... args) {
    List<String> all = new ArrayList<>(List.of("--master", "local[2]"));
    all.addAll(List.of("--conf", "spark.sql.shuffle.partitions=4"));
    all.addAll(List.of(args));
    return capture(SparkCli::run, all.toArray(String[]::new));
  }

  static Run sentry(String... args) {
    return capture(SentryCli::run, args);
  }

  static Run trainer(String... args) {
    return capture(TrainerAgent::run, args);
  }

  static Run inferencer(String... args) {
    return capture(InferencerAgent::run, args);
  }

  /**
   * What {@code sentry-dataset --hub-mirror MIRROR --cache-dir CACHE} does: fetch {@code id} from a
   * loopback mirror of {@code mirror} into {@code cache} and prepare it into {@code out}.
   */
  static void prepareOnOneMachine(Path mirror, String id, SplitPlan plan, Path cache, Path out) {
    try (HashEngine engine = Engines.create(Engines.Device.CPU, 0, line -> {})) {
      DatasetPreparation.prepare(
          new DatasetPreparation.Request(
              id,
              "main",
              null,
              new DatasetPreparation.Origin.Mirror(mirror),
              cache,
              plan,
              out,
              null,
              false),
          engine,
          TaskProgress.NONE,
          json -> {});
    }
  }

  static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
