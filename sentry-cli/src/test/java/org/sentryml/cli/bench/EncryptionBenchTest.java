package org.sentryml.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.core.errors.IoFailureException;

class EncryptionBenchTest {
  @TempDir Path dir;

  static boolean opensslOnPath() {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
        .anyMatch(folder -> Files.isExecutable(Path.of(folder, "openssl")));
  }

  @Test
  void opensslSpeedIsReadInBytesPerSecondForOneProcessAndForMany() {
    String one =
        """
        Doing AES-256-GCM for 3s on 16384 size blocks: 711433 AES-256-GCM's in 3.00s
        version: 3.0.19
        The 'numbers' are in 1000s of bytes per second processed.
        type          16384 bytes
        AES-256-GCM    3886152.85k
        """;
    assertEquals(3886152850.0, OpensslSpeed.parse(one), 1);
    String multi =
        """
        Got: +F:22:AES-256-GCM:8121352.19 from 0
        version: 3.0.19
        CPUINFO: OPENSSL_ia32cap=0xfffa3203078bffff:0x405fc6f1bf07ab
        evp          8121352.19k
        """;
    assertEquals(8121352190.0, OpensslSpeed.parse(multi), 1);
    assertThrows(IoFailureException.class, () -> OpensslSpeed.parse("openssl: unknown option"));
    assertEquals(
        List.of(
            "openssl",
            "speed",
            "-multi",
            "4",
            "-evp",
            "aes-256-gcm",
            "-bytes",
            "16384",
            "-seconds",
            "3"),
        OpensslSpeed.command(4, 3));
  }

  @Test
  void aRowGivesTheRatePerThreadAgainstOneCoreAndTheRateAgainstAllCores() {
    assertEquals(
        "| x | 2 | 6.00 | 4.00 | 0.75 | 7.50 | 0.80 |",
        EncryptionBench.format("x", 2, 6e9, new EncryptionBench.Ceiling(4e9, 7.5e9)));
  }

  @Test
  @EnabledIf("opensslOnPath")
  void aSmallRunPrintsEveryRowAndLeavesNoCiphertext() throws Exception {
    StringWriter text = new StringWriter();
    Path input = dir.resolve("input.bin");
    // Ciphertext into a folder of the test's own: /dev/shm is shared with every other process.
    Path scratch = Files.createDirectories(dir.resolve("scratch"));
    new EncryptionBench(input, 6 << 20, 1, scratch).run(new PrintWriter(text, true));
    List<String> rows =
        text.toString()
            .lines()
            .filter(line -> line.startsWith("| ") && !line.startsWith("| run"))
            .toList();
    assertEquals(8, rows.size(), text.toString());
    assertTrue(
        rows.get(0).startsWith("| sentry encrypt, the first 6 MiB in a fresh JVM"), rows.get(0));
    try (Stream<Path> left = Files.list(dir)) {
      assertEquals(List.of(input, scratch), left.sorted().toList());
    }
    try (Stream<Path> left = Files.list(scratch)) {
      assertEquals(List.of(), left.toList(), "no ciphertext left");
    }
  }
}
