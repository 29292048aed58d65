package org.sentryml.data.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.core.attestation.DatasetOrigin;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.errors.VerificationFailedException;

class StreamingLoaderTest {
  @TempDir Path dir;
  private final Map<String, List<Sample>> bySource = new TreeMap<>();
  private DatasetIndex index;

  @BeforeEach
  void writeDataset() {
    List<DatasetIndex.IndexedSource> sources = new ArrayList<>();
    for (int s = 0; s < 3; s++) {
      String name = "source-0" + s;
      List<Sample> samples = new ArrayList<>();
      samples.addAll(
          TestSamples.random("train", 150 + 40 * s, 10 + s).stream()
              .map(x -> rekey(x, name))
              .toList());
      samples.addAll(
          TestSamples.random("test", 30 + s, 20 + s).stream().map(x -> rekey(x, name)).toList());
      bySource.put(name, samples);
      TestSamples.writeShard(dir.resolve(name + ".tar"), samples);
      Map<String, Long> splits = new TreeMap<>();
      samples.forEach(x -> splits.merge(x.split(), 1L, Long::sum));
      sources.add(new DatasetIndex.IndexedSource(name, name + ".tar", splits, Map.of()));
    }
    index =
        new DatasetIndex(
            new DatasetOrigin("test/data", "main", "0".repeat(40)), SampleKind.IMAGE, 10, sources);
  }

  @Test
  void passYieldsEverySampleOfTheAskedSplitOnce() {
    List<Sample> seen = drain(Set.of("train"), 32, 7).samples;
    Set<String> keys = new HashSet<>();
    seen.forEach(s -> assertTrue(keys.add(s.key()), "duplicate " + s.key()));
    long expected =
        bySource.values().stream()
            .flatMap(List::stream)
            .filter(s -> s.split().equals("train"))
            .count();
    assertEquals(expected, seen.size());
    assertTrue(seen.stream().allMatch(s -> s.split().equals("train")));
  }

  @Test
  void latticesEqualThoseOfTheSourcesInAnyOrder() {
    SourceLattices streamed = drain(Set.of("train"), 17, 3).lattices;
    streamed.addAll(drain(Set.of("test"), 64, 4).lattices);
    bySource.forEach(
        (source, samples) -> {
          SourceLattices direct = TestSamples.latticesOf(source, samples);
          streamed
              .bySource()
              .get(source)
              .forEach(
                  (split, lattice) ->
                      assertTrue(
                          direct
                              .bySource()
                              .get(source)
                              .get(split)
                              .lattice()
                              .sameAs(lattice.lattice()),
                          source + "/" + split));
        });
  }

  @Test
  void sameSeedSameOrderAnotherSeedAnotherOrder() {
    List<String> first = drain(Set.of("train"), 32, 99).samples.stream().map(Sample::key).toList();
    List<String> again = drain(Set.of("train"), 32, 99).samples.stream().map(Sample::key).toList();
    List<String> other = drain(Set.of("train"), 32, 100).samples.stream().map(Sample::key).toList();
    assertEquals(first, again);
    assertNotEquals(first, other);
  }

  @Test
  void shuffleMixesSourcesWithinTheFirstBatch() {
    StreamingLoader loader = new StreamingLoader(dir, index, 256);
    try (StreamingLoader.Pass pass = loader.pass(Set.of("train"), 64, 5, true)) {
      List<Sample> batch = pass.next();
      Set<String> prefixes = new HashSet<>();
      batch.forEach(s -> prefixes.add(sourceOf(s)));
      assertTrue(prefixes.size() >= 2, "first batch drew from " + prefixes);
    }
  }

  @Test
  void sampleAddedBeyondTheIndexIsStillReadAndHashed() {
    List<Sample> tampered = new ArrayList<>(bySource.get("source-01"));
    tampered.add(new Sample("train/99999999", 3, new byte[] {7}, SampleKind.IMAGE));
    TestSamples.writeShard(dir.resolve("source-01.tar"), tampered);
    Drained drained = drain(Set.of("train"), 32, 1);
    assertEquals(
        tampered.stream().filter(s -> s.split().equals("train")).count(),
        drained.lattices.bySource().get("source-01").get("train").samples());
  }

  @Test
  void sampleOfASplitTheIndexDoesNotListFailsThePassNamingShardAndMember() {
    List<Sample> tampered = new ArrayList<>(bySource.get("source-02"));
    tampered.add(new Sample("evil/00000001", 3, new byte[] {7}, SampleKind.IMAGE));
    TestSamples.writeShard(dir.resolve("source-02.tar"), tampered);
    for (Set<String> splits : List.of(Set.of("train"), Set.of("test"))) {
      SentryException e = assertThrows(SentryException.class, () -> drain(splits, 32, 1));
      assertInstanceOf(VerificationFailedException.class, e);
      assertTrue(
          e.getMessage().contains("source-02.tar") && e.getMessage().contains("evil/00000001.png"),
          e.getMessage());
    }
  }

  @Test
  void moreShardsThanMayBeOpenAtOnceStreamWithBoundedDescriptors() {
    List<DatasetIndex.IndexedSource> sources = new ArrayList<>();
    int count = 3 * StreamingLoader.MAX_OPEN_SHARDS;
    for (int s = 0; s < count; s++) {
      String name = String.format(java.util.Locale.ROOT, "many-%03d", s);
      TestSamples.writeShard(dir.resolve(name + ".tar"), TestSamples.random("train", 2, s));
      sources.add(
          new DatasetIndex.IndexedSource(name, name + ".tar", Map.of("train", 2L), Map.of()));
    }
    StreamingLoader loader =
        new StreamingLoader(
            dir, new DatasetIndex(index.origin(), SampleKind.IMAGE, 10, sources), 4);
    long before = OpenFiles.count();
    long most = 0;
    long samples = 0;
    try (StreamingLoader.Pass pass = loader.pass(Set.of("train"), 1, 3, true)) {
      while (pass.hasNext()) {
        samples += pass.next().size();
        most = Math.max(most, OpenFiles.count() - before);
      }
    }
    assertEquals(2L * count, samples);
    assertTrue(most <= StreamingLoader.MAX_OPEN_SHARDS + 4, "descriptors held at once: " + most);
  }

  @Test
  void hashingOffFoldsNothing() {
    StreamingLoader loader = new StreamingLoader(dir, index);
    try (StreamingLoader.Pass pass = loader.pass(Set.of("train"), 32, 1, false)) {
      pass.forEachRemaining(batch -> {});
      assertEquals(0, pass.lattices().bySource().get("source-00").get("train").samples());
    }
  }

  @Test
  void aPassResumedFromItsCursorGivesTheSameBatchesAndLatticesAtEveryStop() {
    // A small buffer and few open shards exercise closed shards whose samples are still buffered.
    StreamingLoader loader = new StreamingLoader(dir, index, 40);
    List<List<String>> whole = new ArrayList<>();
    SourceLattices wholeLattices;
    try (StreamingLoader.Pass pass = loader.pass(Set.of("train"), 24, 11, true)) {
      pass.forEachRemaining(b -> whole.add(b.stream().map(Sample::key).toList()));
      wholeLattices = pass.lattices();
    }
    for (int at = 0; at <= whole.size(); at += 3) {
      int stop = at;
      List<List<String>> resumed = new ArrayList<>();
      LoaderCursor cursor;
      SourceLattices partial;
      try (StreamingLoader.Pass pass = loader.pass(Set.of("train"), 24, 11, true)) {
        for (int b = 0; b < stop; b++) {
          resumed.add(pass.next().stream().map(Sample::key).toList());
        }
        cursor = pass.cursor();
        partial = pass.lattices();
      }
      try (StreamingLoader.Pass pass =
          loader.resume(Set.of("train"), 24, 11, true, cursor, partial)) {
        pass.forEachRemaining(b -> resumed.add(b.stream().map(Sample::key).toList()));
        assertEquals(whole, resumed, "stopped after batch " + stop);
        wholeLattices
            .bySource()
            .forEach(
                (source, splits) ->
                    splits.forEach(
                        (split, lattice) ->
                            assertTrue(
                                lattice
                                    .lattice()
                                    .sameAs(
                                        pass.lattices()
                                            .bySource()
                                            .get(source)
                                            .get(split)
                                            .lattice()),
                                "stop " + stop + ": " + source + "/" + split)));
      }
    }
  }

  @Test
  void aCursorNamingASampleBeyondTheShardIsRefused() {
    StreamingLoader loader = new StreamingLoader(dir, index, 40);
    LoaderCursor beyond =
        new LoaderCursor(1, List.of(), List.of(new LoaderCursor.Shard(0, 10_000)), List.of());
    SentryException e =
        assertThrows(
            SentryException.class,
            () -> loader.resume(Set.of("train"), 8, 1, true, beyond, new SourceLattices()));
    assertTrue(e.getMessage().contains("holds only"), e.getMessage());
  }

  private record Drained(List<Sample> samples, SourceLattices lattices) {}

  private Drained drain(Set<String> splits, int batch, long seed) {
    StreamingLoader loader = new StreamingLoader(dir, index, 100);
    List<Sample> samples = new ArrayList<>();
    try (StreamingLoader.Pass pass = loader.pass(splits, batch, seed, true)) {
      pass.forEachRemaining(
          b -> {
            assertTrue(b.size() <= batch);
            samples.addAll(b);
          });
      return new Drained(samples, pass.lattices());
    }
  }

  /**
   * Keys carry their source in these tests (train/<source digit><index>) so batches can be
   * attributed.
   */
  private static Sample rekey(Sample sample, String source) {
    String index = sample.key().substring(sample.key().indexOf('/') + 1);
    return new Sample(
        sample.split() + "/" + source.charAt(source.length() - 1) + index,
        sample.label(),
        sample.data(),
        sample.kind());
  }

  private static String sourceOf(Sample sample) {
    return sample.key().substring(sample.key().indexOf('/') + 1, sample.key().indexOf('/') + 2);
  }
}
