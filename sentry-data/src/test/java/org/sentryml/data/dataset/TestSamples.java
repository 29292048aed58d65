package org.sentryml.data.dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Seeded random samples and shards for the dataset tests. */
final class TestSamples {
  private TestSamples() {}

  static List<Sample> random(String split, int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] data = new byte[1 + random.nextInt(300)];
      random.nextBytes(data);
      samples.add(
          new Sample(
              String.format(Locale.ROOT, "%s/%08d", split, i),
              random.nextInt(10),
              data,
              SampleKind.IMAGE));
    }
    return samples;
  }

  /** Writes {@code samples} as the shard at {@code shard}, replacing any file there. */
  static void writeShard(Path shard, List<Sample> samples) {
    try {
      Files.deleteIfExists(shard);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (ShardWriter writer = new ShardWriter(shard)) {
      samples.forEach(writer::write);
      writer.finish();
    }
  }

  /** Every sample of {@code shard}, in order. */
  static List<Sample> readAll(Path shard) {
    List<Sample> read = new ArrayList<>();
    try (ShardReader reader = new ShardReader(shard)) {
      reader.forEachRemaining(read::add);
    }
    return read;
  }

  /** Adds one member to a hand-built archive, with Commons Compress's default header. */
  static void putMember(TarArchiveOutputStream tar, String name, byte[] content)
      throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setSize(content.length);
    tar.putArchiveEntry(entry);
    tar.write(content);
    tar.closeArchiveEntry();
  }

  static SourceLattices latticesOf(String source, List<Sample> samples) {
    SourceLattices lattices = new SourceLattices();
    samples.forEach(s -> lattices.add(source, s));
    return lattices;
  }
}
