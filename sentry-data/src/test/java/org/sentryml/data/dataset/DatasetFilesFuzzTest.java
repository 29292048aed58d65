package org.sentryml.data.dataset;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.sentryml.core.errors.SentryException;

/**
 * Any bytes as a dataset's tar shard, {@code index.json} or {@code manifest.json}: each reader
 * returns what it read or refuses with a {@link SentryException}; nothing else may escape.
 */
class DatasetFilesFuzzTest {
  private static final Path DIR = tempDir();

  private static Path tempDir() {
    try {
      Path dir = Files.createTempDirectory("sentry-fuzz-");
      dir.toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path write(String name, byte[] input) throws IOException {
    Path file = DIR.resolve(name);
    Files.write(file, input);
    file.toFile().deleteOnExit();
    return file;
  }

  @FuzzTest
  void shardIsReadToItsEndOrRefused(byte[] input) throws IOException {
    Path shard = write("source-00.tar", input);
    try (ShardReader reader = new ShardReader(shard)) {
      while (reader.hasNext()) {
        Sample sample = reader.next();
        if (sample.key().isEmpty()) {
          throw new AssertionError("read a sample without a key");
        }
      }
    } catch (SentryException expected) {
      // refused, naming the shard and member
    }
  }

  @FuzzTest
  void indexIsReadOrRefused(byte[] input) throws IOException {
    write(DatasetIndex.FILE, input);
    try {
      DatasetIndex.read(DIR);
    } catch (SentryException expected) {
      // refused, naming the field
    }
  }

  @FuzzTest
  void manifestIsReadOrRefused(byte[] input) throws IOException {
    write(DatasetManifest.FILE, input);
    try {
      DatasetManifest.read(DIR);
    } catch (SentryException expected) {
      // refused, naming the field
    }
  }
}
