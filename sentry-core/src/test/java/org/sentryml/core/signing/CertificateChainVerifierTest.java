package org.sentryml.core.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.errors.UsageException;
import org.sentryml.core.errors.VerificationFailedException;
import org.sentryml.testkit.TestPki;
import org.sentryml.testkit.TestPki.Issued;
import org.sentryml.testkit.TestVectors;

class CertificateChainVerifierTest {
  /** The OMS chain is valid from 2025-05-02T23:36:28Z to 2035-04-30T23:36:28Z. */
  private static final Instant INSIDE_OMS_VALIDITY = Instant.parse("2026-01-15T12:00:00Z");

  private static final Instant FROM = Instant.parse("2024-01-01T00:00:00Z");
  private static final Instant TO = Instant.parse("2030-01-01T00:00:00Z");
  private static final Instant SIGNED_AT = Instant.parse("2025-06-01T00:00:00Z");

  private static X509Certificate omsLeaf;
  private static X509Certificate omsIntermediate;
  private static X509Certificate omsRoot;

  private static Issued root;
  private static Issued intermediate;

  @BeforeAll
  static void load() {
    omsLeaf =
        PemFiles.readCertificates(TestVectors.path("oms-spec/keys/signing-key-cert.pem")).get(0);
    omsIntermediate =
        PemFiles.readCertificates(TestVectors.path("oms-spec/keys/int-ca-cert.pem")).get(0);
    omsRoot = PemFiles.readCertificates(TestVectors.path("oms-spec/keys/ca-cert.pem")).get(0);
    root = TestPki.root("Test Root", FROM, TO);
    intermediate = TestPki.intermediate("Test Intermediate", root, FROM, TO);
  }

  private static SentryException failure(Executable call) {
    SentryException e = assertThrows(SentryException.class, call);
    assertInstanceOf(VerificationFailedException.class, e, e.getMessage());
    return e;
  }

  private static void assertMentions(SentryException e, String... parts) {
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), () -> "'" + part + "' not in: " + e.getMessage());
    }
  }

  private static Issued signingLeaf(String name, Instant from, Instant to) {
    return TestPki.leaf(
        name, intermediate, from, to, KeyUsage.digitalSignature, KeyPurposeId.id_kp_codeSigning);
  }

  private static List<X509Certificate> verify(Issued leaf, Instant at) {
    return new CertificateChainVerifier(List.of(root.certificate()))
        .verify(leaf.certificate(), List.of(intermediate.certificate()), at);
  }

  @Test
  void omsChainVerifiesInsideItsValidityPeriod() {
    List<X509Certificate> chain =
        new CertificateChainVerifier(List.of(omsRoot))
            .verify(omsLeaf, List.of(omsIntermediate), INSIDE_OMS_VALIDITY);
    assertEquals(List.of(omsLeaf, omsIntermediate, omsRoot), chain);
  }

  @Test
  void omsChainFailsAfterItExpires() {
    CertificateChainVerifier verifier = new CertificateChainVerifier(List.of(omsRoot));
    SentryException e =
        failure(
            () ->
                verifier.verify(
                    omsLeaf, List.of(omsIntermediate), Instant.parse("2036-01-01T00:00:00Z")));
    assertMentions(e, "expired", "2036-01-01T00:00:00Z", "2035-04-30T23:36:28Z");
  }

  @Test
  void omsChainWithoutItsIntermediateIsUntrusted() {
    CertificateChainVerifier verifier = new CertificateChainVerifier(List.of(omsRoot));
    assertMentions(
        failure(() -> verifier.verify(omsLeaf, List.of(), INSIDE_OMS_VALIDITY)),
        "untrusted",
        "signing certificate",
        "CN=intermediate-ca");
  }

  @Test
  void generatedChainVerifiesAndIntermediateOrderDoesNotMatter() {
    Issued leaf = signingLeaf("Signer", FROM, TO);
    Issued unrelated = TestPki.intermediate("Unrelated", root, FROM, TO);
    List<X509Certificate> chain =
        new CertificateChainVerifier(List.of(root.certificate()))
            .verify(
                leaf.certificate(),
                List.of(unrelated.certificate(), intermediate.certificate()),
                SIGNED_AT);
    assertEquals(
        List.of(leaf.certificate(), intermediate.certificate(), root.certificate()), chain);
  }

  @Test
  void leafDirectlyUnderTheRootVerifies() {
    Issued leaf = TestPki.leaf("Direct", root, FROM, TO, KeyUsage.digitalSignature, null);
    assertEquals(
        2,
        new CertificateChainVerifier(List.of(root.certificate()))
            .verify(leaf.certificate(), List.of(), SIGNED_AT)
            .size());
  }

  @Test
  void expiredLeafFailsNamingTheLeafAndTheDate() {
    Issued leaf = signingLeaf("Old Signer", FROM, Instant.parse("2025-01-01T00:00:00Z"));
    assertMentions(
        failure(() -> verify(leaf, SIGNED_AT)),
        "signing certificate",
        "CN=Old Signer",
        "expired",
        SIGNED_AT.toString());
  }

  @Test
  void leafNotYetValidAtTheSigningTimeFails() {
    Issued leaf = signingLeaf("Future Signer", Instant.parse("2026-01-01T00:00:00Z"), TO);
    assertMentions(
        failure(() -> verify(leaf, SIGNED_AT)),
        "CN=Future Signer",
        "not yet valid",
        SIGNED_AT.toString());
  }

  @Test
  void signingTimeDecidesNotTheCurrentTime() {
    Instant from = Instant.parse("2020-01-01T00:00:00Z");
    Issued oldRoot = TestPki.root("Old Root", from, TO);
    Issued shortLived =
        TestPki.leaf(
            "Short-lived",
            oldRoot,
            from,
            Instant.parse("2020-01-02T00:00:00Z"),
            KeyUsage.digitalSignature,
            null);
    CertificateChainVerifier verifier =
        new CertificateChainVerifier(List.of(oldRoot.certificate()));
    assertEquals(
        2,
        verifier
            .verify(shortLived.certificate(), List.of(), Instant.parse("2020-01-01T12:00:00Z"))
            .size());
    assertMentions(
        failure(
            () ->
                verifier.verify(
                    shortLived.certificate(), List.of(), Instant.parse("2021-01-01T00:00:00Z"))),
        "CN=Short-lived",
        "expired");
  }

  @Test
  void expiredIntermediateFailsNamingTheIntermediate() {
    Issued shortIntermediate =
        TestPki.intermediate(
            "Short Intermediate", root, FROM, Instant.parse("2025-01-01T00:00:00Z"));
    Issued leaf =
        TestPki.leaf("Signer", shortIntermediate, FROM, TO, KeyUsage.digitalSignature, null);
    CertificateChainVerifier verifier = new CertificateChainVerifier(List.of(root.certificate()));
    assertMentions(
        failure(
            () ->
                verifier.verify(
                    leaf.certificate(), List.of(shortIntermediate.certificate()), SIGNED_AT)),
        "intermediate certificate 1",
        "CN=Short Intermediate",
        "expired");
  }

  @Test
  void unrelatedRootIsUntrusted() {
    Issued leaf = signingLeaf("Signer", FROM, TO);
    Issued otherRoot = TestPki.root("Other Root", FROM, TO);
    CertificateChainVerifier verifier =
        new CertificateChainVerifier(List.of(otherRoot.certificate()));
    assertMentions(
        failure(
            () ->
                verifier.verify(
                    leaf.certificate(), List.of(intermediate.certificate()), SIGNED_AT)),
        "untrusted",
        "intermediate certificate 1",
        "CN=Test Intermediate",
        "CN=Test Root");
  }

  @Test
  void rootWithTheRightNameButAnotherKeyIsUntrusted() {
    Issued leaf = signingLeaf("Signer", FROM, TO);
    Issued impostor = TestPki.root("Test Root", FROM, TO);
    CertificateChainVerifier verifier =
        new CertificateChainVerifier(List.of(impostor.certificate()));
    assertMentions(
        failure(
            () ->
                verifier.verify(
                    leaf.certificate(), List.of(intermediate.certificate()), SIGNED_AT)),
        "untrusted",
        "signature does not verify");
  }

  @Test
  void leafWithoutSigningKeyUsageFails() {
    Issued leaf =
        TestPki.leaf(
            "Encryptor",
            intermediate,
            FROM,
            TO,
            KeyUsage.keyEncipherment,
            KeyPurposeId.id_kp_serverAuth);
    assertMentions(
        failure(() -> verify(leaf, SIGNED_AT)),
        "CN=Encryptor",
        "keyEncipherment",
        "digitalSignature",
        "codeSigning",
        KeyPurposeId.id_kp_serverAuth.getId());
  }

  @Test
  void leafWithNeitherUsageExtensionFails() {
    Issued leaf = TestPki.leaf("Bare", intermediate, FROM, TO, -1, null);
    assertMentions(failure(() -> verify(leaf, SIGNED_AT)), "CN=Bare", "(absent)");
  }

  @Test
  void codeSigningExtendedKeyUsageAloneIsEnough() {
    Issued leaf =
        TestPki.leaf("Code Signer", intermediate, FROM, TO, -1, KeyPurposeId.id_kp_codeSigning);
    assertEquals(3, verify(leaf, SIGNED_AT).size());
  }

  @Test
  void digitalSignatureKeyUsageAloneIsEnough() {
    Issued leaf = TestPki.leaf("Signer", intermediate, FROM, TO, KeyUsage.digitalSignature, null);
    assertEquals(3, verify(leaf, SIGNED_AT).size());
  }

  @Test
  void leafThatIsNotACaCannotIssue() {
    Issued notCa =
        TestPki.leaf(
            "Not A CA", root, FROM, TO, KeyUsage.digitalSignature | KeyUsage.keyCertSign, null);
    Issued leaf = TestPki.leaf("Signer", notCa, FROM, TO, KeyUsage.digitalSignature, null);
    CertificateChainVerifier verifier = new CertificateChainVerifier(List.of(root.certificate()));
    assertMentions(
        failure(() -> verifier.verify(leaf.certificate(), List.of(notCa.certificate()), SIGNED_AT)),
        "CN=Not A CA",
        "not a CA");
  }

  @Test
  void noRootsIsAUsageError() {
    assertInstanceOf(
        UsageException.class,
        assertThrows(SentryException.class, () -> new CertificateChainVerifier(List.of())));
  }
}
