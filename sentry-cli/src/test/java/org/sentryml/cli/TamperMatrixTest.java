package org.sentryml.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sentryml.core.signing.PemFiles;
import org.sentryml.core.signing.PrivateKeySigner;
import org.sentryml.testkit.ModelFixtures;

/**
 * Every way of tampering with a signed model or its bundle fails with the right exit code and names
 * what differs: 1 for integrity, 3 for a malformed or forged manifest.
 */
class TamperMatrixTest {
  @TempDir Path dir;
  private Path model;
  private Path keys;

  @BeforeEach
  void signModel() throws Exception {
    model = ModelFixtures.smallModel(dir);
    keys = dir.resolve("keys");
    assertEquals(0, CliRun.of("keygen", "--out", keys.toString()).exitCode());
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
  }

  private CliRun verify() {
    return verify(keys.resolve("public.pem"));
  }

  private CliRun verify(Path publicKey) {
    return CliRun.of(
        "verify",
        model.toString(),
        "--device",
        "cpu",
        "private-key",
        "--public_key",
        publicKey.toString());
  }

  private void assertFails(int code, String named) {
    CliRun run = verify();
    assertEquals(code, run.exitCode(), run.err());
    assertTrue(run.err().contains(named), "expected '" + named + "' in: " + run.err());
  }

  @Test
  void untouchedModelVerifies() {
    CliRun run = verify();
    assertEquals(0, run.exitCode(), run.err());
  }

  @ParameterizedTest
  @ValueSource(strings = {"weights.bin", "sub/config.json", "tokenizer.txt"})
  void flippingOneByteOfAnyFileFails(String name) throws Exception {
    Path file = model.resolve(name);
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(file, bytes);
    assertFails(1, "changed: " + name);
  }

  @Test
  void truncatedFileFails() throws Exception {
    Path file = model.resolve("weights.bin");
    Files.write(file, java.util.Arrays.copyOf(Files.readAllBytes(file), 100));
    assertFails(1, "changed: weights.bin");
  }

  @Test
  void appendedFileFails() throws Exception {
    Files.writeString(model.resolve("weights.bin"), "x", java.nio.file.StandardOpenOption.APPEND);
    assertFails(1, "changed: weights.bin");
  }

  @Test
  void renamedFileFails() throws Exception {
    Files.move(model.resolve("tokenizer.txt"), model.resolve("tokenizer2.txt"));
    CliRun run = verify();
    assertEquals(1, run.exitCode());
    assertTrue(
        run.err().contains("missing: tokenizer.txt") && run.err().contains("extra: tokenizer2.txt"),
        run.err());
  }

  @Test
  void addedFileFails() throws Exception {
    Files.writeString(model.resolve("backdoor.py"), "import os");
    assertFails(1, "extra: backdoor.py");
  }

  @Test
  void removedFileFails() throws Exception {
    Files.delete(model.resolve("sub/config.json"));
    assertFails(1, "missing: sub/config.json");
  }

  @Test
  void fileReplacedBySymlinkIsRefused() throws Exception {
    Path outside = Files.writeString(dir.resolve("outside.txt"), "a b c");
    Files.delete(model.resolve("tokenizer.txt"));
    Files.createSymbolicLink(model.resolve("tokenizer.txt"), outside);
    assertFails(9, "tokenizer.txt");
  }

  @Test
  void wrongPublicKeyFails() throws Exception {
    Path other = dir.resolve("other");
    assertEquals(0, CliRun.of("keygen", "--out", other.toString()).exitCode());
    CliRun run = verify(other.resolve("public.pem"));
    assertEquals(1, run.exitCode());
    assertTrue(run.err().contains("another key"), run.err());
  }

  @Test
  void publicKeyOnAnotherCurveFails() throws Exception {
    Path other = dir.resolve("p384");
    assertEquals(0, CliRun.of("keygen", "--out", other.toString(), "--curve", "p384").exitCode());
    assertEquals(1, verify(other.resolve("public.pem")).exitCode());
  }

  private void editBundle(Consumer<JsonObject> edit) throws Exception {
    Path signature = model.resolve("model.sig");
    JsonObject bundle = JsonParser.parseString(Files.readString(signature)).getAsJsonObject();
    edit.accept(bundle);
    Files.writeString(signature, bundle.toString());
  }

  private static JsonObject envelope(JsonObject bundle) {
    return bundle.getAsJsonObject("dsseEnvelope");
  }

  @Test
  void flippedSignatureBitFails() throws Exception {
    editBundle(
        b -> {
          JsonObject signature = envelope(b).getAsJsonArray("signatures").get(0).getAsJsonObject();
          byte[] sig = Base64.getDecoder().decode(signature.get("sig").getAsString());
          sig[sig.length - 1] ^= 0x01;
          signature.addProperty("sig", Base64.getEncoder().encodeToString(sig));
        });
    assertFails(1, "signature does not verify");
  }

  @Test
  void editedPayloadFails() throws Exception {
    editBundle(
        b -> {
          String payload =
              new String(
                  Base64.getDecoder().decode(envelope(b).get("payload").getAsString()),
                  StandardCharsets.UTF_8);
          String forged = payload.replace("\"layered\"", "\"coalesced\"");
          envelope(b)
              .addProperty(
                  "payload",
                  Base64.getEncoder().encodeToString(forged.getBytes(StandardCharsets.UTF_8)));
        });
    assertFails(1, "signature does not verify");
  }

  @Test
  void bundleOfAnotherModelFails() throws Exception {
    Path otherDir = Files.createDirectories(dir.resolve("elsewhere"));
    Path other = ModelFixtures.smallModel(otherDir);
    Files.writeString(other.resolve("weights.bin"), "different weights");
    assertEquals(
        0,
        CliRun.of(
                "sign",
                other.toString(),
                "--device",
                "cpu",
                "private-key",
                "--private_key",
                keys.resolve("private.pem").toString())
            .exitCode());
    Files.copy(
        other.resolve("model.sig"),
        model.resolve("model.sig"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertFails(1, "changed: weights.bin");
  }

  @ParameterizedTest
  @ValueSource(strings = {"../x", "/etc/passwd", "a/../../b"})
  void validlySignedForgedManifestWithTraversalIsRejectedBeforeHashing(String name)
      throws Exception {
    Path signature = model.resolve("model.sig");
    JsonObject bundle = JsonParser.parseString(Files.readString(signature)).getAsJsonObject();
    JsonObject statement =
        JsonParser.parseString(
                new String(
                    Base64.getDecoder().decode(envelope(bundle).get("payload").getAsString()),
                    StandardCharsets.UTF_8))
            .getAsJsonObject();
    JsonArray resources = statement.getAsJsonObject("predicate").getAsJsonArray("resources");
    resources.get(0).getAsJsonObject().addProperty("name", name);
    PrivateKey key = PemFiles.readPrivateKey(keys.resolve("private.pem"), null);
    Files.write(
        signature,
        new PrivateKeySigner(key).sign(statement.toString().getBytes(StandardCharsets.UTF_8)));
    // A FIFO in the model: a verifier that listed or opened the model's files before validating the
    // manifest would fail with exit 8 (not a regular file) instead of 3.
    Files.delete(model.resolve("tokenizer.txt"));
    assertEquals(
        0,
        new ProcessBuilder("mkfifo", model.resolve("tokenizer.txt").toString()).start().waitFor());
    CliRun run = verify();
    assertEquals(3, run.exitCode(), run.err());
    assertTrue(run.err().contains(name), run.err());
    assertEquals(1, run.err().strip().lines().count(), run.err());
  }

  @Test
  void everySerializationRoundTripsWithAPrivateKey() throws Exception {
    for (String method : List.of("files", "shards", "merkle", "lattice")) {
      CliRun sign =
          CliRun.of(
              "sign",
              model.toString(),
              "--method",
              method,
              "--force",
              "--device",
              "cpu",
              "private-key",
              "--private_key",
              keys.resolve("private.pem").toString());
      assertEquals(0, sign.exitCode(), sign.err());
      CliRun run = verify();
      assertEquals(0, run.exitCode(), method + ": " + run.err());
    }
  }
}
