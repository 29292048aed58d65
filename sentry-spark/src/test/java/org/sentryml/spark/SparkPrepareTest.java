package org.sentryml.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sentryml.data.dataset.DatasetManifest;
import org.sentryml.data.dataset.SplitPlan;
import org.sentryml.testkit.RepositoryFiles;
import org.sentryml.testkit.TestTags;

/**
 * {@code sentry-spark prepare} writes, byte for byte, the dataset {@code sentry-dataset} writes
 * from the same input and seed: the embedded MNIST subset, 6 sources, alpha 0.8.
 */
@Tag(TestTags.SLOW)
class SparkPrepareTest {
  @TempDir static Path work;
  static Path cache;
  static Path single;

  @BeforeAll
  static void prepareOnOneMachine() {
    cache = work.resolve("hf-cache");
    single = work.resolve("single");
    Tools.prepareOnOneMachine(
        RepositoryFiles.locate("examples/hub"),
        Tools.MNIST,
        new SplitPlan(6, 0.8, 42),
        cache,
        single);
  }

  private static List<String> files(Path dir) throws IOException {
    try (Stream<Path> list = Files.list(dir)) {
      return list.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static void assertSameDataset(Path expected, Path actual) throws IOException {
    assertEquals(files(expected), files(actual));
    for (String name : files(expected)) {
      assertArrayEquals(
          Tools.read(expected.resolve(name)), Tools.read(actual.resolve(name)), name + " differs");
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3, 17})
  void anyPartitionCountWritesWhatSentryDatasetWrites(int partitions) throws IOException {
    Path out = work.resolve("spark-" + partitions);
    Tools.Run run =
        Tools.spark(
            "prepare",
            Tools.MNIST,
            "6",
            "0.8",
            out.toString(),
            "--cache-dir",
            cache.toString(),
            "--partitions",
            Integer.toString(partitions));
    assertEquals(0, run.exitCode(), run.all());
    assertSameDataset(single, out);
  }

  @Test
  void aFolderOnAHadoopFileSystemGivesTheSameManifest() throws IOException {
    DatasetManifest expected = DatasetManifest.read(single);
    Path out = work.resolve("spark-uri");
    Tools.Run run =
        Tools.spark(
            "prepare",
            Tools.MNIST,
            "6",
            "0.8",
            out.toString(),
            "--input",
            RepositoryFiles.locate("examples/hub/sentryml/mnist-subset").toUri().toString(),
            "--commit",
            expected.origin().commit(),
            "--json");
    assertEquals(0, run.exitCode(), run.all());
    assertTrue(run.out().contains("\"ok\":true"), run.out());
    assertSameDataset(single, out);
  }

  @Test
  void aSplitThatLeavesASourceEmptyIsRefusedBeforeAnythingIsWritten() {
    Path out = work.resolve("spark-empty");
    Tools.Run run =
        Tools.spark(
            "prepare", Tools.MNIST, "40", "0.001", out.toString(), "--cache-dir", cache.toString());
    assertEquals(2, run.exitCode(), run.all());
    assertTrue(run.err().contains("would get no samples"), run.err());
    assertFalse(Files.exists(out));
  }
}
