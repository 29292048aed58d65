package org.sentryml.data.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.core.engine.CpuEngine;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.errors.UsageException;
import org.sentryml.core.io.TaskProgress;

/**
 * What sentry-dataset may replace, what it refuses to write, and what it holds open while writing.
 */
class DatasetOutputTest {
  @TempDir Path dir;

  @Test
  void forceReplacesAPreviousDatasetButNotOneHoldingSomeoneElsesFile() throws IOException {
    Path out = dir.resolve("out");
    write(out, new SplitPlan(2, 1, 1), false, List.of());
    Files.writeString(out.resolve("notes.txt"), "mine");
    SentryException e =
        assertThrows(
            SentryException.class, () -> write(out, new SplitPlan(3, 1, 1), true, List.of()));
    assertInstanceOf(UsageException.class, e);
    assertTrue(e.getMessage().contains("notes.txt"), e.getMessage());
    assertEquals("mine", Files.readString(out.resolve("notes.txt")));
    assertEquals(2, DatasetManifest.read(out).sources().size());

    Files.delete(out.resolve("notes.txt"));
    write(out, new SplitPlan(3, 1, 1), true, List.of());
    assertEquals(3, DatasetManifest.read(out).sources().size());
  }

  @Test
  void forceRefusesAFolderThatIsNoDataset() throws IOException {
    Path out = Files.createDirectories(dir.resolve("out"));
    Files.writeString(out.resolve("thesis.tex"), "years of work");
    SentryException e =
        assertThrows(
            SentryException.class, () -> write(out, new SplitPlan(2, 1, 1), true, List.of()));
    assertInstanceOf(UsageException.class, e);
    assertTrue(e.getMessage().contains("not a dataset"), e.getMessage());
    assertEquals("years of work", Files.readString(out.resolve("thesis.tex")));
  }

  @Test
  void forceRefusesAFolderHoldingTheCacheItReads() throws IOException {
    Path out = dir.resolve("out");
    write(out, new SplitPlan(2, 1, 1), false, List.of());
    Path cache = Files.createDirectories(out.resolve("hf-cache"));
    SentryException e =
        assertThrows(
            SentryException.class, () -> write(out, new SplitPlan(2, 1, 1), true, List.of(cache)));
    assertInstanceOf(UsageException.class, e);
    assertTrue(Files.isDirectory(cache));
  }

  @Test
  void moreSourcesThanSamplesIsRefusedBeforeAnythingIsWritten() {
    SentryException e =
        assertThrows(
            SentryException.class,
            () -> write(dir.resolve("out"), new SplitPlan(12_001, 1, 1), false, List.of()));
    assertInstanceOf(UsageException.class, e);
    assertTrue(e.getMessage().contains("12001 sources for 12000 samples"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("out")));
  }

  @Test
  void alphaSoSmallThatSourcesStayEmptyIsRefusedNamingThem() throws IOException {
    SentryException e =
        assertThrows(
            SentryException.class,
            () -> write(dir.resolve("out"), new SplitPlan(40, 1e-3, 1), false, List.of()));
    assertInstanceOf(UsageException.class, e);
    assertTrue(
        e.getMessage().contains("would get no samples") && e.getMessage().contains("source-"),
        e.getMessage());
    try (Stream<Path> left = Files.list(dir)) {
      assertEquals(List.of(), left.toList());
    }
  }

  @Test
  void manySourcesAreWrittenWithoutADescriptorPerSource() {
    int sources = 300;
    long before = OpenFiles.count();
    long[] most = {0};
    TaskProgress counting =
        new TaskProgress() {
          @Override
          public void advance(long units) {
            most[0] = Math.max(most[0], OpenFiles.count() - before);
          }
        };
    Path out = dir.resolve("many");
    DatasetManifest manifest;
    try (CpuEngine engine = new CpuEngine(1)) {
      manifest =
          DatasetWriter.write(
              DatasetWriterTest.upstream(),
              new SplitPlan(sources, 100, 1),
              out,
              false,
              List.of(),
              engine,
              counting);
    }
    assertEquals(sources, manifest.sources().size());
    assertTrue(most[0] < 32, "descriptors held while writing " + sources + " shards: " + most[0]);
    StreamingLoader loader = new StreamingLoader(out, DatasetIndex.read(out));
    SourceLattices streamed = new SourceLattices();
    for (String split : List.of("train", "test")) {
      try (StreamingLoader.Pass pass = loader.pass(Set.of(split), 512, 1, true)) {
        pass.forEachRemaining(batch -> {});
        streamed.addAll(pass.lattices());
      }
    }
    assertEquals(List.of(), DatasetCheck.compare(DatasetCheck.expectations(manifest), streamed));
  }

  private static void write(Path out, SplitPlan plan, boolean replace, List<Path> inputs) {
    try (CpuEngine engine = new CpuEngine(1)) {
      DatasetWriter.write(
          DatasetWriterTest.upstream(), plan, out, replace, inputs, engine, TaskProgress.NONE);
    }
  }
}
