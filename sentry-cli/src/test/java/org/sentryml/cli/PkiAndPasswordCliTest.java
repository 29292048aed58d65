package org.sentryml.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PkiAndPasswordCliTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"files", "shards", "merkle", "lattice"})
  void pkiRoundTripsForEverySerialization(String method) throws Exception {
    Path model = TestModels.model(dir);
    TestPki pki = TestPki.create(dir.resolve("pki"));
    CliRun sign = CliRun.of("sign", model.toString(), "--method", method, "--device", "cpu", "pki",
        "--signing_cert", pki.leaf().toString(), "--private_key", pki.leafKey().toString(), "--cert_chain", pki.intermediate().toString());
    assertEquals(0, sign.exitCode(), sign.err());
    CliRun verify = CliRun.of("verify", model.toString(), "--device", "cpu", "pki", "--root_certs", pki.root().toString());
    assertEquals(0, verify.exitCode(), verify.err());
    assertTrue(verify.out().contains("CN=Model Signer"), verify.out());
  }

  @Test
  void pkiBundleFailsAgainstAnUnrelatedRoot() throws Exception {
    Path model = TestModels.model(dir);
    TestPki pki = TestPki.create(dir.resolve("pki"));
    TestPki other = TestPki.create(dir.resolve("other"));
    assertEquals(0, CliRun.of("sign", model.toString(), "--device", "cpu", "pki", "--signing_cert", pki.leaf().toString(),
        "--private_key", pki.leafKey().toString(), "--cert_chain", pki.intermediate().toString()).exitCode());
    CliRun verify = CliRun.of("verify", model.toString(), "--device", "cpu", "pki", "--root_certs", other.root().toString());
    assertEquals(1, verify.exitCode(), verify.err());
  }

  @Test
  void privateKeyOfAnotherCertificateIsRefusedAtSigning() throws Exception {
    Path model = TestModels.model(dir);
    TestPki pki = TestPki.create(dir.resolve("pki"));
    TestPki other = TestPki.create(dir.resolve("other"));
    CliRun sign = CliRun.of("sign", model.toString(), "--device", "cpu", "pki", "--signing_cert", pki.leaf().toString(),
        "--private_key", other.leafKey().toString());
    assertEquals(3, sign.exitCode(), sign.err());
    assertTrue(Files.notExists(model.resolve("model.sig")), "no signature file left behind");
  }

  @Test
  void publicKeyBundleIsNotAcceptedByThePkiMethod() throws Exception {
    Path model = TestModels.model(dir);
    Path keys = dir.resolve("keys");
    assertEquals(0, CliRun.of("keygen", "--out", keys.toString()).exitCode());
    assertEquals(0, CliRun.of("sign", model.toString(), "--device", "cpu", "private-key", "--private_key", keys.resolve("private.pem").toString()).exitCode());
    TestPki pki = TestPki.create(dir.resolve("pki"));
    CliRun verify = CliRun.of("verify", model.toString(), "--device", "cpu", "pki", "--root_certs", pki.root().toString());
    assertEquals(1, verify.exitCode(), verify.err());
    assertTrue(verify.err().contains("private-key --public_key"), verify.err());
  }

  @Test
  void malformedPublicKeyPemIsBadInput() throws Exception {
    Path model = TestModels.model(dir);
    Path keys = dir.resolve("keys");
    assertEquals(0, CliRun.of("keygen", "--out", keys.toString()).exitCode());
    assertEquals(0, CliRun.of("sign", model.toString(), "--device", "cpu", "private-key", "--private_key", keys.resolve("private.pem").toString()).exitCode());
    Path broken = Files.writeString(dir.resolve("broken.pem"), "-----BEGIN PUBLIC KEY-----\nAAAA\n");
    CliRun verify = CliRun.of("verify", model.toString(), "--device", "cpu", "private-key", "--public_key", broken.toString());
    assertEquals(3, verify.exitCode(), verify.err());
    assertTrue(verify.err().contains("broken.pem"), verify.err());
  }

  @Test
  void passwordProtectedKeySignsWithItsPasswordFileAndNotWithout() throws Exception {
    Path model = TestModels.model(dir);
    java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
    generator.initialize(new java.security.spec.ECGenParameterSpec("secp384r1"));
    java.security.KeyPair pair = generator.generateKeyPair();
    java.io.StringWriter text = new java.io.StringWriter();
    try (org.bouncycastle.openssl.jcajce.JcaPEMWriter writer = new org.bouncycastle.openssl.jcajce.JcaPEMWriter(text)) {
      var encryptor = new org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder(org.bouncycastle.openssl.PKCS8Generator.AES_256_CBC)
          .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider()).setPassword("correct horse".toCharArray()).build();
      writer.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(pair.getPrivate(), encryptor));
    }
    Path key = Files.writeString(dir.resolve("encrypted.pem"), text.toString());
    Path password = Files.writeString(dir.resolve("password.txt"), "correct horse\n");
    CliRun withoutPassword = CliRun.of("sign", model.toString(), "--device", "cpu", "private-key", "--private_key", key.toString());
    assertEquals(3, withoutPassword.exitCode(), withoutPassword.err());
    assertTrue(!withoutPassword.err().contains("correct horse"), "never echo secrets");
    CliRun sign = CliRun.of("sign", model.toString(), "--device", "cpu", "private-key", "--private_key", key.toString(), "--password_file", password.toString());
    assertEquals(0, sign.exitCode(), sign.err());
    Path publicKey = dir.resolve("public.pem");
    java.io.StringWriter publicText = new java.io.StringWriter();
    try (org.bouncycastle.openssl.jcajce.JcaPEMWriter writer = new org.bouncycastle.openssl.jcajce.JcaPEMWriter(publicText)) {
      writer.writeObject(pair.getPublic());
    }
    Files.writeString(publicKey, publicText.toString());
    assertEquals(0, CliRun.of("verify", model.toString(), "--device", "cpu", "private-key", "--public_key", publicKey.toString()).exitCode());
  }
}
