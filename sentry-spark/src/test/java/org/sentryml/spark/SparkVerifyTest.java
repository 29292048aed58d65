package org.sentryml.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.data.dataset.Sample;
import org.sentryml.data.dataset.ShardReader;
import org.sentryml.data.dataset.ShardWriter;
import org.sentryml.data.dataset.SplitPlan;
import org.sentryml.testkit.RepositoryFiles;
import org.sentryml.testkit.TestFiles;
import org.sentryml.testkit.TestTags;

/**
 * The whole path with Spark in it: a dataset prepared on one machine is trained on and signed by
 * sentry-trainer; the same input prepared on Spark is accepted by sentry-inferencer with those
 * signatures, and {@code sentry-spark verify} accepts it too, and names the one source whose shard
 * has a changed sample.
 */
@Tag(TestTags.E2E)
class SparkVerifyTest {
  @TempDir static Path work;
  static Path sparkDataset;
  static Path signatures;
  static Path models;
  static Path publicKey;

  @BeforeAll
  static void prepareTrainAndSign() throws Exception {
    Path mirror = tinyMirror(work);
    Path cache = work.resolve("hf-cache");
    Path single = work.resolve("dataset/mnist-tiny");
    Tools.prepareOnOneMachine(
        mirror, "sentryml/mnist-tiny", new SplitPlan(4, 0.8, 42), cache, single);
    sparkDataset = work.resolve("spark/mnist-tiny");
    Tools.Run prepared =
        Tools.spark(
            "prepare",
            "sentryml/mnist-tiny",
            "4",
            "0.8",
            sparkDataset.toString(),
            "--cache-dir",
            cache.toString(),
            "--partitions",
            "3");
    assertEquals(0, prepared.exitCode(), prepared.all());
    assertEquals(0, Tools.sentry("keygen", "--out", work.resolve("keys").toString()).exitCode());
    publicKey = work.resolve("keys/public.pem");
    signatures = work.resolve("signatures");
    models = work.resolve("models");
    Tools.Run trained =
        Tools.trainer(
            "--sig_out",
            signatures.toString(),
            "--model_path",
            models.toString(),
            "--dataset",
            single.toString(),
            "--epochs",
            "1",
            "--quiet",
            "private-key",
            "--private_key",
            work.resolve("keys/private.pem").toString());
    assertEquals(0, trained.exitCode(), trained.all());
  }

  /** A Hub mirror holding {@code sentryml/mnist-tiny}: the first rows of the embedded subset. */
  private static Path tinyMirror(Path dir) throws IOException, SQLException {
    Path source = RepositoryFiles.locate("examples/hub/sentryml/mnist-subset/mnist");
    Path target = dir.resolve("hub/sentryml/mnist-tiny/mnist");
    Files.createDirectories(target);
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = connection.createStatement()) {
      for (String[] cut :
          new String[][] {
            {"train-00000-of-00001.parquet", "1200"}, {"test-00000-of-00001.parquet", "300"}
          }) {
        statement.execute(
            "COPY (SELECT * FROM read_parquet('"
                + source.resolve(cut[0])
                + "') LIMIT "
                + cut[1]
                + ") TO '"
                + target.resolve(cut[0])
                + "' (FORMAT PARQUET)");
      }
    }
    return dir.resolve("hub");
  }

  private static Tools.Run verify(Path dataset) {
    return Tools.spark(
        "verify",
        "--dataset",
        dataset.toString(),
        "--sig_path",
        signatures.toString(),
        "private-key",
        "--public_key",
        publicKey.toString());
  }

  @Test
  void theInferencerAcceptsTheSparkPreparedDatasetAndItsSignatures() {
    Tools.Run run =
        Tools.inferencer(
            "--sig_path",
            signatures.toString(),
            "--model_path",
            models.toString(),
            "--dataset",
            sparkDataset.toString(),
            "--quiet",
            "private-key",
            "--public_key",
            publicKey.toString());
    assertEquals(0, run.exitCode(), run.all());
  }

  @Test
  void sparkVerifyAcceptsTheSignedSources() {
    Tools.Run run = verify(sparkDataset);
    assertEquals(0, run.exitCode(), run.all());
    assertTrue(run.out().contains("verified 4 data sources"), run.out());
  }

  @Test
  void aSampleChangedInOneShardIsNamedBySource() throws IOException {
    Path copy = work.resolve("tampered/mnist-tiny");
    TestFiles.copyTree(sparkDataset, copy, StandardCopyOption.REPLACE_EXISTING);
    Path shard = copy.resolve("source-02.tar");
    List<Sample> samples = new ArrayList<>();
    try (ShardReader reader = new ShardReader(shard)) {
      reader.forEachRemaining(samples::add);
    }
    Sample first = samples.get(0);
    byte[] data = first.data();
    data[data.length / 2] ^= 0x01;
    samples.set(0, new Sample(first.key(), first.label(), data, first.kind()));
    Path rewritten = shard.resolveSibling("source-02.tar.new");
    try (ShardWriter writer = new ShardWriter(rewritten)) {
      samples.forEach(writer::write);
      writer.finish();
    }
    Files.move(rewritten, shard, StandardCopyOption.REPLACE_EXISTING);

    Tools.Run run = verify(copy);
    assertEquals(1, run.exitCode(), run.all());
    assertTrue(run.err().contains("dataset: source-02 (source-02.tar)"), run.err());
    assertTrue(run.err().contains("differs from its signatures in source-02"), run.err());
    for (String other : List.of("source-00", "source-01", "source-03")) {
      assertFalse(run.err().contains("dataset: " + other), run.err());
    }
  }
}
