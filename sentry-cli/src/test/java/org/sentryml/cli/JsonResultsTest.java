package org.sentryml.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.testkit.ModelFixtures;

class JsonResultsTest {
  @TempDir Path dir;

  @Test
  void keygenSignAndVerifyEachPrintOneJsonObject() throws Exception {
    Path model = ModelFixtures.smallModel(dir.resolve("model"));
    CliRun keygen = CliRun.of("keygen", "--out", dir.resolve("keys").toString(), "--json");
    assertEquals(0, keygen.exitCode(), keygen.err());
    JsonObject keys = JsonParser.parseString(keygen.out()).getAsJsonObject();
    assertEquals("p256", keys.get("curve").getAsString());

    Path signature = dir.resolve("model.sig");
    CliRun sign =
        CliRun.of(
            "sign",
            model.toString(),
            "--signature",
            signature.toString(),
            "--json",
            "private-key",
            "--private_key",
            keys.get("private_key").getAsString());
    assertEquals(0, sign.exitCode(), sign.err());
    JsonObject signed = JsonParser.parseString(sign.out()).getAsJsonObject();
    assertTrue(signed.get("root").getAsString().startsWith("sha256:"));

    CliRun verify =
        CliRun.of(
            "verify",
            model.toString(),
            "--signature",
            signature.toString(),
            "--json",
            "private-key",
            "--public_key",
            keys.get("public_key").getAsString());
    assertEquals(0, verify.exitCode(), verify.err());
    JsonObject verified = JsonParser.parseString(verify.out()).getAsJsonObject();
    assertTrue(verified.get("ok").getAsBoolean());
    assertEquals(signed.get("root"), verified.get("root"));
  }

  @Test
  void failedVerifyReportsTheChangedFileAsJson() throws Exception {
    Path model = ModelFixtures.smallModel(dir.resolve("model"));
    assertEquals(0, CliRun.of("keygen", "--out", dir.resolve("keys").toString()).exitCode());
    Path signature = dir.resolve("model.sig");
    assertEquals(
        0,
        CliRun.of(
                "sign",
                model.toString(),
                "--signature",
                signature.toString(),
                "private-key",
                "--private_key",
                dir.resolve("keys/private.pem").toString())
            .exitCode());
    Path file;
    try (var files = Files.list(model)) {
      file = files.filter(Files::isRegularFile).sorted().findFirst().orElseThrow();
    }
    Files.write(file, new byte[] {1, 2, 3}, StandardOpenOption.APPEND);
    CliRun verify =
        CliRun.of(
            "verify",
            model.toString(),
            "--signature",
            signature.toString(),
            "--json",
            "private-key",
            "--public_key",
            dir.resolve("keys/public.pem").toString());
    assertEquals(1, verify.exitCode());
    JsonObject report = JsonParser.parseString(verify.out()).getAsJsonObject();
    assertFalse(report.get("ok").getAsBoolean());
    assertEquals(
        file.getFileName().toString(),
        report.getAsJsonArray("changed").get(0).getAsJsonObject().get("name").getAsString());
  }
}
