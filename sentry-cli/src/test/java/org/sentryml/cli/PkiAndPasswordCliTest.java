package org.sentryml.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sentryml.testkit.ModelFixtures;
import org.sentryml.testkit.PemText;
import org.sentryml.testkit.TestPki;

class PkiAndPasswordCliTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"files", "shards", "merkle", "lattice"})
  void pkiRoundTripsForEverySerialization(String method) throws Exception {
    Path model = ModelFixtures.smallModel(dir);
    TestPki.ChainFiles pki = TestPki.writeChain(dir.resolve("pki"));
    CliRun sign =
        CliRun.of(
            "sign",
            model.toString(),
            "--method",
            method,
            "--device",
            "cpu",
            "pki",
            "--signing_cert",
            pki.leaf().toString(),
            "--private_key",
            pki.leafKey().toString(),
            "--cert_chain",
            pki.intermediate().toString());
    assertEquals(0, sign.exitCode(), sign.err());
    CliRun verify =
        CliRun.of(
            "verify",
            model.toString(),
            "--device",
            "cpu",
            "pki",
            "--root_certs",
            pki.root().toString());
    assertEquals(0, verify.exitCode(), verify.err());
    assertTrue(verify.out().contains("CN=Model Signer"), verify.out());
  }

  @Test
  void pkiBundleFailsAgainstAnUnrelatedRoot() throws Exception {
    Path model = ModelFixtures.smallModel(dir);
    TestPki.ChainFiles pki = TestPki.writeChain(dir.resolve("pki"));
    TestPki.ChainFiles other = TestPki.writeChain(dir.resolve("other"));
    assertEquals(
        0,
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
                pki.intermediate().toString())
            .exitCode());
    CliRun verify =
        CliRun.of(
            "verify",
            model.toString(),
            "--device",
            "cpu",
            "pki",
            "--root_certs",
            other.root().toString());
    assertEquals(1, verify.exitCode(), verify.err());
  }

  @Test
  void privateKeyOfAnotherCertificateIsRefusedAtSigning() throws Exception {
    Path model = ModelFixtures.smallModel(dir);
    TestPki.ChainFiles pki = TestPki.writeChain(dir.resolve("pki"));
    TestPki.ChainFiles other = TestPki.writeChain(dir.resolve("other"));
    CliRun sign =
        CliRun.of(
            "sign",
            model.toString(),
            "--device",
            "cpu",
            "pki",
            "--signing_cert",
            pki.leaf().toString(),
            "--private_key",
            other.leafKey().toString());
    assertEquals(3, sign.exitCode(), sign.err());
    assertTrue(Files.notExists(model.resolve("model.sig")), "no signature file left behind");
  }

  @Test
  void publicKeyBundleIsNotAcceptedByThePkiMethod() throws Exception {
    Path model = ModelFixtures.smallModel(dir);
    Path keys = dir.resolve("keys");
    assertEquals(0, CliRun.of("keygen", "--out", keys.toString()).exitCode());
    assertEquals(
        0,
        CliRun.of(
                "sign",
                model.toString(),
                "--device",
                "cpu",
                "private-key",
                "--private_key",
                keys.resolve("private.pem").toString())
            .exitCode());
    TestPki.ChainFiles pki = TestPki.writeChain(dir.resolve("pki"));
    CliRun verify =
        CliRun.of(
            "verify",
            model.toString(),
            "--device",
            "cpu",
            "pki",
            "--root_certs",
            pki.root().toString());
    assertEquals(1, verify.exitCode(), verify.err());
    assertTrue(verify.err().contains("private-key --public_key"), verify.err());
  }

  @Test
  void malformedPublicKeyPemIsBadInput() throws Exception {
    Path model = ModelFixtures.smallModel(dir);
    Path keys = dir.resolve("keys");
    assertEquals(0, CliRun.of("keygen", "--out", keys.toString()).exitCode());
    assertEquals(
        0,
        CliRun.of(
                "sign",
                model.toString(),
                "--device",
                "cpu",
                "private-key",
                "--private_key",
                keys.resolve("private.pem").toString())
            .exitCode());
    Path broken =
        Files.writeString(dir.resolve("broken.pem"), "-----BEGIN PUBLIC KEY-----\nAAAA\n");
    CliRun verify =
        CliRun.of(
            "verify",
            model.toString(),
            "--device",
            "cpu",
            "private-key",
            "--public_key",
            broken.toString());
    assertEquals(3, verify.exitCode(), verify.err());
    assertTrue(verify.err().contains("broken.pem"), verify.err());
  }

  @Test
  void passwordProtectedKeySignsWithItsPasswordFileAndNotWithout() throws Exception {
    Path model = ModelFixtures.smallModel(dir);
    KeyPair pair = TestPki.ecKeys("secp384r1");
    Path key =
        Files.writeString(
            dir.resolve("encrypted.pem"),
            PemText.encrypted(pair.getPrivate(), "correct horse".toCharArray()));
    Path password = Files.writeString(dir.resolve("password.txt"), "correct horse\n");
    CliRun withoutPassword =
        CliRun.of(
            "sign",
            model.toString(),
            "--device",
            "cpu",
            "private-key",
            "--private_key",
            key.toString());
    assertEquals(3, withoutPassword.exitCode(), withoutPassword.err());
    assertTrue(!withoutPassword.err().contains("correct horse"), "never echo secrets");
    CliRun sign =
        CliRun.of(
            "sign",
            model.toString(),
            "--device",
            "cpu",
            "private-key",
            "--private_key",
            key.toString(),
            "--password_file",
            password.toString());
    assertEquals(0, sign.exitCode(), sign.err());
    Path publicKey = Files.writeString(dir.resolve("public.pem"), PemText.of(pair.getPublic()));
    assertEquals(
        0,
        CliRun.of(
                "verify",
                model.toString(),
                "--device",
                "cpu",
                "private-key",
                "--public_key",
                publicKey.toString())
            .exitCode());
  }
}
