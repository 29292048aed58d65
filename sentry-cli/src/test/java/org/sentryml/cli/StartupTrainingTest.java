package org.sentryml.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.testkit.RepositoryFiles;

/**
 * The launcher records its class-data-sharing archive from this run: a failing command would make
 * it drop the archive, and a command left out would leave its classes out of it.
 */
class StartupTrainingTest {
  @TempDir Path work;

  @Test
  void everyEverydayCommandSucceedsOnTheExampleModelAndTheSourceIsLeftAlone() throws Exception {
    Path example = RepositoryFiles.root().resolve("examples/tiny-model");
    long before;
    try (var files = Files.list(example)) {
      before = files.count();
    }
    assertEquals(0, StartupTraining.train(example, work));
    assertTrue(Files.exists(work.resolve("model/model.sig")), "signed and re-signed the copy");
    try (var files = Files.list(example)) {
      assertEquals(before, files.count(), "the example model gets no signature");
    }
  }
}
