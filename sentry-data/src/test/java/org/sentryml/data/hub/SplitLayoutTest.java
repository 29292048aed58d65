package org.sentryml.data.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.errors.UsageException;

class ParquetLayoutTest {
  @Test
  void splitOf_readsTheSplitFromEachHubLayout() {
    assertEquals(Optional.of("train"), SplitLayout.splitOf("data/train-00000-of-00001.parquet"));
    assertEquals(
        Optional.of("validation"),
        SplitLayout.splitOf("data/validation-00003-of-00010-1a2b3c4d5e6f7a8b.parquet"));
    assertEquals(Optional.of("test"), SplitLayout.splitOf("mnist/test-00000-of-00001.parquet"));
    assertEquals(Optional.of("train"), SplitLayout.splitOf("default/train/0000.parquet"));
    assertEquals(Optional.of("test"), SplitLayout.splitOf("plain_text/test/0012.parquet"));
    assertEquals(Optional.of("train"), SplitLayout.splitOf("train.parquet"));
    assertEquals(Optional.of("train"), SplitLayout.splitOf("data/train.PARQUET"));
  }

  @Test
  void splitOf_isEmptyForFilesThatAreNotParquet() {
    assertEquals(Optional.empty(), SplitLayout.splitOf("README.md"));
    assertEquals(Optional.empty(), SplitLayout.splitOf("data/train-00000-of-00001.arrow"));
    assertEquals(Optional.empty(), SplitLayout.splitOf(".parquet"));
  }

  @Test
  void configOf_isTheFirstFolderOrDefault() {
    assertEquals("default", SplitLayout.configOf("data/train-00000-of-00001.parquet"));
    assertEquals("default", SplitLayout.configOf("train.parquet"));
    assertEquals("mnist", SplitLayout.configOf("mnist/train-00000-of-00001.parquet"));
    assertEquals("plain_text", SplitLayout.configOf("plain_text/train/0000.parquet"));
  }

  @Test
  void group_sortsSplitsAndFilesAndSkipsOtherFiles() {
    Map<String, Map<String, List<String>>> groups =
        SplitLayout.group(
            List.of(
                "data/train-00001-of-00002.parquet",
                "README.md",
                "data/test-00000-of-00001.parquet",
                "data/train-00000-of-00002.parquet"));
    assertEquals(
        Map.of(
            "default",
            Map.of(
                "test", List.of("data/test-00000-of-00001.parquet"),
                "train",
                    List.of(
                        "data/train-00000-of-00002.parquet", "data/train-00001-of-00002.parquet"))),
        groups);
    assertEquals(List.of("test", "train"), List.copyOf(groups.get("default").keySet()));
  }

  @Test
  void select_withSeveralConfigsAndNoChoice_failsListingThem() {
    List<String> paths =
        List.of("mnist/train-00000-of-00001.parquet", "fashion/train-00000-of-00001.parquet");
    SentryException e =
        assertThrows(SentryException.class, () -> SplitLayout.select("x/y@main", paths, null));
    assertInstanceOf(UsageException.class, e);
    assertTrue(e.getMessage().contains("fashion, mnist"), e.getMessage());
    assertEquals("mnist", SplitLayout.select("x/y@main", paths, "mnist").config());
  }

  @Test
  void select_withAnUnknownConfig_failsListingTheKnownOnes() {
    SentryException e =
        assertThrows(
            SentryException.class,
            () -> SplitLayout.select("x/y@main", List.of("data/train.parquet"), "other"));
    assertInstanceOf(UsageException.class, e);
    assertTrue(e.getMessage().contains("default"), e.getMessage());
  }

  @Test
  void select_withoutParquetFiles_isBadInput() {
    SentryException e =
        assertThrows(
            SentryException.class,
            () -> SplitLayout.select("x/y@main", List.of("README.md"), null));
    assertInstanceOf(MalformedInputException.class, e);
  }
}
