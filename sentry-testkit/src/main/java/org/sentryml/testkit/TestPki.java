package org.sentryml.testkit;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Throwaway X.509 hierarchies for tests, built with Bouncy Castle rather than with the code under
 * test: every certificate has a fresh P-256 key, is signed with SHA256withECDSA and carries a
 * critical basic-constraints extension; CAs may sign certificates and CRLs.
 */
public final class TestPki {
  private static final int CA_USAGE = KeyUsage.keyCertSign | KeyUsage.cRLSign;
  private static final AtomicLong SERIALS = new AtomicLong(1000);

  /** A certificate with the key pair it certifies. */
  public record Issued(X509Certificate certificate, KeyPair keys) {}

  /** The PEM files of {@link #writeChain}: three certificates and the leaf's PKCS#8 key. */
  public record ChainFiles(Path root, Path intermediate, Path leaf, Path leafKey) {}

  private TestPki() {}

  /**
   * A fresh EC key pair on the named curve ({@code secp256r1}, {@code secp384r1}, {@code
   * secp521r1}).
   */
  public static KeyPair ecKeys(String curve) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec(curve));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot generate a key on " + curve, e);
    }
  }

  /** A self-signed CA named {@code CN=name}. */
  public static Issued root(String name, Instant from, Instant to) {
    return issue(name, null, from, to, true, CA_USAGE, null);
  }

  /** A CA named {@code CN=name}, signed by {@code issuer}. */
  public static Issued intermediate(String name, Issued issuer, Instant from, Instant to) {
    return issue(name, issuer, from, to, true, CA_USAGE, null);
  }

  /**
   * An end-entity certificate named {@code CN=name}, signed by {@code issuer}.
   *
   * @param keyUsage {@link KeyUsage} bits, or -1 for no key-usage extension
   * @param extendedKeyUsage a purpose, or null for no extended-key-usage extension
   */
  public static Issued leaf(
      String name,
      Issued issuer,
      Instant from,
      Instant to,
      int keyUsage,
      KeyPurposeId extendedKeyUsage) {
    return issue(name, issuer, from, to, false, keyUsage, extendedKeyUsage);
  }

  /**
   * A TLS server certificate named {@code CN=name} for {@code names} (IP addresses or DNS names, as
   * subject alternative names), signed by {@code issuer}, with the serverAuth purpose.
   */
  public static Issued server(
      String name, Issued issuer, Instant from, Instant to, List<String> names) {
    return issue(
        name,
        issuer,
        from,
        to,
        false,
        KeyUsage.digitalSignature,
        KeyPurposeId.id_kp_serverAuth,
        names);
  }

  /**
   * A TLS end-entity certificate named {@code CN=name} for {@code localhost} and {@code 127.0.0.1}
   * (subject alternative names, which clients check), signed by {@code issuer}, with the
   * digitalSignature key usage and {@code purpose} ({@link KeyPurposeId#id_kp_serverAuth} or {@link
   * KeyPurposeId#id_kp_clientAuth}).
   */
  public static Issued tlsLeaf(
      String name, Issued issuer, Instant from, Instant to, KeyPurposeId purpose) {
    return issue(
        name,
        issuer,
        from,
        to,
        false,
        KeyUsage.digitalSignature,
        purpose,
        List.of("localhost", "127.0.0.1"));
  }

  /** {@link #writeChain(Path, boolean)} with a leaf allowed to sign. */
  public static ChainFiles writeChain(Path dir) {
    return writeChain(dir, true);
  }

  /**
   * Writes {@code root.pem}, {@code intermediate.pem}, {@code leaf.pem} and {@code leaf-key.pem}
   * into {@code dir}: a chain valid from a day ago for 30 days.
   *
   * @param leafKeyUsage whether the leaf has a digitalSignature key usage; without any key-usage
   *     extension a signer that requires one must refuse it
   */
  public static ChainFiles writeChain(Path dir, boolean leafKeyUsage) {
    Instant from = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofDays(1));
    Instant to = from.plus(Duration.ofDays(31));
    Issued root = root("Test Root", from, to);
    Issued intermediate = intermediate("Test Intermediate", root, from, to);
    Issued leaf =
        leaf(
            "Model Signer",
            intermediate,
            from,
            to,
            leafKeyUsage ? KeyUsage.digitalSignature : -1,
            null);
    return new ChainFiles(
        write(dir.resolve("root.pem"), PemText.of(root.certificate())),
        write(dir.resolve("intermediate.pem"), PemText.of(intermediate.certificate())),
        write(dir.resolve("leaf.pem"), PemText.of(leaf.certificate())),
        write(dir.resolve("leaf-key.pem"), PemText.of(leaf.keys().getPrivate())));
  }

  private static Issued issue(
      String name,
      Issued issuer,
      Instant from,
      Instant to,
      boolean ca,
      int keyUsage,
      KeyPurposeId extendedKeyUsage) {
    return issue(name, issuer, from, to, ca, keyUsage, extendedKeyUsage, List.of());
  }

  private static Issued issue(
      String name,
      Issued issuer,
      Instant from,
      Instant to,
      boolean ca,
      int keyUsage,
      KeyPurposeId extendedKeyUsage,
      List<String> alternativeNames) {
    KeyPair keys = ecKeys("secp256r1");
    X500Name subject = new X500Name("CN=" + name);
    X500Name issuerName =
        issuer == null
            ? subject
            : X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded());
    KeyPair signer = issuer == null ? keys : issuer.keys();
    try {
      JcaX509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              issuerName,
              BigInteger.valueOf(SERIALS.incrementAndGet()),
              Date.from(from),
              Date.from(to),
              subject,
              keys.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
      if (keyUsage >= 0) {
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
      }
      if (extendedKeyUsage != null) {
        builder.addExtension(
            Extension.extendedKeyUsage, false, new ExtendedKeyUsage(extendedKeyUsage));
      }
      if (!alternativeNames.isEmpty()) {
        GeneralName[] names = new GeneralName[alternativeNames.size()];
        for (int i = 0; i < names.length; i++) {
          String alternative = alternativeNames.get(i);
          names[i] =
              new GeneralName(
                  alternative.matches("[0-9.]+") || alternative.contains(":")
                      ? GeneralName.iPAddress
                      : GeneralName.dNSName,
                  alternative);
        }
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
      }
      X509Certificate certificate =
          new JcaX509CertificateConverter()
              .getCertificate(
                  builder.build(
                      new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
      return new Issued(certificate, keys);
    } catch (CertIOException | CertificateException | OperatorCreationException e) {
      throw new IllegalStateException("cannot build the test certificate " + name, e);
    }
  }

  private static Path write(Path file, String text) {
    return TestFiles.write(file, text.getBytes(StandardCharsets.US_ASCII));
  }
}
