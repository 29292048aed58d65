package org.sentryml.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.testkit.ModelFixtures;

/** Where signatures go, and that an existing one is never replaced without {@code --force}. */
class SignatureFileTest {
  @TempDir Path dir;
  private Path model;
  private Path keys;

  @BeforeEach
  void setUp() throws Exception {
    model = ModelFixtures.smallModel(dir);
    keys = dir.resolve("keys");
    assertEquals(0, CliRun.of("keygen", "--out", keys.toString()).exitCode());
  }

  private CliRun sign(Path target, String... options) {
    String[] args = new String[options.length + 6];
    args[0] = "sign";
    args[1] = target.toString();
    System.arraycopy(options, 0, args, 2, options.length);
    args[options.length + 2] = "--device=cpu";
    args[options.length + 3] = "private-key";
    args[options.length + 4] = "--private_key";
    args[options.length + 5] = keys.resolve("private.pem").toString();
    return CliRun.of(args);
  }

  private CliRun verify(Path target) {
    return CliRun.of(
        "verify",
        target.toString(),
        "--device",
        "cpu",
        "private-key",
        "--public_key",
        keys.resolve("public.pem").toString());
  }

  @Test
  void signingAgainWithoutForceKeepsTheExistingSignature() throws Exception {
    assertEquals(0, sign(model).exitCode());
    byte[] first = Files.readAllBytes(model.resolve("model.sig"));
    Files.writeString(model.resolve("tokenizer.txt"), "edited");
    CliRun again = sign(model);
    assertEquals(2, again.exitCode(), again.err());
    assertTrue(again.err().contains("already exists; pass --force"), again.err());
    assertArrayEquals(first, Files.readAllBytes(model.resolve("model.sig")));
  }

  @Test
  void forceReplacesTheSignature() throws Exception {
    assertEquals(0, sign(model).exitCode());
    Files.writeString(model.resolve("tokenizer.txt"), "edited");
    assertEquals(0, sign(model, "--force").exitCode());
    assertEquals(0, verify(model).exitCode());
  }

  @Test
  void eachFileOfAFolderGetsItsOwnSignatureBesideIt() throws Exception {
    CliRun first = sign(model.resolve("weights.bin"));
    assertEquals(0, first.exitCode(), first.err());
    CliRun second = sign(model.resolve("tokenizer.txt"));
    assertEquals(0, second.exitCode(), second.err());
    assertTrue(Files.isRegularFile(model.resolve("weights.bin.sig")));
    assertTrue(Files.isRegularFile(model.resolve("tokenizer.txt.sig")));
    assertTrue(
        Files.notExists(model.resolve("model.sig")), "the folder's signature name stays free");
    assertEquals(0, verify(model.resolve("weights.bin")).exitCode());
    assertEquals(0, verify(model.resolve("tokenizer.txt")).exitCode());
  }

  @Test
  void oldModelSigBesideASingleFileIsPointedOut() throws Exception {
    Path file = model.resolve("weights.bin");
    assertEquals(0, sign(file, "--signature", model.resolve("model.sig").toString()).exitCode());
    CliRun run = verify(file);
    assertEquals(6, run.exitCode(), run.err());
    assertTrue(run.err().contains("pass --signature " + model.resolve("model.sig")), run.err());
  }
}
