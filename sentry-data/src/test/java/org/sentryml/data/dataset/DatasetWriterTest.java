package org.sentryml.data.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.core.attestation.DatasetOrigin;
import org.sentryml.core.engine.CpuEngine;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.errors.UsageException;
import org.sentryml.core.io.TaskProgress;
import org.sentryml.testkit.RepositoryFiles;

class DatasetWriterTest {
  @TempDir static Path dir;
  static Path out;
  static DatasetManifest written;
  static final DatasetOrigin ORIGIN =
      new DatasetOrigin("sentryml/mnist-subset", "main", "ab".repeat(20));

  @BeforeAll
  static void prepare() {
    out = dir.resolve("dataset/mnist-subset");
    try (CpuEngine engine = new CpuEngine(2)) {
      written =
          DatasetWriter.write(
              upstream(),
              new SplitPlan(4, 0.5, 42),
              out,
              false,
              List.of(),
              engine,
              TaskProgress.NONE);
    }
  }

  static DatasetWriter.Upstream upstream() {
    Path files = RepositoryFiles.locate("examples/hub/sentryml/mnist-subset/mnist");
    return new DatasetWriter.Upstream(
        ORIGIN,
        Map.of(
            "train", List.of(files.resolve("train-00000-of-00001.parquet")),
            "test", List.of(files.resolve("test-00000-of-00001.parquet"))));
  }

  @Test
  void everySampleLandsInExactlyOneSource() {
    DatasetIndex index = DatasetIndex.read(out);
    assertEquals(4, index.sources().size());
    assertEquals(10_000, index.sources().stream().mapToLong(s -> s.samples("train")).sum());
    assertEquals(2_000, index.sources().stream().mapToLong(s -> s.samples("test")).sum());
    assertEquals(12_000, written.sources().stream().mapToLong(SourceDigest::samples).sum());
    assertEquals(10, written.classes());
  }

  @Test
  void manifestReadsBackAsWritten() {
    DatasetManifest read = DatasetManifest.read(out);
    assertEquals(written.origin(), read.origin());
    for (int i = 0; i < 4; i++) {
      SourceDigest a = written.sources().get(i);
      SourceDigest b = read.sources().get(i);
      assertEquals(a.shardRoot(), b.shardRoot());
      assertTrue(a.total().sameAs(b.total()));
    }
  }

  @Test
  void streamingTheShardsReproducesTheManifestDigests() {
    DatasetIndex index = DatasetIndex.read(out);
    StreamingLoader loader = new StreamingLoader(out, index);
    SourceLattices streamed = new SourceLattices();
    for (String split : List.of("train", "test")) {
      try (StreamingLoader.Pass pass = loader.pass(Set.of(split), 128, 7, true)) {
        pass.forEachRemaining(batch -> {});
        streamed.addAll(pass.lattices());
      }
    }
    assertEquals(
        List.of(),
        DatasetCheck.compare(DatasetCheck.expectations(DatasetManifest.read(out)), streamed));
  }

  @Test
  void shardRootsAreThoseOfTheFilesOnDisk() {
    try (CpuEngine engine = new CpuEngine(1)) {
      for (SourceDigest source : written.sources()) {
        assertEquals(
            source.shardRoot(),
            ShardRoots.roots(List.of(out.resolve(source.shard())), engine).get(0));
      }
    }
  }

  @Test
  void noStagingFolderIsLeftBeside() throws IOException {
    try (Stream<Path> siblings = Files.list(out.getParent())) {
      assertEquals(
          List.of(out.getFileName().toString()),
          siblings.map(p -> p.getFileName().toString()).toList());
    }
  }

  @Test
  void existingOutputIsRefusedBeforeAnyWork() {
    try (CpuEngine engine = new CpuEngine(1)) {
      SentryException e =
          assertThrows(
              SentryException.class,
              () ->
                  DatasetWriter.write(
                      upstream(),
                      new SplitPlan(2, 1, 1),
                      out,
                      false,
                      List.of(),
                      engine,
                      TaskProgress.NONE));
      assertInstanceOf(UsageException.class, e);
      assertTrue(e.getMessage().contains("--force"), e.getMessage());
    }
    assertEquals(
        4, DatasetManifest.read(out).plan().sources(), "the existing dataset is untouched");
  }
}
