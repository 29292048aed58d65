package org.sentryml.data.dataset;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.SentryException;

/**
 * Streams the samples of one parquet file in file row order, holding only the current row group in
 * memory. Not thread-safe; close it (try-with-resources) to release the DuckDB connection.
 *
 * <p>Keys are {@code <split>/<index>} with the index zero-padded to eight digits, counting from the
 * {@code firstIndex} given to {@link ParquetSamples#open}. {@link #next()} and {@link #hasNext()}
 * throw {@link MalformedInputException}, naming the file and row) for a corrupt file, a null
 * payload or a label that is null, negative or beyond {@code int}.
 */
public final class SampleCursor implements Iterator<Sample>, AutoCloseable {
  private final Path file;
  private final String split;
  private final ParquetLayout layout;
  private final Connection connection;
  private final Statement statement;
  private final ResultSet rows;
  private final long firstIndex;
  private long index;
  private Boolean ready;

  SampleCursor(Path file, String split, long firstIndex, ParquetLayout layout, Connection db) {
    this.file = file;
    this.split = split;
    this.layout = layout;
    this.connection = db;
    this.firstIndex = firstIndex;
    this.index = firstIndex;
    Statement opened = null;
    try {
      opened = db.createStatement();
      this.statement = opened;
      this.rows = opened.executeQuery(query(file, layout));
    } catch (SQLException e) {
      closeQuietly(opened, db);
      throw DuckDbFiles.failure(file, e);
    } catch (RuntimeException e) {
      closeQuietly(opened, db);
      throw e;
    }
  }

  private static String query(Path file, ParquetLayout layout) {
    String payload = quote(layout.payloadColumn());
    if (layout.payload() == ParquetLayout.Payload.IMAGE_STRUCT) {
      payload = "struct_extract(" + payload + ", 'bytes')";
    }
    return "SELECT "
        + payload
        + ", "
        + quote(layout.labelColumn())
        + " FROM "
        + DuckDbFiles.source(file);
  }

  static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  /** The layout this cursor reads. */
  public ParquetLayout layout() {
    return layout;
  }

  @Override
  public boolean hasNext() {
    if (ready == null) {
      try {
        ready = rows.next();
      } catch (SQLException e) {
        throw DuckDbFiles.failure(file, e);
      }
    }
    return ready;
  }

  @Override
  public Sample next() {
    if (!hasNext()) {
      throw new NoSuchElementException("no more rows in " + file);
    }
    ready = null;
    try {
      byte[] data =
          layout.payload() == ParquetLayout.Payload.TEXT
              ? text(rows.getString(1))
              : rows.getBytes(1);
      if (data == null) {
        throw badRow("the " + layout.payloadColumn() + " value is null");
      }
      long label = rows.getLong(2);
      if (rows.wasNull() || label < 0 || label > Integer.MAX_VALUE) {
        throw badRow(
            "label column "
                + layout.labelColumn()
                + " holds "
                + (rows.wasNull() ? "null" : label)
                + ", expected a class index >= 0");
      }
      String key = Sample.keyOf(split, index);
      index++;
      return new Sample(key, (int) label, data, layout.kind());
    } catch (SQLException e) {
      throw DuckDbFiles.failure(file, e);
    }
  }

  private static byte[] text(String value) {
    return value == null ? null : value.getBytes(StandardCharsets.UTF_8);
  }

  private SentryException badRow(String problem) {
    return new MalformedInputException(
        "bad row " + (index - firstIndex) + " in parquet file " + file + ": " + problem);
  }

  /** Releases the result, the statement and the private DuckDB database. Idempotent. */
  @Override
  public void close() {
    try {
      rows.close();
      statement.close();
    } catch (SQLException e) {
      throw DuckDbFiles.failure(file, e);
    } finally {
      closeQuietly(null, connection);
    }
  }

  private static void closeQuietly(Statement statement, Connection db) {
    try {
      if (statement != null) {
        statement.close();
      }
      db.close();
    } catch (SQLException ignored) {
      // the original failure, if any, is the one worth reporting
    }
  }
}
