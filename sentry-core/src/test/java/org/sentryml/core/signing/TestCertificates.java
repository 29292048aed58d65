package org.sentryml.core.signing;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Builds small certificate hierarchies with P-256 keys, through Bouncy Castle. */
final class TestCertificates {
  private static final AtomicLong SERIALS = new AtomicLong(1000);

  /** A certificate with the key pair it certifies. */
  record Issued(X509Certificate certificate, KeyPair keys) {}

  private TestCertificates() {}

  static Issued root(String name, Instant from, Instant to) {
    return issue(name, null, from, to, true, KeyUsage.keyCertSign | KeyUsage.cRLSign, null);
  }

  static Issued intermediate(String name, Issued issuer, Instant from, Instant to) {
    return issue(name, issuer, from, to, true, KeyUsage.keyCertSign | KeyUsage.cRLSign, null);
  }

  /**
   * @param keyUsage {@link KeyUsage} bits, or -1 for no key usage extension
   * @param extendedKeyUsage a purpose, or null for no extended key usage extension
   */
  static Issued leaf(String name, Issued issuer, Instant from, Instant to, int keyUsage,
      KeyPurposeId extendedKeyUsage) {
    return issue(name, issuer, from, to, false, keyUsage, extendedKeyUsage);
  }

  private static Issued issue(String name, Issued issuer, Instant from, Instant to, boolean ca,
      int keyUsage, KeyPurposeId extendedKeyUsage) {
    KeyPair keys = KeyPairWriter.generate(EcCurve.P256);
    X500Name subject = new X500Name("CN=" + name);
    X500Name issuerName = issuer == null ? subject
        : X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded());
    KeyPair signer = issuer == null ? keys : issuer.keys();
    try {
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName,
          BigInteger.valueOf(SERIALS.incrementAndGet()), Date.from(from), Date.from(to), subject,
          keys.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
      if (keyUsage >= 0) {
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
      }
      if (extendedKeyUsage != null) {
        builder.addExtension(Extension.extendedKeyUsage, false,
            new ExtendedKeyUsage(extendedKeyUsage));
      }
      X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
          builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
      return new Issued(certificate, keys);
    } catch (Exception e) {
      throw new IllegalStateException("cannot build test certificate " + name, e);
    }
  }
}
