package org.sentryml.data.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.PathException;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.errors.UsageException;
import org.sentryml.testkit.RepositoryFiles;

/** Reading parquet files of other layouts, and refusing broken or unsupported ones. */
class ParquetSamplesTest {
  @TempDir Path dir;

  /** Writes the result of {@code select} to {@code name} with DuckDB, as HF tooling would. */
  private Path parquet(String name, String select) throws SQLException {
    Path file = dir.resolve(name);
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = db.createStatement()) {
      s.execute("COPY (" + select + ") TO '" + file + "' (FORMAT PARQUET)");
    }
    return file;
  }

  @Test
  void duckDbNativeLibraryLoadsFromTheJar() throws SQLException {
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = db.createStatement();
        var rows = s.executeQuery("SELECT 40 + 2")) {
      assertTrue(rows.next());
      assertEquals(42, rows.getInt(1));
    }
  }

  @Test
  void textColumnReadsAsUtf8TextSamples() throws SQLException {
    Path file =
        parquet(
            "text.parquet",
            "SELECT * FROM (VALUES ('great film', 1::BIGINT), ('çok kötü ıİ', 0::BIGINT))"
                + " AS t(text, label)");
    assertEquals(
        new ParquetLayout("text", ParquetLayout.Payload.TEXT, "label"),
        ParquetSamples.layout(file));
    List<Sample> samples = new ArrayList<>();
    ParquetSamples.forEach(file, "train", 0, samples::add);
    assertEquals(2, samples.size());
    assertEquals(SampleKind.TEXT, samples.get(0).kind());
    assertEquals("train/00000000", samples.get(0).key());
    assertEquals(1, samples.get(0).label());
    assertArrayEquals("çok kötü ıİ".getBytes(StandardCharsets.UTF_8), samples.get(1).data());
    assertArrayEquals(new int[] {1, 0}, ParquetSamples.labels(file));
  }

  @Test
  void cifarStyleImgColumnAndPlainBlobAreImages() throws SQLException {
    Path cifar =
        parquet(
            "cifar.parquet",
            "SELECT {'bytes': 'abc'::BLOB, 'path': NULL::VARCHAR} AS img, 3::BIGINT AS label");
    assertEquals(
        new ParquetLayout("img", ParquetLayout.Payload.IMAGE_STRUCT, "label"),
        ParquetSamples.layout(cifar));
    Path blob =
        parquet(
            "blob.parquet",
            "SELECT 'xyz'::BLOB AS image, 4::INTEGER AS fine_label, 1::INTEGER AS coarse_label");
    assertEquals(
        new ParquetLayout("image", ParquetLayout.Payload.IMAGE_BLOB, "fine_label"),
        ParquetSamples.layout(blob));
    List<Sample> samples = new ArrayList<>();
    ParquetSamples.forEach(blob, "train", 0, samples::add);
    assertArrayEquals("xyz".getBytes(StandardCharsets.US_ASCII), samples.get(0).data());
    assertEquals(4, samples.get(0).label());
  }

  @Test
  void theOnlyIntegerColumnServesAsLabel() throws SQLException {
    Path file =
        parquet("digit.parquet", "SELECT 'hi' AS sentence, 2::SMALLINT AS digit, 0.5 AS score");
    assertEquals("digit", ParquetSamples.layout(file).labelColumn());
  }

  @Test
  void unsupportedSchemaNamesTheFileAndListsColumnsWithTypes() throws SQLException {
    Path file =
        parquet(
            "odd.parquet",
            "SELECT 1.5::DOUBLE AS pixels, 'x' AS caption, 7::BIGINT AS a, 8::BIGINT AS b");
    SentryException e = assertThrows(SentryException.class, () -> ParquetSamples.labels(file));
    assertInstanceOf(MalformedInputException.class, e);
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(
        e.getMessage().contains("pixels DOUBLE, caption VARCHAR, a BIGINT, b BIGINT"),
        e.getMessage());
  }

  @Test
  void truncatedFileIsBadInputNamingTheFile() throws IOException {
    Path mnist =
        RepositoryFiles.locate("examples/hub/sentryml/mnist-subset/mnist")
            .resolve("test-00000-of-00001.parquet");
    byte[] whole = Files.readAllBytes(mnist);
    Path truncated = dir.resolve("truncated.parquet");
    Files.write(truncated, java.util.Arrays.copyOf(whole, whole.length / 2));
    for (var read :
        List.<Runnable>of(
            () -> ParquetSamples.labels(truncated),
            () -> ParquetSamples.forEach(truncated, "test", 0, s -> {}))) {
      SentryException e = assertThrows(SentryException.class, read::run);
      assertInstanceOf(MalformedInputException.class, e);
      assertTrue(e.getMessage().contains(truncated.toString()), e.getMessage());
    }
  }

  @Test
  void garbageBytesAreBadInput() throws IOException {
    Path file = dir.resolve("garbage.parquet");
    Files.writeString(file, "PAR1 this is not a parquet file PAR1");
    SentryException e = assertThrows(SentryException.class, () -> ParquetSamples.columns(file));
    assertInstanceOf(MalformedInputException.class, e);
  }

  @Test
  void missingFileIsPathNotFound() {
    SentryException e =
        assertThrows(
            SentryException.class, () -> ParquetSamples.labels(dir.resolve("nope.parquet")));
    assertEquals(PathException.Kind.NOT_FOUND, assertInstanceOf(PathException.class, e).kind());
  }

  @Test
  void negativeLabelIsBadInputNamingTheRow() throws SQLException {
    Path file =
        parquet("neg.parquet", "SELECT * FROM (VALUES ('a', 1), ('b', -1)) AS t(text, label)");
    SentryException e =
        assertThrows(
            SentryException.class, () -> ParquetSamples.forEach(file, "train", 0, s -> {}));
    assertInstanceOf(MalformedInputException.class, e);
    assertTrue(e.getMessage().contains("row 1"), e.getMessage());
    assertInstanceOf(
        MalformedInputException.class,
        assertThrows(SentryException.class, () -> ParquetSamples.labels(file)));
  }

  @Test
  void splitNameThatWouldBreakKeysIsRejected() throws SQLException {
    Path file = parquet("ok.parquet", "SELECT 'a' AS text, 1 AS label");
    for (String split : List.of("", "a/b", "v1.0", "..")) {
      assertInstanceOf(
          UsageException.class,
          assertThrows(SentryException.class, () -> ParquetSamples.open(file, split, 0)));
    }
  }
}
