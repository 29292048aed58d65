package org.sentryml.data.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.SentryException;
import org.sentryml.data.dataset.ParquetLayout.Column;
import org.sentryml.data.dataset.ParquetLayout.Payload;

/** Layout detection from column names and types alone, without opening a file. */
class ParquetLayoutTest {
  private static final Path FILE = Path.of("data/train-00000-of-00001.parquet");

  private static ParquetLayout detect(Column... columns) {
    return ParquetLayout.detect(FILE, List.of(columns));
  }

  @Test
  void imageStructWithExtraOrQuotedFieldsIsAnImage() {
    assertEquals(
        Payload.IMAGE_STRUCT,
        detect(
                new Column("image", "STRUCT(\"path\" VARCHAR, \"bytes\" BLOB)"),
                new Column("label", "INTEGER"))
            .payload());
    assertEquals(
        Payload.IMAGE_STRUCT,
        detect(
                new Column("img", "STRUCT(bytes BLOB, path VARCHAR, width INTEGER)"),
                new Column("label", "UTINYINT"))
            .payload());
  }

  @Test
  void structWithoutBytesBlobIsNotAnImage() {
    SentryException e =
        assertThrows(
            SentryException.class,
            () ->
                detect(
                    new Column("image", "STRUCT(bytes_ref VARCHAR)"),
                    new Column("label", "BIGINT")));
    assertInstanceOf(MalformedInputException.class, e);
  }

  @Test
  void imageWinsOverTextAndLabelBeatsOtherIntegers() {
    assertEquals(
        new ParquetLayout("image", Payload.IMAGE_BLOB, "label"),
        detect(
            new Column("text", "VARCHAR"),
            new Column("id", "BIGINT"),
            new Column("image", "BLOB"),
            new Column("label", "BIGINT")));
  }

  @Test
  void twoAnonymousIntegerColumnsAreAmbiguous() {
    SentryException e =
        assertThrows(
            SentryException.class,
            () ->
                detect(
                    new Column("content", "VARCHAR"),
                    new Column("a", "INTEGER"),
                    new Column("b", "INTEGER")));
    assertInstanceOf(MalformedInputException.class, e);
  }

  @Test
  void floatLabelIsNotALabel() {
    assertThrows(
        SentryException.class,
        () -> detect(new Column("text", "VARCHAR"), new Column("label", "DOUBLE")));
  }
}
