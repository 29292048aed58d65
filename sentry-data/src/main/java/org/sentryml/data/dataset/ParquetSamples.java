package org.sentryml.data.dataset;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.sentryml.core.errors.BackendUnavailableException;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.PathException;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.errors.UsageException;

/**
 * Reads labelled samples from Hugging Face dataset parquet files (one file = one shard of one
 * split) through DuckDB's embedded engine. Stateless and thread-safe: every call opens its own
 * in-memory DuckDB database and closes it before returning (or when the cursor is closed).
 *
 * <p>Every method throws {@link SentryException}: {@link PathException} (and the other path codes)
 * when the file cannot be opened, {@link MalformedInputException} naming the file for a corrupt or
 * truncated file, an unsupported schema (see {@link ParquetLayout}) or a bad label, {@link
 * BackendUnavailableException} when DuckDB's native library cannot load.
 */
public final class ParquetSamples {
  private ParquetSamples() {}

  /** The file's columns as DuckDB types them, in file order. */
  public static List<ParquetLayout.Column> columns(Path file) {
    String source = DuckDbFiles.source(file);
    try (Connection db = DuckDbFiles.connect(file);
        Statement statement = db.createStatement();
        ResultSet rows = statement.executeQuery("DESCRIBE SELECT * FROM " + source)) {
      List<ParquetLayout.Column> columns = new ArrayList<>();
      while (rows.next()) {
        columns.add(new ParquetLayout.Column(rows.getString(1), rows.getString(2)));
      }
      return columns;
    } catch (SQLException e) {
      throw DuckDbFiles.failure(file, e);
    }
  }

  /** The payload and label columns of {@code file}. */
  public static ParquetLayout layout(Path file) {
    return ParquetLayout.detect(file, columns(file));
  }

  /**
   * Every label of {@code file} in row order, reading only the label column (the cheap first pass
   * that a per-class split needs before any payload is touched).
   */
  public static int[] labels(Path file) {
    ParquetLayout layout = layout(file);
    String sql =
        "SELECT " + SampleCursor.quote(layout.labelColumn()) + " FROM " + DuckDbFiles.source(file);
    try (Connection db = DuckDbFiles.connect(file);
        Statement statement = db.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      IntList labels = new IntList();
      while (rows.next()) {
        long label = rows.getLong(1);
        if (rows.wasNull() || label < 0 || label > Integer.MAX_VALUE) {
          throw new MalformedInputException(
              "bad row "
                  + labels.size()
                  + " in parquet file "
                  + file
                  + ": label column "
                  + layout.labelColumn()
                  + " holds "
                  + (rows.wasNull() ? "null" : label)
                  + ", expected a class index >= 0");
        }
        labels.add((int) label);
      }
      return labels.toArray();
    } catch (SQLException e) {
      throw DuckDbFiles.failure(file, e);
    }
  }

  /**
   * Opens a streaming cursor over the samples of {@code file} in row order; the caller closes it.
   *
   * @param split the split name that prefixes every key ({@code train}, {@code test}, ...)
   * @param firstIndex the index of the file's first row within its split (non-zero for the second
   *     and later shards of a split)
   */
  public static SampleCursor open(Path file, String split, long firstIndex) {
    checkSplit(split);
    if (firstIndex < 0) {
      throw new UsageException("the first sample index must be >= 0, not " + firstIndex);
    }
    ParquetLayout layout = layout(file);
    return new SampleCursor(file, split, firstIndex, layout, DuckDbFiles.connect(file));
  }

  /**
   * Streams every sample of {@code file} to {@code sink} in row order.
   *
   * @return the number of samples delivered
   * @see #open(Path, String, long)
   */
  public static long forEach(
      Path file, String split, long firstIndex, Consumer<? super Sample> sink) {
    Objects.requireNonNull(sink, "sink");
    long count = 0;
    try (SampleCursor cursor = open(file, split, firstIndex)) {
      while (cursor.hasNext()) {
        sink.accept(cursor.next());
        count++;
      }
    }
    return count;
  }

  private static void checkSplit(String split) {
    Objects.requireNonNull(split, "split");
    if (!split.matches("[A-Za-z0-9_-]+")) {
      throw new UsageException(
          "a split name is letters, digits, '_' and '-' (it starts every sample key), not '"
              + split
              + "'");
    }
  }

  /** A growable int array: labels of a large split would cost 4x as boxed Integers. */
  private static final class IntList {
    private int[] values = new int[1024];
    private int size;

    void add(int value) {
      if (size == values.length) {
        if (size == Integer.MAX_VALUE - 8) {
          throw new MalformedInputException("too many rows for one parquet file");
        }
        values = Arrays.copyOf(values, (int) Math.min(Integer.MAX_VALUE - 8L, size * 2L));
      }
      values[size++] = value;
    }

    int size() {
      return size;
    }

    int[] toArray() {
      return Arrays.copyOf(values, size);
    }
  }
}
