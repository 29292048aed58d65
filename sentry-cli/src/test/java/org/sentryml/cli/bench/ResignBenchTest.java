package org.sentryml.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.cli.SentryCli;

class ResignBenchTest {
  @TempDir Path dir;

  @Test
  void aRowListsEveryRunWithTheFastestTheMedianAndTheRatioToTheReference() {
    List<MeasuredRun> runs =
        List.of(
            new MeasuredRun(List.of("x"), 0.5, 0.6, 0.1, 1, ""),
            new MeasuredRun(List.of("x"), 0.3, 0.4, 0.05, 1, ""),
            new MeasuredRun(List.of("x"), 0.4, 0.5, 0.07, 1, ""),
            new MeasuredRun(List.of("x"), 0.6, 0.7, 0.2, 1, ""));
    assertEquals(
        "| re-sign | 0.50, 0.30, 0.40, 0.60 | 0.30 | 0.45 | 0.40 | 0.05 | 0.150 |",
        ResignBench.row("re-sign", runs, 2.0));
  }

  /** Whole processes of this JVM's class path: keygen, a full signing, two edits. */
  @Test
  @Tag("slow")
  void aSmallRunReusesTheLargeFilesDigestAndLeavesOnlyTheBenchFile() throws Exception {
    Path input = dir.resolve("input.bin");
    List<String> sentry =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            SentryCli.class.getName());
    StringWriter text = new StringWriter();
    new ResignBench(input, 3 << 20, 2, sentry, dir).run(new PrintWriter(text, true));
    List<String> rows =
        text.toString()
            .lines()
            .filter(line -> line.startsWith("| ") && !line.startsWith("| command"))
            .toList();
    assertEquals(3, rows.size(), text.toString());
    assertTrue(rows.get(0).startsWith("| sign (full, the reference) | "), rows.get(0));
    assertTrue(rows.get(0).endsWith(" | 1.000 |"), rows.get(0));
    assertTrue(rows.get(1).startsWith("| sign --reuse after a README edit | "), rows.get(1));
    assertTrue(rows.get(2).startsWith("| verify --only README.md | "), rows.get(2));
    try (Stream<Path> left = Files.list(dir)) {
      assertEquals(List.of(input), left.toList(), "the scratch model, keys and cache are gone");
    }
    assertEquals(3 << 20, Files.size(input));
  }
}
