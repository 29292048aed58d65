package org.sentryml.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hierarchies check out with the JDK's own PKIX validator, independently of Bouncy Castle. */
class TestPkiTest {
  private static final Instant FROM = Instant.parse("2024-01-01T00:00:00Z");
  private static final Instant TO = Instant.parse("2030-01-01T00:00:00Z");
  private static final byte[] MESSAGE = {1, 2, 3};

  @TempDir Path dir;

  private static void validate(X509Certificate root, List<X509Certificate> path, Instant at)
      throws Exception {
    PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
    parameters.setRevocationEnabled(false);
    parameters.setDate(Date.from(at));
    CertPathValidator.getInstance("PKIX")
        .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), parameters);
  }

  private static X509Certificate read(Path pem) throws Exception {
    try (InputStream in = Files.newInputStream(pem)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  @Test
  void leafChainsThroughItsIntermediateToTheRootOnlyInsideTheValidity() throws Exception {
    TestPki.Issued root = TestPki.root("Root", FROM, TO);
    TestPki.Issued intermediate = TestPki.intermediate("Intermediate", root, FROM, TO);
    TestPki.Issued leaf =
        TestPki.leaf(
            "Signer",
            intermediate,
            FROM,
            TO,
            KeyUsage.digitalSignature,
            KeyPurposeId.id_kp_codeSigning);
    List<X509Certificate> path = List.of(leaf.certificate(), intermediate.certificate());
    validate(root.certificate(), path, Instant.parse("2025-06-01T00:00:00Z"));
    assertThrows(
        CertPathValidatorException.class,
        () -> validate(root.certificate(), path, TO.plusSeconds(60)));
    assertEquals("CN=Intermediate", leaf.certificate().getIssuerX500Principal().getName());
    assertEquals(
        List.of(KeyPurposeId.id_kp_codeSigning.getId()), leaf.certificate().getExtendedKeyUsage());
    assertEquals(-1, leaf.certificate().getBasicConstraints(), "not a CA");
  }

  @Test
  void writtenChainIsValidNowAndItsKeyFileIsTheLeafsPkcs8Key() throws Exception {
    TestPki.ChainFiles files = TestPki.writeChain(dir);
    X509Certificate leaf = read(files.leaf());
    validate(read(files.root()), List.of(leaf, read(files.intermediate())), Instant.now());
    assertTrue(leaf.getKeyUsage()[0], "digitalSignature");
    String pem = Files.readString(files.leafKey());
    byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
    Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der)));
    signer.update(MESSAGE);
    Signature verifier = Signature.getInstance("SHA256withECDSA");
    verifier.initVerify(leaf.getPublicKey());
    verifier.update(MESSAGE);
    assertTrue(verifier.verify(signer.sign()));
  }

  @Test
  void leafWithoutKeyUsageHasNoKeyUsageExtension() throws Exception {
    TestPki.ChainFiles files = TestPki.writeChain(dir, false);
    assertNull(read(files.leaf()).getKeyUsage());
  }
}
