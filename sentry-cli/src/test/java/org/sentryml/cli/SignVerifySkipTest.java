package org.sentryml.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Sign and verify with the unsigned ({@code skip}) method: digests only, every serialization. */
class SignVerifySkipTest {
  @TempDir Path dir;

  private Path model() throws Exception {
    Path model = dir.resolve("model");
    Files.createDirectories(model.resolve("sub"));
    Files.writeString(model.resolve("weights.bin"), "0123456789".repeat(1000));
    Files.writeString(model.resolve("sub/config.json"), "{}");
    return model;
  }

  @ParameterizedTest
  @ValueSource(strings = {"files", "shards", "merkle", "lattice"})
  void everyMethodRoundTrips(String method) throws Exception {
    Path model = model();
    CliRun sign =
        CliRun.of(
            "sign",
            model.toString(),
            "--method",
            method,
            "--shard_size",
            "4096",
            "--device",
            "cpu",
            "skip");
    assertEquals(0, sign.exitCode(), sign.err());
    assertTrue(Files.exists(model.resolve("model.sig")));
    CliRun verify = CliRun.of("verify", model.toString(), "--device", "cpu", "skip");
    assertEquals(0, verify.exitCode(), verify.err());
    assertTrue(verify.out().contains("digests only"), verify.out());
  }

  @Test
  void tamperedAddedAndRemovedFilesAreAllReported() throws Exception {
    Path model = model();
    assertEquals(0, CliRun.of("sign", model.toString(), "--device", "cpu", "skip").exitCode());
    Files.writeString(model.resolve("weights.bin"), "tampered");
    Files.delete(model.resolve("sub/config.json"));
    Files.writeString(model.resolve("extra.txt"), "new");
    CliRun verify = CliRun.of("verify", model.toString(), "--device", "cpu", "skip");
    assertEquals(1, verify.exitCode());
    List<String> lines = verify.err().lines().toList();
    assertTrue(
        lines.contains("missing: sub/config.json (signed, but not in the model)"), verify.err());
    assertTrue(lines.contains("extra: extra.txt (in the model, but not signed)"), verify.err());
    assertTrue(
        lines.stream()
            .anyMatch(l -> l.startsWith("changed: weights.bin expected sha256-merkle-65536:")),
        verify.err());
  }

  @Test
  void ignoredPathsAtVerifyTimeAreLeftOut() throws Exception {
    Path model = model();
    assertEquals(0, CliRun.of("sign", model.toString(), "--device", "cpu", "skip").exitCode());
    Files.writeString(model.resolve("notes.txt"), "added after signing");
    assertEquals(1, CliRun.of("verify", model.toString(), "--device", "cpu", "skip").exitCode());
    assertEquals(
        0,
        CliRun.of(
                "verify",
                model.toString(),
                "--ignore_paths",
                "notes.txt",
                "--device",
                "cpu",
                "skip")
            .exitCode());
  }

  @Test
  void unknownMethodIsAUsageError() throws Exception {
    CliRun run = CliRun.of("sign", model().toString(), "--method", "bogus", "skip");
    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains("bogus"), run.err());
  }

  @Test
  void missingSignatureFileExitsSix() throws Exception {
    CliRun run = CliRun.of("verify", model().toString(), "--device", "cpu", "skip");
    assertEquals(6, run.exitCode());
    assertTrue(run.err().contains("model.sig"), run.err());
  }

  @Test
  void symlinkPolicyRecordedAtSigningAppliesAtVerification() throws Exception {
    Path model = model();
    Files.createSymbolicLink(model.resolve("alias.bin"), model.resolve("weights.bin"));
    assertEquals(9, CliRun.of("sign", model.toString(), "--device", "cpu", "skip").exitCode());
    assertEquals(
        0,
        CliRun.of("sign", model.toString(), "--allow_symlinks", "--device", "cpu", "skip")
            .exitCode());
    CliRun verify = CliRun.of("verify", model.toString(), "--device", "cpu", "skip");
    assertEquals(0, verify.exitCode(), verify.err());
  }

  @Test
  void linkAddedAfterSigningIsRefusedUnlessAllowedThenReportedExtra() throws Exception {
    Path model = model();
    assertEquals(0, CliRun.of("sign", model.toString(), "--device", "cpu", "skip").exitCode());
    Files.createSymbolicLink(model.resolve("alias.bin"), model.resolve("weights.bin"));
    assertEquals(9, CliRun.of("verify", model.toString(), "--device", "cpu", "skip").exitCode());
    CliRun allowed =
        CliRun.of("verify", model.toString(), "--allow_symlinks", "--device", "cpu", "skip");
    assertEquals(1, allowed.exitCode(), allowed.err());
    assertTrue(allowed.err().contains("extra: alias.bin"), allowed.err());
  }
}
