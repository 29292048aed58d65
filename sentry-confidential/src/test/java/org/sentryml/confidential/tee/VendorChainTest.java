package org.sentryml.confidential.tee;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.sentryml.core.errors.VerificationFailedException;

/**
 * The chain rules the vendors' chains cannot break on their own, on throwaway chains: a root, an
 * intermediate and a leaf that break one rule each.
 */
class VendorChainTest {
  private static final Instant NOW = Instant.parse("2025-06-01T00:00:00Z");

  private final KeyPair rootKeys = keys();
  private final KeyPair intermediateKeys = keys();
  private final KeyPair leafKeys = keys();

  @Test
  void aWellFormedChainVerifies() throws Exception {
    X509Certificate root =
        certificate(
            "CN=Root",
            rootKeys,
            "CN=Root",
            rootKeys,
            new BasicConstraints(true),
            KeyUsage.keyCertSign,
            null);
    X509Certificate intermediate =
        certificate(
            "CN=CA",
            intermediateKeys,
            "CN=Root",
            rootKeys,
            new BasicConstraints(0),
            KeyUsage.keyCertSign,
            null);
    X509Certificate leaf =
        certificate(
            "CN=Leaf", leafKeys, "CN=CA", intermediateKeys, null, KeyUsage.digitalSignature, null);
    VendorChain.verify(EvidenceType.TDX, "test chain", List.of(leaf, intermediate), pin(root), NOW);
  }

  @Test
  void anIssuerThatIsNotACaIsRefused() throws Exception {
    X509Certificate root =
        certificate(
            "CN=Root",
            rootKeys,
            "CN=Root",
            rootKeys,
            new BasicConstraints(true),
            KeyUsage.keyCertSign,
            null);
    X509Certificate notCa =
        certificate(
            "CN=CA",
            intermediateKeys,
            "CN=Root",
            rootKeys,
            new BasicConstraints(false),
            KeyUsage.keyCertSign,
            null);
    X509Certificate leaf =
        certificate(
            "CN=Leaf", leafKeys, "CN=CA", intermediateKeys, null, KeyUsage.digitalSignature, null);
    assertRefused("is not a CA", List.of(leaf, notCa), root);
  }

  @Test
  void anIssuerWhoseKeyUsageForbidsCertificateSigningIsRefused() throws Exception {
    X509Certificate root =
        certificate(
            "CN=Root",
            rootKeys,
            "CN=Root",
            rootKeys,
            new BasicConstraints(true),
            KeyUsage.keyCertSign,
            null);
    X509Certificate ca =
        certificate(
            "CN=CA",
            intermediateKeys,
            "CN=Root",
            rootKeys,
            new BasicConstraints(true),
            KeyUsage.cRLSign,
            null);
    X509Certificate leaf =
        certificate(
            "CN=Leaf", leafKeys, "CN=CA", intermediateKeys, null, KeyUsage.digitalSignature, null);
    assertRefused("does not allow signing certificates", List.of(leaf, ca), root);
  }

  @Test
  void aPathLongerThanTheRootAllowsIsRefused() throws Exception {
    X509Certificate root =
        certificate(
            "CN=Root",
            rootKeys,
            "CN=Root",
            rootKeys,
            new BasicConstraints(0),
            KeyUsage.keyCertSign,
            null);
    X509Certificate ca =
        certificate(
            "CN=CA",
            intermediateKeys,
            "CN=Root",
            rootKeys,
            new BasicConstraints(true),
            KeyUsage.keyCertSign,
            null);
    X509Certificate leaf =
        certificate(
            "CN=Leaf", leafKeys, "CN=CA", intermediateKeys, null, KeyUsage.digitalSignature, null);
    assertRefused("allows 0 CA certificate(s) below it, but 1 follow", List.of(leaf, ca), root);
  }

  @Test
  void anUnknownCriticalExtensionIsRefused() throws Exception {
    X509Certificate root =
        certificate(
            "CN=Root",
            rootKeys,
            "CN=Root",
            rootKeys,
            new BasicConstraints(true),
            KeyUsage.keyCertSign,
            null);
    X509Certificate leaf =
        certificate(
            "CN=Leaf",
            leafKeys,
            "CN=Root",
            rootKeys,
            null,
            KeyUsage.digitalSignature,
            "1.3.6.1.4.1.99999.1");
    assertRefused("critical extension 1.3.6.1.4.1.99999.1", List.of(leaf), root);
  }

  @Test
  void aLeafThatMayNotSignIsRefused() throws Exception {
    X509Certificate root =
        certificate(
            "CN=Root",
            rootKeys,
            "CN=Root",
            rootKeys,
            new BasicConstraints(true),
            KeyUsage.keyCertSign,
            null);
    X509Certificate leaf =
        certificate("CN=Leaf", leafKeys, "CN=Root", rootKeys, null, KeyUsage.keyEncipherment, null);
    assertRefused("[keyEncipherment] does not allow digital signatures", List.of(leaf), root);
  }

  @Test
  void aCertificateSignedByAnotherKeyIsRefused() throws Exception {
    X509Certificate root =
        certificate(
            "CN=Root",
            rootKeys,
            "CN=Root",
            rootKeys,
            new BasicConstraints(true),
            KeyUsage.keyCertSign,
            null);
    X509Certificate forged =
        certificate(
            "CN=Leaf",
            leafKeys,
            "CN=Root",
            intermediateKeys,
            null,
            KeyUsage.digitalSignature,
            null);
    assertRefused("does not verify with the key of", List.of(forged), root);
  }

  private void assertRefused(String reason, List<X509Certificate> path, X509Certificate root) {
    PinnedRoot pinned = pin(root);
    VerificationFailedException refusal =
        assertThrows(
            VerificationFailedException.class,
            () -> VendorChain.verify(EvidenceType.TDX, "test chain", path, pinned, NOW));
    assertTrue(
        refusal.getMessage().contains("check certificate-chain failed")
            && refusal.getMessage().contains(reason),
        refusal.getMessage());
  }

  private static PinnedRoot pin(X509Certificate root) {
    return PinnedRoot.pin(root, "test root", Certificates.fingerprint(root).hex());
  }

  private static KeyPair keys() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate certificate(
      String subject,
      KeyPair subjectKeys,
      String issuer,
      KeyPair issuerKeys,
      BasicConstraints constraints,
      int keyUsage,
      String criticalOid)
      throws Exception {
    JcaX509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            new X500Name(issuer),
            BigInteger.ONE,
            Date.from(NOW.minus(Duration.ofDays(1))),
            Date.from(NOW.plus(Duration.ofDays(30))),
            new X500Name(subject),
            subjectKeys.getPublic());
    if (constraints != null) {
      builder.addExtension(Extension.basicConstraints, true, constraints);
    }
    builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
    if (criticalOid != null) {
      builder.addExtension(
          new ASN1ObjectIdentifier(criticalOid), true, new DEROctetString(new byte[] {1}));
    }
    return new JcaX509CertificateConverter()
        .getCertificate(
            builder.build(
                new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
  }
}
