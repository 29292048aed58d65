package org.sentryml.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.testkit.RepositoryFiles;
import picocli.CommandLine;

/**
 * The build step that upgrades the launchers' picocli jar from Java 5 class files
 * (tools/build/UpgradeClassFiles.java), run on a copy of the picocli jar the tests use.
 */
@Tag("slow")
class UpgradedPicocliTest {
  @TempDir Path work;

  @Test
  void upgradedPicocliLoadsUnderTheSplitVerifierAndGoesIntoTheArchive() throws Exception {
    assumeTrue(
        Runtime.version().feature() >= 24,
        "the upgrade needs JDK 24+ (java.lang.classfile); this JVM is " + Runtime.version());
    Path original =
        Path.of(CommandLine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path jar = work.resolve("picocli.jar");
    Files.copy(original, jar);
    Map<String, byte[]> before = entries(jar);
    assertTrue(majorVersion(before.get("picocli/CommandLine.class")) < 50, "picocli ships Java 5");

    assertEquals(0, run(upgrade(jar)).exitCode(), "first upgrade");
    Map<String, byte[]> after = entries(jar);
    assertEquals(List.copyOf(before.keySet()), List.copyOf(after.keySet()), "same entries, order");
    for (Map.Entry<String, byte[]> entry : after.entrySet()) {
      String name = entry.getKey();
      if (name.endsWith(".class")) {
        assertTrue(majorVersion(entry.getValue()) >= 50, name);
      } else {
        assertArrayEquals(before.get(name), entry.getValue(), name);
      }
    }
    byte[] upgraded = Files.readAllBytes(jar);
    assertEquals(0, run(upgrade(jar)).exitCode(), "second upgrade");
    assertArrayEquals(upgraded, Files.readAllBytes(jar), "a second run changes nothing");

    // picocli's own AutoComplete command runs picocli's parser and help from the upgraded jar;
    // recording an archive at its exit names every class the archive had to leave out.
    Run autoComplete =
        run(
            List.of(
                java(),
                "-XX:ArchiveClassesAtExit=" + work.resolve("picocli.jsa"),
                "-Xlog:cds=warning",
                "-cp",
                jar.toString(),
                "picocli.AutoComplete",
                "--help"));
    assertEquals(0, autoComplete.exitCode(), autoComplete.output());
    assertTrue(autoComplete.output().contains("Usage:"), autoComplete.output());
    assertFalse(autoComplete.output().contains("Old class"), autoComplete.output());
    assertTrue(Files.size(work.resolve("picocli.jsa")) > 0);
  }

  private static List<String> upgrade(Path jar) {
    Path tool = RepositoryFiles.locate("tools/build/UpgradeClassFiles.java");
    return List.of(java(), tool.toString(), jar.toString());
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private record Run(int exitCode, String output) {}

  private static Run run(List<String> command) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
    byte[] output;
    try (InputStream in = process.getInputStream()) {
      output = in.readAllBytes();
    }
    assertTrue(process.waitFor(2, TimeUnit.MINUTES), "finished: " + command);
    return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
  }

  private static Map<String, byte[]> entries(Path jar) throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(jar))) {
      for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
        entries.put(entry.getName(), zip.readAllBytes());
      }
    }
    return entries;
  }

  private static int majorVersion(byte[] classFile) {
    return ((classFile[6] & 0xff) << 8) | (classFile[7] & 0xff);
  }
}
