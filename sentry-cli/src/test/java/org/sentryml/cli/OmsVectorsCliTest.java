package org.sentryml.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sentryml.testkit.TestVectors;

/** The OpenSSF Model Signing v1.0 test vectors (the testkit's), through the real command line. */
class OmsVectorsCliTest {
  private static final Path OMS = TestVectors.path("oms-spec");
  private static final Path VECTORS = OMS.resolve("test-vectors/v1.0");
  private static final Path KEY_MODEL = OMS.resolve("models/key-model");

  @Test
  void keyVectorVerifiesWithItsPublicKey() {
    CliRun run =
        CliRun.of(
            "verify",
            KEY_MODEL.toString(),
            "--signature",
            VECTORS.resolve("valid/key.bundle.json").toString(),
            "--device",
            "cpu",
            "private-key",
            "--public_key",
            OMS.resolve("keys/signing-key-pub.pem").toString());
    assertEquals(0, run.exitCode(), run.err());
  }

  @Test
  void certificateVectorVerifiesAgainstItsRoot() {
    CliRun run =
        CliRun.of(
            "verify",
            KEY_MODEL.toString(),
            "--signature",
            VECTORS.resolve("valid/certificate.bundle.json").toString(),
            "--device",
            "cpu",
            "pki",
            "--root_certs",
            OMS.resolve("keys/ca-cert.pem").toString());
    assertEquals(0, run.exitCode(), run.err());
  }

  @Test
  void sigstoreVectorVerifiesOfflineWithThePublicGoodTrustedRoot() {
    CliRun run =
        CliRun.of(
            "verify",
            OMS.resolve("models/sigstore-model").toString(),
            "--signature",
            VECTORS.resolve("valid/sigstore.bundle.json").toString(),
            "--device",
            "cpu",
            "sigstore",
            "--identity",
            "stefanb@us.ibm.com",
            "--identity_provider",
            "https://sigstore.verify.ibm.com/oauth2",
            "--trust_root",
            TestVectors.path("sigstore/public-good-trusted_root.json").toString());
    assertEquals(0, run.exitCode(), run.err());
  }

  @Test
  void sigstoreVectorFailsForAnotherIdentity() {
    CliRun run =
        CliRun.of(
            "verify",
            OMS.resolve("models/sigstore-model").toString(),
            "--signature",
            VECTORS.resolve("valid/sigstore.bundle.json").toString(),
            "--device",
            "cpu",
            "sigstore",
            "--identity",
            "someone@example.com",
            "--identity_provider",
            "https://sigstore.verify.ibm.com/oauth2",
            "--trust_root",
            TestVectors.path("sigstore/public-good-trusted_root.json").toString());
    assertEquals(1, run.exitCode(), run.err());
  }

  static Stream<Path> invalidVectors() throws Exception {
    try (Stream<Path> files = Files.list(VECTORS.resolve("invalid"))) {
      return files.sorted().toList().stream();
    }
  }

  @ParameterizedTest
  @MethodSource("invalidVectors")
  void invalidVectorsAreMalformedBundles(Path bundle) {
    CliRun run =
        CliRun.of(
            "verify",
            KEY_MODEL.toString(),
            "--signature",
            bundle.toString(),
            "--device",
            "cpu",
            "private-key",
            "--public_key",
            OMS.resolve("keys/signing-key-pub.pem").toString());
    assertEquals(3, run.exitCode(), run.err());
    assertEquals(1, run.err().strip().lines().count(), run.err());
  }

  @Test
  void wrongPredicateVectorIsRejectedForItsSignature() {
    CliRun run =
        CliRun.of(
            "verify",
            KEY_MODEL.toString(),
            "--signature",
            VECTORS.resolve("invalid-payload/wrong-predicate.bundle.json").toString(),
            "--device",
            "cpu",
            "private-key",
            "--public_key",
            OMS.resolve("keys/signing-key-pub.pem").toString());
    assertEquals(1, run.exitCode(), run.err());
    assertTrue(run.err().contains("signature"), run.err());
  }
}
