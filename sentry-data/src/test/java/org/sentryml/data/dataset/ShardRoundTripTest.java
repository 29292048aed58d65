package org.sentryml.data.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.SentryException;

class ShardRoundTripTest {
  @TempDir Path dir;

  @Test
  void samplesWrittenToAShardReadBackEqual() {
    List<Sample> samples = TestSamples.random("train", 200, 1);
    Path shard = dir.resolve("source-00.tar");
    TestSamples.writeShard(shard, samples);
    List<Sample> read = TestSamples.readAll(shard);
    assertEquals(samples.size(), read.size());
    for (int i = 0; i < samples.size(); i++) {
      assertEquals(samples.get(i).key(), read.get(i).key());
      assertEquals(samples.get(i).label(), read.get(i).label());
      assertArrayEquals(samples.get(i).data(), read.get(i).data());
    }
  }

  @Test
  void equalSamplesGiveByteIdenticalShards() throws IOException {
    List<Sample> samples = TestSamples.random("test", 50, 2);
    TestSamples.writeShard(dir.resolve("a.tar"), samples);
    TestSamples.writeShard(dir.resolve("b.tar"), samples);
    assertArrayEquals(
        Files.readAllBytes(dir.resolve("a.tar")), Files.readAllBytes(dir.resolve("b.tar")));
  }

  @Test
  void abandonedShardLeavesNoFileBehind() throws IOException {
    try (ShardWriter writer = new ShardWriter(dir.resolve("source-01.tar"))) {
      TestSamples.random("train", 5, 3).forEach(writer::write);
      // no finish(): an interrupted write
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(), files.toList());
    }
  }

  @Test
  void sampleWithoutLabelIsABadShardNamingTheKey() throws IOException {
    Path shard = dir.resolve("bad.tar");
    writeRaw(shard, "train/00000001.png", new byte[] {1, 2});
    SentryException e = assertThrows(SentryException.class, () -> TestSamples.readAll(shard));
    assertInstanceOf(MalformedInputException.class, e);
    assertTrue(e.getMessage().contains("train/00000001"), e.getMessage());
  }

  @Test
  void nonCanonicalLabelIsRejected() throws IOException {
    Path shard = dir.resolve("bad.tar");
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(shard))) {
      TestSamples.putMember(tar, "train/00000001.png", new byte[] {1});
      TestSamples.putMember(tar, "train/00000001.cls", "05".getBytes(StandardCharsets.US_ASCII));
    }
    SentryException e = assertThrows(SentryException.class, () -> TestSamples.readAll(shard));
    assertTrue(e.getMessage().contains("not a class index"), e.getMessage());
  }

  @Test
  void truncatedShardIsReportedNotSilentlyShortened() throws IOException {
    Path shard = dir.resolve("source-00.tar");
    TestSamples.writeShard(shard, TestSamples.random("train", 100, 4));
    byte[] bytes = Files.readAllBytes(shard);
    Files.write(shard, java.util.Arrays.copyOf(bytes, bytes.length / 2 + 7));
    SentryException e = assertThrows(SentryException.class, () -> TestSamples.readAll(shard));
    assertInstanceOf(MalformedInputException.class, e);
  }

  @Test
  void emptyShardHoldsNoSamples() {
    Path shard = dir.resolve("empty.tar");
    TestSamples.writeShard(shard, List.of());
    try (ShardReader reader = new ShardReader(shard)) {
      assertFalse(reader.hasNext());
    }
  }

  private static void writeRaw(Path shard, String name, byte[] content) throws IOException {
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(shard))) {
      TestSamples.putMember(tar, name, content);
    }
  }
}
