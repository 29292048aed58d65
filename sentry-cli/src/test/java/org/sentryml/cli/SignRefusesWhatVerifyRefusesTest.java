package org.sentryml.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sentryml.testkit.ModelFixtures;
import org.sentryml.testkit.Safetensors;
import org.sentryml.testkit.TestPki;

/**
 * {@code sign} never writes a signature that its own {@code verify} would refuse: names, ignore
 * paths, tensor names and certificates are checked by the verifier's rules at signing time, and
 * nothing is written when they fail.
 */
class SignRefusesWhatVerifyRefusesTest {
  @TempDir Path dir;
  private Path model;
  private Path keys;

  @BeforeEach
  void setUp() throws Exception {
    model = ModelFixtures.smallModel(dir);
    keys = dir.resolve("keys");
    assertEquals(0, CliRun.of("keygen", "--out", keys.toString()).exitCode());
  }

  private CliRun sign(String... options) {
    String[] args = new String[options.length + 6];
    args[0] = "sign";
    args[1] = model.toString();
    System.arraycopy(options, 0, args, 2, options.length);
    args[options.length + 2] = "--device=cpu";
    args[options.length + 3] = "private-key";
    args[options.length + 4] = "--private_key";
    args[options.length + 5] = keys.resolve("private.pem").toString();
    return CliRun.of(args);
  }

  private void assertRefused(CliRun run, int code, String reason) {
    assertEquals(code, run.exitCode(), run.err());
    assertTrue(run.err().contains(reason), run.err());
    assertTrue(Files.notExists(model.resolve("model.sig")), "no signature written");
  }

  @ParameterizedTest
  @ValueSource(strings = {"back\\slash.bin", "c:drive.bin"})
  void fileNamesVerifyWouldRefuseAreRefused(String name) throws Exception {
    Files.writeString(model.resolve(name), "x");
    assertRefused(sign(), 3, "verification would refuse its statement");
  }

  @Test
  void fileNameThatIsNotUtf8IsRefused() throws Exception {
    Process touch =
        new ProcessBuilder("sh", "-c", "touch \"$(printf 'bad\\377name')\"")
            .directory(model.toFile())
            .start();
    assertEquals(0, touch.waitFor());
    assertRefused(sign(), 3, "is not valid UTF-8");
  }

  @ParameterizedTest
  @ValueSource(strings = {"../x", "sub/../../x", "/etc"})
  void ignorePathsOutsideTheModelAreRefused(String path) {
    assertRefused(sign("--ignore_paths", path), 2, "--ignore_paths '" + path + "'");
  }

  @Test
  void absoluteIgnorePathInsideTheModelIsRecordedRelative() throws Exception {
    CliRun run = sign("--ignore_paths", model.resolve("sub").toAbsolutePath().toString());
    assertEquals(0, run.exitCode(), run.err());
    JsonObject bundle =
        JsonParser.parseString(Files.readString(model.resolve("model.sig"))).getAsJsonObject();
    String payload =
        new String(
            Base64.getDecoder()
                .decode(bundle.getAsJsonObject("dsseEnvelope").get("payload").getAsString()),
            StandardCharsets.UTF_8);
    assertTrue(
        payload.contains(
            "\"ignore_paths\":[\".git\",\".gitattributes\",\".github\",\".gitignore\",\"model.sig\",\"sub\"]"),
        payload);
    CliRun verify =
        CliRun.of(
            "verify",
            model.toString(),
            "--device",
            "cpu",
            "private-key",
            "--public_key",
            keys.resolve("public.pem").toString());
    assertEquals(0, verify.exitCode(), verify.err());
  }

  @Test
  void tensorNamedLikeTheHeaderResourceIsRefused() throws Exception {
    Files.write(
        model.resolve("m.safetensors"),
        Safetensors.withHeader(
            "{\"__header__\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}",
            new byte[1]));
    assertRefused(sign("--workflow", "inplace"), 3, "reserves for the header");
  }

  @Test
  void fileNamedLikeATensorResourceIsRefused() throws Exception {
    Files.write(
        model.resolve("m.safetensors"),
        Safetensors.withHeader(
            "{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}", new byte[1]));
    Files.writeString(model.resolve("m.safetensors#a"), "not the tensor");
    assertRefused(sign("--workflow", "inplace"), 3, "'m.safetensors#a' appears twice");
  }

  @Test
  void certificateWithoutSigningKeyUsageIsRefused() throws Exception {
    TestPki.ChainFiles pki = TestPki.writeChain(dir.resolve("pki"), false);
    CliRun run =
        CliRun.of(
            "sign",
            model.toString(),
            "--device",
            "cpu",
            "pki",
            "--signing_cert",
            pki.leaf().toString(),
            "--private_key",
            pki.leafKey().toString(),
            "--cert_chain",
            pki.intermediate().toString());
    assertRefused(run, 3, "may not sign");
  }
}
