package org.sentryml.agent.inferencer;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.sentryml.agent.dataset.DatasetAgent;
import org.sentryml.agent.trainer.TrainerAgent;
import org.sentryml.cli.SentryCli;
import org.sentryml.data.dataset.Sample;
import org.sentryml.data.dataset.ShardReader;
import org.sentryml.data.dataset.ShardWriter;
import org.sentryml.testkit.RepositoryFiles;

/**
 * A small but real pipeline for the end-to-end tests: a 1,500-sample cut of the embedded MNIST
 * subset served by the loopback Hub mirror, prepared into 6 sources, trained for one epoch and
 * signed; each test works on its own copy.
 */
final class Pipeline {
  record Run(int exitCode, String out, String err) {
    String all() {
      return out + err;
    }
  }

  private Pipeline() {}

  /**
   * Writes a Hub mirror holding {@code sentryml/mnist-tiny}: the first rows of the embedded subset.
   */
  static Path tinyMirror(Path dir) throws IOException, SQLException {
    Path source = RepositoryFiles.locate("examples/hub/sentryml/mnist-subset/mnist");
    Path target = dir.resolve("hub/sentryml/mnist-tiny/mnist");
    Files.createDirectories(target);
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = connection.createStatement()) {
      copy(
          statement,
          source.resolve("train-00000-of-00001.parquet"),
          target.resolve("train-00000-of-00001.parquet"),
          1200);
      copy(
          statement,
          source.resolve("test-00000-of-00001.parquet"),
          target.resolve("test-00000-of-00001.parquet"),
          300);
    }
    return dir.resolve("hub");
  }

  private static void copy(Statement statement, Path from, Path to, int rows) throws SQLException {
    statement.execute(
        "COPY (SELECT * FROM read_parquet('"
            + from
            + "') LIMIT "
            + rows
            + ") TO '"
            + to
            + "' (FORMAT PARQUET)");
  }

  static Run dataset(String... args) {
    return capture(args, DatasetAgent::run);
  }

  static Run trainer(String... args) {
    return capture(args, TrainerAgent::run);
  }

  static Run inferencer(String... args) {
    return capture(args, InferencerAgent::run);
  }

  static Run keygen(Path out) {
    return sentry("keygen", "--out", out.toString());
  }

  /** The {@code sentry} command. */
  static Run sentry(String... args) {
    return capture(args, SentryCli::run);
  }

  private interface Agent {
    int run(String[] args, PrintWriter out, PrintWriter err);
  }

  private static Run capture(String[] args, Agent agent) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = agent.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  /** Rewrites one shard with {@code edit} applied to its samples. */
  static void editShard(Path shard, UnaryOperator<List<Sample>> edit) {
    List<Sample> samples = readShard(shard);
    List<Sample> edited = edit.apply(new ArrayList<>(samples));
    Path rewritten = shard.resolveSibling(shard.getFileName() + ".edited");
    try (ShardWriter writer = new ShardWriter(rewritten)) {
      edited.forEach(writer::write);
      writer.finish();
    }
    try {
      Files.move(rewritten, shard, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Sample> readShard(Path shard) {
    List<Sample> samples = new ArrayList<>();
    try (ShardReader reader = new ShardReader(shard)) {
      reader.forEachRemaining(samples::add);
    }
    return samples;
  }
}
