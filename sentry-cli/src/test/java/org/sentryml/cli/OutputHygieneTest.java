package org.sentryml.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.testkit.ModelFixtures;

/**
 * What the commands print: names escaped so they cannot forge lines or drive the terminal, one JSON
 * object on every exit path under {@code --json}, errors named after the program, stack traces only
 * with {@code --debug}, and no note of the engine under {@code -q}.
 */
class OutputHygieneTest {
  @TempDir Path dir;
  private Path model;
  private Path keys;

  @BeforeEach
  void setUp() throws Exception {
    model = ModelFixtures.smallModel(dir);
    keys = dir.resolve("keys");
    assertEquals(0, CliRun.of("keygen", "--out", keys.toString()).exitCode());
  }

  private CliRun signThenVerify(String... verifyOptions) {
    CliRun sign =
        CliRun.of(
            "sign",
            model.toString(),
            "--device",
            "cpu",
            "private-key",
            "--private_key",
            keys.resolve("private.pem").toString());
    assertEquals(0, sign.exitCode(), sign.err());
    String[] args = new String[verifyOptions.length + 4];
    args[0] = "verify";
    args[1] = model.toString();
    System.arraycopy(verifyOptions, 0, args, 2, verifyOptions.length);
    args[args.length - 2] = "--device=cpu";
    args[args.length - 1] = "private-key";
    String[] full = java.util.Arrays.copyOf(args, args.length + 2);
    full[full.length - 2] = "--public_key";
    full[full.length - 1] = keys.resolve("public.pem").toString();
    return CliRun.of(full);
  }

  @Test
  void fileNameWithANewlineCannotForgeAVerifiedLine() throws Exception {
    Files.writeString(model.resolve("evil\nverified trusted-model: 9 resources match"), "x");
    CliRun hash = CliRun.of("hash", model.toString(), "--device", "cpu");
    assertEquals(0, hash.exitCode(), hash.err());
    assertTrue(hash.out().contains("evil\\nverified"), hash.out());
    assertFalse(hash.out().lines().anyMatch(line -> line.startsWith("verified")), hash.out());

    CliRun sign =
        CliRun.of(
            "sign",
            model.toString(),
            "--device",
            "cpu",
            "private-key",
            "--private_key",
            keys.resolve("private.pem").toString());
    assertEquals(0, sign.exitCode(), sign.err());
    Files.writeString(model.resolve("evil\nverified trusted-model: 9 resources match"), "changed");
    CliRun verify =
        CliRun.of(
            "verify",
            model.toString(),
            "--device",
            "cpu",
            "private-key",
            "--public_key",
            keys.resolve("public.pem").toString());
    assertEquals(1, verify.exitCode());
    assertFalse(
        (verify.out() + verify.err()).lines().anyMatch(line -> line.startsWith("verified")),
        verify.err());
  }

  @Test
  void escapeSequencesInNamesDoNotReachTheTerminal() throws Exception {
    Files.writeString(model.resolve("\u001b[2Jclear\u009b"), "x");
    CliRun hash = CliRun.of("hash", model.toString(), "--device", "cpu");
    assertFalse(hash.out().contains("\u001b") || hash.out().contains("\u009b"), hash.out());
    assertTrue(hash.out().contains("\\x1b[2Jclear\\u009b"), hash.out());
  }

  private static JsonObject onlyJson(CliRun run) {
    assertEquals(1, run.out().strip().lines().count(), run.out());
    return JsonParser.parseString(run.out()).getAsJsonObject();
  }

  @Test
  void verifyJsonReportsABadSignature() throws Exception {
    Path other = dir.resolve("other");
    assertEquals(0, CliRun.of("keygen", "--out", other.toString()).exitCode());
    CliRun sign =
        CliRun.of(
            "sign",
            model.toString(),
            "--device",
            "cpu",
            "private-key",
            "--private_key",
            other.resolve("private.pem").toString());
    assertEquals(0, sign.exitCode());
    CliRun run =
        CliRun.of(
            "verify",
            model.toString(),
            "--json",
            "--device",
            "cpu",
            "private-key",
            "--public_key",
            keys.resolve("public.pem").toString());
    assertEquals(1, run.exitCode());
    JsonObject json = onlyJson(run);
    assertFalse(json.get("ok").getAsBoolean());
    assertEquals(1, json.get("exit_code").getAsInt());
    assertTrue(json.get("error").getAsString().contains("signed by another key"), run.out());
  }

  @Test
  void verifyJsonReportsAMalformedStatementAndARefusedSymlink() throws Exception {
    Files.writeString(model.resolve("model.sig"), "{\"_type\":1}");
    CliRun malformed = CliRun.of("verify", model.toString(), "--json", "--device", "cpu", "skip");
    assertEquals(3, malformed.exitCode(), malformed.err());
    assertEquals(3, onlyJson(malformed).get("exit_code").getAsInt());

    Files.delete(model.resolve("model.sig"));
    CliRun sign =
        CliRun.of(
            "sign",
            model.toString(),
            "--device",
            "cpu",
            "private-key",
            "--private_key",
            keys.resolve("private.pem").toString());
    assertEquals(0, sign.exitCode());
    Files.createSymbolicLink(model.resolve("link"), model.resolve("tokenizer.txt"));
    CliRun link =
        CliRun.of(
            "verify",
            model.toString(),
            "--json",
            "--device",
            "cpu",
            "private-key",
            "--public_key",
            keys.resolve("public.pem").toString());
    assertEquals(9, link.exitCode(), link.err());
    assertEquals(9, onlyJson(link).get("exit_code").getAsInt());
  }

  @Test
  void usageErrorUnderJsonIsJsonToo() {
    CliRun run = CliRun.of("hash", model.toString(), "--json", "--no-such-option");
    assertEquals(2, run.exitCode());
    assertEquals(2, onlyJson(run).get("exit_code").getAsInt());
  }

  @Test
  void errorsAreNamedAfterTheProgramNotTheMethod() {
    CliRun run =
        CliRun.of(
            "verify",
            model.toString(),
            "--device",
            "cpu",
            "private-key",
            "--public_key",
            dir.resolve("missing.pem").toString());
    assertEquals(6, run.exitCode());
    assertTrue(run.err().startsWith("sentry verify: "), run.err());
  }

  @Test
  void debugAddsTheStackTraceAndOnlyDebug() {
    String missing = dir.resolve("missing.pem").toString();
    CliRun plain =
        CliRun.of(
            "verify", model.toString(), "--device", "cpu", "private-key", "--public_key", missing);
    assertFalse(plain.err().contains("\tat "), plain.err());
    CliRun debug =
        CliRun.of(
            "verify",
            model.toString(),
            "--debug",
            "--device",
            "cpu",
            "private-key",
            "--public_key",
            missing);
    assertTrue(debug.err().contains("\tat org.sentryml."), debug.err());
  }

  @Test
  void quietSilencesTheNoteOfTheChosenEngine() {
    CliRun loud = CliRun.of("hash", model.toString());
    assertTrue(loud.err().contains("device auto: chose"), loud.err());
    CliRun quiet = CliRun.of("hash", model.toString(), "-q");
    assertEquals(0, quiet.exitCode());
    assertEquals("", quiet.err());
  }

  @Test
  void successfulVerifyJsonCarriesTheExitCode() {
    CliRun run = signThenVerify("--json");
    assertEquals(0, run.exitCode(), run.err());
    assertEquals(0, onlyJson(run).get("exit_code").getAsInt());
  }
}
