package org.sentryml.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.testkit.ModelFixtures;

/** verify --only and --range, sign --leaves, --reuse and --changed, end to end through the CLI. */
class LargeModelOptionsCliTest {
  @TempDir Path dir;
  private Path model;
  private Path keys;
  private String cacheBefore;

  @BeforeEach
  void setUp() {
    model = ModelFixtures.smallModel(dir);
    keys = dir.resolve("keys");
    assertEquals(0, CliRun.of("keygen", "--out", keys.toString()).exitCode());
    cacheBefore = System.getProperty("sentry.stat.cache");
    System.setProperty("sentry.stat.cache", dir.resolve("stat").toString());
  }

  @AfterEach
  void restore() {
    if (cacheBefore == null) {
      System.clearProperty("sentry.stat.cache");
    } else {
      System.setProperty("sentry.stat.cache", cacheBefore);
    }
  }

  private CliRun sign(String... options) {
    List<String> args = new ArrayList<>(List.of("sign", model.toString(), "--device=cpu"));
    args.addAll(List.of(options));
    args.addAll(List.of("private-key", "--private_key", keys.resolve("private.pem").toString()));
    return CliRun.of(args.toArray(String[]::new));
  }

  private CliRun verify(String... options) {
    List<String> args = new ArrayList<>(List.of("verify", model.toString(), "--device=cpu"));
    args.addAll(List.of(options));
    args.addAll(List.of("private-key", "--public_key", keys.resolve("public.pem").toString()));
    return CliRun.of(args.toArray(String[]::new));
  }

  @Test
  void onlyReportsWhatWasCheckedAndThatTheRestWasNot() throws Exception {
    assertEquals(0, sign().exitCode());
    Files.writeString(model.resolve("tokenizer.txt"), "tampered");
    CliRun only = verify("--only", "sub/config.json", "--only", "weights.bin");
    assertEquals(0, only.exitCode(), only.err());
    assertTrue(only.out().contains("checked: sub/config.json"), only.out());
    assertTrue(only.out().contains("the other 1 signed resources were not checked"), only.out());
    assertEquals(1, verify("--only", "tokenizer.txt").exitCode());
    assertEquals(1, verify().exitCode());
  }

  @Test
  void rangesVerifyThroughTheSidecarAndTheSidecarIsNotPartOfTheModel() throws Exception {
    CliRun signed = sign("--leaves");
    assertEquals(0, signed.exitCode(), signed.err());
    assertTrue(Files.exists(model.resolve("model.sig.leaves")));
    assertEquals(0, verify().exitCode(), "the sidecar is left out of a full verification");
    CliRun range = verify("--range", "weights.bin:100:5000");
    assertEquals(0, range.exitCode(), range.err());
    assertTrue(range.out().contains("verified bytes [100, 5000) of weights.bin"), range.out());
    assertEquals(2, verify("--range", "weights.bin:5000").exitCode());
    byte[] weights = Files.readAllBytes(model.resolve("weights.bin"));
    weights[4000] ^= 1;
    Files.write(model.resolve("weights.bin"), weights);
    assertEquals(1, verify("--range", "weights.bin:100:5000").exitCode());
  }

  @Test
  void reuseReHashesTheChangedFileAndVerificationStillChecksEverything() throws Exception {
    assertEquals(0, sign().exitCode());
    Files.writeString(model.resolve("tokenizer.txt"), "edited");
    Path signature = model.resolve("model.sig");
    CliRun again = sign("--reuse", signature.toString(), "--changed", "tokenizer.txt");
    assertEquals(0, again.exitCode(), again.err());
    assertTrue(again.out().contains("re-hashed 1 resources, reused 2"), again.out());
    assertEquals(0, verify().exitCode());
    assertEquals(2, sign("--changed", "tokenizer.txt").exitCode(), "--changed needs --reuse");
  }
}
