package org.sentryml.agent.inferencer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.data.dataset.Sample;
import org.sentryml.testkit.TestFiles;
import org.sentryml.testkit.TestTags;

/**
 * A text dataset (text + label parquet) through the same three agents, with a WordLevel tokenizer.
 */
@Tag(TestTags.E2E)
class TextPipelineEndToEndTest {
  @TempDir static Path dir;

  static final String TOKENIZER =
      """
      {"version": "1.0", "truncation": null, "padding": null,
       "added_tokens": [{"id": 0, "content": "[PAD]", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
                        {"id": 1, "content": "[UNK]", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true}],
       "normalizer": {"type": "Lowercase"}, "pre_tokenizer": {"type": "Whitespace"}, "post_processor": null, "decoder": null,
       "model": {"type": "WordLevel", "vocab": {"[PAD]": 0, "[UNK]": 1, "good": 2, "bad": 3, "the": 4, "film": 5, "was": 6, "very": 7}, "unk_token": "[UNK]"}}
      """;

  @BeforeAll
  static void prepare() throws Exception {
    Path data = dir.resolve("hub/sentryml/reviews/data");
    Files.createDirectories(data);
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:")) {
      write(connection, data.resolve("train-00000-of-00001.parquet"), 400, 1);
      write(connection, data.resolve("test-00000-of-00001.parquet"), 100, 2);
    }
    Files.writeString(dir.resolve("tokenizer.json"), TOKENIZER);
    Pipeline.Run made =
        Pipeline.dataset(
            "sentryml/reviews",
            "3",
            "1",
            dir.resolve("dataset/reviews").toString(),
            "--hub-mirror",
            dir.resolve("hub").toString(),
            "--cache-dir",
            dir.resolve("cache").toString(),
            "--tokenizer",
            dir.resolve("tokenizer.json").toString(),
            "--quiet");
    assertEquals(0, made.exitCode(), made.all());
    assertEquals(0, Pipeline.keygen(dir.resolve("keys")).exitCode());
    Pipeline.Run trained =
        Pipeline.trainer(
            "--sig_out",
            dir.resolve("signatures").toString(),
            "--model_path",
            dir.resolve("models").toString(),
            "--dataset",
            dir.resolve("dataset/reviews").toString(),
            "--epochs",
            "3",
            "--lr",
            "0.05",
            "--quiet",
            "private-key",
            "--private_key",
            dir.resolve("keys/private.pem").toString());
    assertEquals(0, trained.exitCode(), trained.all());
  }

  private static void write(Connection connection, Path file, int rows, long seed)
      throws Exception {
    String[] filler = {"the", "film", "was", "very"};
    SplittableRandom random = new SplittableRandom(seed);
    try (Statement statement = connection.createStatement()) {
      statement.execute("CREATE OR REPLACE TABLE reviews (text VARCHAR, label BIGINT)");
    }
    try (PreparedStatement insert =
        connection.prepareStatement("INSERT INTO reviews VALUES (?, ?)")) {
      for (int i = 0; i < rows; i++) {
        int label = random.nextInt(2);
        StringBuilder text = new StringBuilder();
        for (int w = 0; w < 4; w++) {
          text.append(filler[random.nextInt(filler.length)]).append(' ');
        }
        insert.setString(1, text.append(label == 1 ? "good" : "bad").toString());
        insert.setLong(2, label);
        insert.addBatch();
      }
      insert.executeBatch();
    }
    try (Statement statement = connection.createStatement()) {
      statement.execute("COPY reviews TO '" + file + "' (FORMAT PARQUET)");
    }
  }

  @Test
  void textModelCarriesItsTokenizerAndVerifies() {
    assertTrue(Files.isRegularFile(dir.resolve("models/tokenizer.json")));
    Pipeline.Run run = infer(dir.resolve("dataset/reviews"));
    assertEquals(0, run.exitCode(), run.all());
    Matcher accuracy = Pattern.compile("accuracy on test: ([0-9.]+)%").matcher(run.out());
    assertTrue(accuracy.find(), run.out());
    assertTrue(Double.parseDouble(accuracy.group(1)) >= 90, run.out());
  }

  @Test
  void editedTextSampleFailsNamingItsSource() throws Exception {
    Path copy = dir.resolve("tampered");
    TestFiles.copyTree(dir.resolve("dataset/reviews"), copy, StandardCopyOption.REPLACE_EXISTING);
    Pipeline.editShard(
        copy.resolve("source-01.tar"),
        samples -> {
          Sample first = samples.get(0);
          samples.set(
              0,
              new Sample(
                  first.key(),
                  first.label(),
                  "the film was very good indeed".getBytes(StandardCharsets.UTF_8),
                  first.kind()));
          return samples;
        });
    Pipeline.Run run = infer(copy);
    assertEquals(1, run.exitCode(), run.all());
    assertTrue(run.err().contains("dataset: source-01 (source-01.tar)"), run.err());
  }

  @Test
  void textDatasetWithoutTokenizerIsAUsageErrorForTheTrainer() throws Exception {
    Path copy = dir.resolve("no-tokenizer");
    TestFiles.copyTree(dir.resolve("dataset/reviews"), copy, StandardCopyOption.REPLACE_EXISTING);
    Files.delete(copy.resolve("tokenizer.json"));
    Pipeline.Run run =
        Pipeline.trainer(
            "--sig_out",
            dir.resolve("sig2").toString(),
            "--model_path",
            dir.resolve("models2").toString(),
            "--dataset",
            copy.toString(),
            "--epochs",
            "1",
            "--quiet",
            "skip");
    assertEquals(2, run.exitCode(), run.all());
    assertTrue(run.err().contains("--tokenizer"), run.err());
    assertFalse(Files.exists(dir.resolve("sig2/model.sig")), "nothing is signed");
  }

  private static Pipeline.Run infer(Path dataset) {
    return Pipeline.inferencer(
        "--sig_path",
        dir.resolve("signatures").toString(),
        "--model_path",
        dir.resolve("models").toString(),
        "--dataset",
        dataset.toString(),
        "--quiet",
        "private-key",
        "--public_key",
        dir.resolve("keys/public.pem").toString());
  }
}
