package org.sentryml.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HashCommandTest {
  @TempDir Path dir;

  private Path model() throws Exception {
    Path model = dir.resolve("model");
    Files.createDirectories(model.resolve("sub"));
    Files.writeString(model.resolve("a.txt"), "alpha");
    Files.writeString(model.resolve("sub/b.txt"), "beta");
    return model;
  }

  @Test
  void jsonOutputIsOneObjectWithResourcesAndRoot() throws Exception {
    CliRun run = CliRun.of("hash", model().toString(), "--json", "--device", "cpu");
    assertEquals(0, run.exitCode(), run.err());
    JsonObject json = JsonParser.parseString(run.out()).getAsJsonObject();
    assertEquals("sha256-merkle-65536", json.get("algorithm").getAsString());
    assertEquals(2, json.getAsJsonArray("resources").size());
    JsonObject first = json.getAsJsonArray("resources").get(0).getAsJsonObject();
    assertEquals("a.txt", first.get("name").getAsString());
    assertEquals("sha256-merkle-65536", first.get("algorithm").getAsString());
    assertEquals(
        "sub/b.txt",
        json.getAsJsonArray("resources").get(1).getAsJsonObject().get("name").getAsString());
    assertEquals(64, json.get("root").getAsString().length());
    assertEquals(1, run.out().strip().lines().count(), "exactly one JSON line");
  }

  @Test
  void flatSha256OfASingleFileEqualsPlainSha256() throws Exception {
    Path file = dir.resolve("weights.bin");
    Files.writeString(file, "This is a simple model");
    CliRun run =
        CliRun.of("hash", file.toString(), "--topology", "flat", "--json", "--device", "cpu");
    assertEquals(0, run.exitCode(), run.err());
    JsonObject resource =
        JsonParser.parseString(run.out())
            .getAsJsonObject()
            .getAsJsonArray("resources")
            .get(0)
            .getAsJsonObject();
    assertEquals(".", resource.get("name").getAsString());
    byte[] expected =
        MessageDigest.getInstance("SHA-256")
            .digest("This is a simple model".getBytes(StandardCharsets.UTF_8));
    assertEquals(HexFormat.of().formatHex(expected), resource.get("digest").getAsString());
    assertEquals("sha256", resource.get("algorithm").getAsString());
  }

  @Test
  void autoDeviceExplainsItsChoice() throws Exception {
    CliRun run = CliRun.of("hash", model().toString());
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.err().contains("device auto: chose cpu"), run.err());
    assertTrue(run.out().contains("root: "), run.out());
  }

  @Test
  void missingPathExitsSixWithOneLine() {
    CliRun run = CliRun.of("hash", dir.resolve("absent").toString());
    assertEquals(6, run.exitCode());
    assertOneLineNaming(run, "absent");
  }

  @Test
  void fifoExitsEight() throws Exception {
    Path fifo = dir.resolve("fifo");
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
    CliRun run = CliRun.of("hash", fifo.toString(), "--device", "cpu");
    assertEquals(8, run.exitCode());
    assertOneLineNaming(run, "fifo");
  }

  @Test
  void symlinkLoopExitsNine() throws Exception {
    Path loop = dir.resolve("loop");
    Files.createSymbolicLink(loop, loop);
    CliRun run = CliRun.of("hash", loop.toString(), "--allow_symlinks", "--device", "cpu");
    assertEquals(9, run.exitCode());
    assertOneLineNaming(run, "loop");
  }

  @Test
  void invalidLeafSizeIsAUsageError() throws Exception {
    CliRun run = CliRun.of("hash", model().toString(), "--leaf-size", "5000");
    assertEquals(2, run.exitCode());
    assertOneLineNaming(run, "leaf size 5000");
  }

  @Test
  void unknownAlgorithmIsAUsageErrorListingTheChoices() throws Exception {
    CliRun run = CliRun.of("hash", model().toString(), "--algorithm", "md5");
    assertEquals(2, run.exitCode());
    assertOneLineNaming(run, "sha3-256");
  }

  @Test
  void gpuWithoutAUsableGpuExitsFive() throws Exception {
    CliRun run = CliRun.of("hash", model().toString(), "--device", "gpu");
    assertEquals(5, run.exitCode());
    assertOneLineNaming(run, "GPU");
  }

  @Test
  void emptyFolderIsRefused() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    CliRun run = CliRun.of("hash", empty.toString(), "--device", "cpu");
    assertEquals(3, run.exitCode());
    assertOneLineNaming(run, "no files");
  }

  private static void assertOneLineNaming(CliRun run, String fragment) {
    assertEquals(1, run.err().strip().lines().count(), run.err());
    assertTrue(run.err().contains(fragment), run.err());
    assertFalse(run.err().contains("\tat "), "no stack trace: " + run.err());
  }
}
