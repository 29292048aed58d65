package org.sentryml.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sentryml.core.engine.Engines;
import org.sentryml.testkit.ModelFixtures;

/**
 * Files and numbers the user names are bounded before they are used: devices and FIFOs are refused
 * with exit 8 (never read, never waited on), oversized key, password and signature files with exit
 * 3, and thread counts and bench sizes out of range with exit 2.
 */
class BoundedInputsTest {
  @TempDir Path dir;
  private Path model;
  private Path keys;

  @BeforeEach
  void setUp() throws Exception {
    model = ModelFixtures.smallModel(dir);
    keys = dir.resolve("keys");
    assertEquals(0, CliRun.of("keygen", "--out", keys.toString()).exitCode());
  }

  private Path fifo() throws Exception {
    Path fifo = dir.resolve("fifo");
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
    return fifo;
  }

  private static Path sparse(Path file, long size) throws Exception {
    try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
      out.setLength(size);
    }
    return file;
  }

  @Test
  void deviceAsAKeyIsNotARegularFile() {
    CliRun run =
        CliRun.of(
            "sign",
            model.toString(),
            "--device",
            "cpu",
            "private-key",
            "--private_key",
            "/dev/zero");
    assertEquals(8, run.exitCode(), run.err());
    assertTrue(run.err().contains("/dev/zero is not a regular file"), run.err());
  }

  @Test
  void fifoAsAPublicKeyOrSignatureIsRefusedWithoutWaiting() throws Exception {
    Path fifo = fifo();
    assertTimeoutPreemptively(
        Duration.ofSeconds(20),
        () -> {
          assertEquals(
              8,
              CliRun.of(
                      "verify",
                      model.toString(),
                      "--device",
                      "cpu",
                      "private-key",
                      "--public_key",
                      fifo.toString())
                  .exitCode());
          assertEquals(
              8,
              CliRun.of(
                      "verify",
                      model.toString(),
                      "--signature",
                      fifo.toString(),
                      "--device",
                      "cpu",
                      "private-key",
                      "--public_key",
                      keys.resolve("public.pem").toString())
                  .exitCode());
          assertEquals(
              8,
              CliRun.of(
                      "sign",
                      model.toString(),
                      "--device",
                      "cpu",
                      "private-key",
                      "--private_key",
                      keys.resolve("private.pem").toString(),
                      "--password_file",
                      fifo.toString())
                  .exitCode());
        });
  }

  @Test
  void oversizedKeyFileIsBadInputBeforeItIsRead() throws Exception {
    Path big = sparse(dir.resolve("big.pem"), 2L << 30);
    CliRun run =
        CliRun.of(
            "sign",
            model.toString(),
            "--device",
            "cpu",
            "private-key",
            "--private_key",
            big.toString());
    assertEquals(3, run.exitCode(), run.err());
    assertTrue(run.err().contains("may be at most 1048576 bytes"), run.err());
  }

  @Test
  void oversizedSignatureFileIsBadInputBeforeItIsRead() throws Exception {
    sparse(model.resolve("model.sig"), 3L << 30);
    CliRun run =
        CliRun.of(
            "verify",
            model.toString(),
            "--device",
            "cpu",
            "private-key",
            "--public_key",
            keys.resolve("public.pem").toString());
    assertEquals(3, run.exitCode(), run.err());
    assertTrue(run.err().contains("may be at most 67108864 bytes"), run.err());
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "100000"})
  void threadCountOutOfRangeIsAUsageError(String threads) {
    CliRun run = CliRun.of("hash", model.toString(), "--threads", threads);
    assertEquals(2, run.exitCode(), run.err());
    assertTrue(
        run.err().contains("--threads must be from 0 (one per core) to " + Engines.maxThreads()),
        run.err());
  }

  @Test
  void threadCountAtTheLimitIsAccepted() {
    CliRun run =
        CliRun.of(
            "hash",
            model.toString(),
            "--device",
            "cpu",
            "--threads",
            Integer.toString(Engines.maxThreads()));
    assertEquals(0, run.exitCode(), run.err());
  }

  @Test
  void benchRefusesANegativeSizeAndAnUnknownRun() throws Exception {
    assertEquals(
        2,
        CliRun.of("bench", "--size", "-5", "--file", dir.resolve("b.bin").toString()).exitCode());
    CliRun unknown =
        CliRun.of(
            "bench",
            "--only",
            "md5-merkle",
            "--size",
            "4096",
            "--file",
            dir.resolve("b.bin").toString());
    assertEquals(2, unknown.exitCode(), unknown.err());
    assertTrue(unknown.err().contains("md5-merkle names no benchmark run"), unknown.err());
    assertTrue(Files.notExists(dir.resolve("b.bin")), "nothing written for a refused bench");
  }
}
