package org.sentryml.data.dataset;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.SentryException;

/**
 * Which columns of a Hugging Face parquet file hold the payload and the label, and how the payload
 * is stored. Pure: detection only looks at column names and DuckDB type names.
 *
 * <p>Recognised layouts:
 *
 * <ul>
 *   <li>an image column named {@code image} or {@code img}, either the {@code datasets} Image
 *       feature ({@code STRUCT(bytes BLOB, path VARCHAR)}) or a plain {@code BLOB};
 *   <li>otherwise a {@code VARCHAR} text column named {@code text}, {@code sentence} or {@code
 *       content};
 *   <li>and an integer label column: the first present of {@link #LABEL_NAMES}, else the only
 *       integer column of the file.
 * </ul>
 *
 * @param payloadColumn the column holding the image or text
 * @param payload how that column stores the payload
 * @param labelColumn the integer column holding the class index
 */
public record ParquetLayout(String payloadColumn, Payload payload, String labelColumn) {

  /** How the payload column stores a sample's bytes. */
  public enum Payload {
    /** {@code STRUCT(bytes BLOB, ...)}, the {@code datasets} Image feature. */
    IMAGE_STRUCT(SampleKind.IMAGE),
    /** A plain {@code BLOB} of encoded image bytes. */
    IMAGE_BLOB(SampleKind.IMAGE),
    /** A {@code VARCHAR}, stored in the sample as UTF-8. */
    TEXT(SampleKind.TEXT);

    private final SampleKind kind;

    Payload(SampleKind kind) {
      this.kind = kind;
    }

    public SampleKind kind() {
      return kind;
    }
  }

  /** One column as DuckDB describes it, e.g. {@code img STRUCT(bytes BLOB, path VARCHAR)}. */
  public record Column(String name, String type) {
    public Column {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(type, "type");
    }

    @Override
    public String toString() {
      return name + " " + type;
    }
  }

  static final List<String> IMAGE_NAMES = List.of("image", "img");
  static final List<String> TEXT_NAMES = List.of("text", "sentence", "content");

  /** Preferred label names; {@code fine_label} before others so CIFAR-100 picks its 100 classes. */
  static final List<String> LABEL_NAMES =
      List.of("label", "labels", "fine_label", "class", "target");

  private static final Set<String> INTEGER_TYPES =
      Set.of(
          "TINYINT",
          "SMALLINT",
          "INTEGER",
          "BIGINT",
          "UTINYINT",
          "USMALLINT",
          "UINTEGER",
          "UBIGINT");

  // The Image feature's struct: a bytes field of type BLOB, whatever else it carries.
  private static final Pattern IMAGE_STRUCT =
      Pattern.compile("STRUCT\\((.*[ ,(])?\"?bytes\"? BLOB[,)].*", Pattern.CASE_INSENSITIVE);

  public ParquetLayout {
    Objects.requireNonNull(payloadColumn, "payloadColumn");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(labelColumn, "labelColumn");
  }

  /**
   * Picks the payload and label columns of {@code file} from its columns.
   *
   * @throws MalformedInputException naming the file and listing every column with its type when no
   *     supported layout matches
   */
  public static ParquetLayout detect(Path file, List<Column> columns) {
    Optional<ParquetLayout> layout =
        image(columns).or(() -> text(columns)).flatMap(p -> withLabel(p, columns));
    return layout.orElseThrow(() -> unsupported(file, columns));
  }

  private static Optional<ParquetLayout> image(List<Column> columns) {
    for (String name : IMAGE_NAMES) {
      Optional<Column> column = named(columns, name);
      if (column.isPresent()) {
        String type = column.get().type().trim();
        if (type.equalsIgnoreCase("BLOB")) {
          return Optional.of(new ParquetLayout(column.get().name(), Payload.IMAGE_BLOB, ""));
        }
        if (IMAGE_STRUCT.matcher(type).matches()) {
          return Optional.of(new ParquetLayout(column.get().name(), Payload.IMAGE_STRUCT, ""));
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<ParquetLayout> text(List<Column> columns) {
    for (String name : TEXT_NAMES) {
      Optional<Column> column = named(columns, name);
      if (column.isPresent() && column.get().type().trim().equalsIgnoreCase("VARCHAR")) {
        return Optional.of(new ParquetLayout(column.get().name(), Payload.TEXT, ""));
      }
    }
    return Optional.empty();
  }

  private static Optional<ParquetLayout> withLabel(ParquetLayout payload, List<Column> columns) {
    for (String name : LABEL_NAMES) {
      Optional<Column> column = named(columns, name).filter(ParquetLayout::isInteger);
      if (column.isPresent()) {
        return Optional.of(payload.withLabel(column.get().name()));
      }
    }
    List<Column> integers = columns.stream().filter(ParquetLayout::isInteger).toList();
    // An arbitrary integer column is only trusted when it cannot be confused with another.
    return integers.size() == 1
        ? Optional.of(payload.withLabel(integers.get(0).name()))
        : Optional.empty();
  }

  private ParquetLayout withLabel(String label) {
    return new ParquetLayout(payloadColumn, payload, label);
  }

  private static Optional<Column> named(List<Column> columns, String name) {
    return columns.stream().filter(c -> c.name().equals(name)).findFirst();
  }

  private static boolean isInteger(Column column) {
    return INTEGER_TYPES.contains(column.type().trim().toUpperCase(Locale.ROOT));
  }

  private static SentryException unsupported(Path file, List<Column> columns) {
    List<String> found = new ArrayList<>();
    for (Column column : columns) {
      found.add(column.toString());
    }
    return new MalformedInputException(
        "unsupported parquet schema in "
            + file
            + ": expected an image column (image or img: BLOB or STRUCT(bytes BLOB, path VARCHAR))"
            + " or a text column (text, sentence or content: VARCHAR) and an integer label column"
            + " (label, labels, fine_label, class, target, or the only integer column);"
            + " columns found: "
            + (found.isEmpty() ? "none" : String.join(", ", found)));
  }

  /** The kind of sample this layout yields. */
  public SampleKind kind() {
    return payload.kind();
  }
}
