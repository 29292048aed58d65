package org.sentryml.data.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.core.errors.PathException;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.errors.UsageException;

class DatasetLocatorTest {
  @TempDir Path root;

  @Test
  void theOnlyDatasetUnderTheFolderIsChosen() throws IOException {
    Path cifar = prepared("dataset/cifar10");
    assertEquals(cifar, DatasetLocator.locate(null, root.resolve("dataset")));
  }

  @Test
  void severalDatasetsAreListedInTheError() throws IOException {
    prepared("dataset/cifar10");
    prepared("dataset/mnist");
    SentryException e =
        assertThrows(
            SentryException.class, () -> DatasetLocator.locate(null, root.resolve("dataset")));
    assertInstanceOf(UsageException.class, e);
    assertTrue(
        e.getMessage().contains("cifar10")
            && e.getMessage().contains("mnist")
            && e.getMessage().contains("--dataset"),
        e.getMessage());
  }

  @Test
  void stagingFoldersOfAnInterruptedRunAreNotDatasets() throws IOException {
    Path real = prepared("dataset/mnist");
    prepared("dataset/.mnist.partial-123");
    assertEquals(real, DatasetLocator.locate(null, root.resolve("dataset")));
  }

  @Test
  void noDatasetFolderSaysHowToMakeOne() {
    SentryException e =
        assertThrows(
            SentryException.class, () -> DatasetLocator.locate(null, root.resolve("dataset")));
    assertEquals(PathException.Kind.NOT_FOUND, assertInstanceOf(PathException.class, e).kind());
    assertTrue(e.getMessage().contains("sentry-dataset"), e.getMessage());
  }

  @Test
  void explicitFolderWithoutManifestIsRefused() {
    SentryException e =
        assertThrows(
            SentryException.class, () -> DatasetLocator.locate(root, root.resolve("dataset")));
    assertEquals(PathException.Kind.NOT_FOUND, assertInstanceOf(PathException.class, e).kind());
  }

  private Path prepared(String relative) throws IOException {
    Path dir = root.resolve(relative);
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(DatasetManifest.FILE), "{}");
    return dir;
  }
}
