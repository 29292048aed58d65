package org.sentryml.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sentryml.testkit.ModelFixtures;

/**
 * {@code sentry decrypt} of a changed encrypted folder exits 1 naming the file, and leaves no
 * output and no staging folder behind.
 */
class EncryptedTamperCliTest {
  private static final int SEGMENT = 1 << 20;
  @TempDir Path dir;
  private Path store;
  private Path enc;
  private Path big;

  @BeforeEach
  void encryptTwoVersions() throws Exception {
    store = dir.resolve("store");
    assertEquals(0, CliRun.of("keys", "init", "--store", store.toString()).exitCode());
    Path model = ModelFixtures.smallModel(dir);
    byte[] weights = new byte[3 * SEGMENT];
    new SplittableRandom(2).nextBytes(weights);
    Files.write(model.resolve("big.bin"), weights);
    Files.writeString(model.resolve("twin-a.txt"), "aaaa");
    Files.writeString(model.resolve("twin-b.txt"), "bbbb");
    enc = dir.resolve("enc");
    for (String version : new String[] {"1", "2"}) {
      CliRun run =
          CliRun.of(
              "encrypt",
              model.toString(),
              "--out",
              dir.resolve("enc" + version).toString(),
              "--id",
              "m@" + version,
              "--store",
              store.toString());
      assertEquals(0, run.exitCode(), run.err());
    }
    Files.move(dir.resolve("enc1"), enc);
    big = enc.resolve("big.bin");
  }

  private void assertRefused(Path named) throws Exception {
    Path out = dir.resolve("dec");
    CliRun run =
        CliRun.of("decrypt", enc.toString(), "--out", out.toString(), "--store", store.toString());
    assertEquals(1, run.exitCode(), run.err());
    assertTrue(run.err().contains(named.toString()), run.err());
    assertEquals(1, run.err().lines().count(), run.err());
    assertFalse(Files.exists(out));
    try (Stream<Path> siblings = Files.list(dir)) {
      assertTrue(
          siblings.noneMatch(p -> p.getFileName().toString().startsWith(".dec.")),
          "no staging folder left");
    }
  }

  private static void flip(Path file, long offset) throws Exception {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(offset);
      int b = raf.read();
      raf.seek(offset);
      raf.write(b ^ 0x10);
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 20, 4000, SEGMENT + 7, 2L * SEGMENT + 999, 3L * SEGMENT + 20})
  void aFlippedByteInAnySegment(long offset) throws Exception {
    flip(big, offset);
    assertRefused(big);
  }

  @ParameterizedTest
  @ValueSource(longs = {SEGMENT, 2L * SEGMENT, SEGMENT + 1000, 7})
  void truncationAtAndInsideASegment(long size) throws Exception {
    try (RandomAccessFile raf = new RandomAccessFile(big.toFile(), "rw")) {
      raf.setLength(size);
    }
    assertRefused(big);
  }

  @Test
  void appendedBytes() throws Exception {
    Files.write(big, new byte[16], StandardOpenOption.APPEND);
    assertRefused(big);
  }

  @Test
  void twoFilesSwapped() throws Exception {
    Path a = enc.resolve("twin-a.txt");
    Path b = enc.resolve("twin-b.txt");
    Files.move(a, dir.resolve("swap"));
    Files.move(b, a);
    Files.move(dir.resolve("swap"), b);
    assertRefused(a);
  }

  @Test
  void aFileFromAnotherVersion() throws Exception {
    Files.copy(
        dir.resolve("enc2/twin-a.txt"),
        enc.resolve("twin-a.txt"),
        StandardCopyOption.REPLACE_EXISTING);
    assertRefused(enc.resolve("twin-a.txt"));
  }

  @Test
  void anEditedHeader() throws Exception {
    Path header = enc.resolve("sentry-encryption.json");
    Files.writeString(header, Files.readString(header).replace("\"size\": 4", "\"size\": 3"));
    assertRefused(header);
  }

  @Test
  void aKeyIdChangedWithTheVersion() throws Exception {
    Path header = enc.resolve("sentry-encryption.json");
    Files.writeString(
        header,
        Files.readString(header)
            .replace("sentry:model/m@1", "sentry:model/m@2")
            .replace("\"version\": \"1\"", "\"version\": \"2\""));
    assertRefused(header);
  }
}
