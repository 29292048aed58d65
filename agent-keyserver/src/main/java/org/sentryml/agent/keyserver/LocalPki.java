package org.sentryml.agent.keyserver;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
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
import org.sentryml.core.io.AtomicFile;

/**
 * A small local CA for trying the key server out: a P-256 root, a server certificate for given DNS
 * names and IP addresses (serverAuth), and client certificates {@code CN=<name>} with the name as a
 * DNS SAN (clientAuth). Production uses the organisation's own CA; nothing here is meant to last
 * (the default validity is 30 days). Keys are written PKCS#8, mode 0600.
 */
final class LocalPki {
  /** The files of one certificate. */
  record Files(Path certificate, Path key) {}

  private final X509Certificate ca;
  private final KeyPair caKeys;
  private final Instant from;
  private final Instant to;
  private final SecureRandom random = new SecureRandom();

  private LocalPki(X509Certificate ca, KeyPair caKeys, Instant from, Instant to) {
    this.ca = ca;
    this.caKeys = caKeys;
    this.from = from;
    this.to = to;
  }

  /** A new CA named {@code CN=<name>}, valid from a minute ago for {@code validity}. */
  static LocalPki create(String name, Duration validity) {
    Instant from = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(1));
    Instant to = from.plus(validity);
    KeyPair keys = ecKeys();
    X500Name subject = name(name);
    LocalPki pki = new LocalPki(null, keys, from, to);
    X509Certificate root =
        pki.sign(
            subject,
            subject,
            keys,
            keys,
            new BasicConstraints(0),
            KeyUsage.keyCertSign | KeyUsage.cRLSign,
            null,
            null);
    return new LocalPki(root, keys, from, to);
  }

  X509Certificate ca() {
    return ca;
  }

  /**
   * Writes the CA's certificate (and, for issuing more later, nothing else: its key stays here).
   */
  Path writeCa(Path file) {
    AtomicFile.write(file, pem("CERTIFICATE", encoded(ca)));
    return file;
  }

  /** A server certificate for {@code names} (DNS names or IP addresses). */
  Files server(String commonName, List<String> names, Path certificate, Path key) {
    return issue(commonName, names, KeyPurposeId.id_kp_serverAuth, certificate, key);
  }

  /** A client certificate {@code CN=<name>}, with {@code name} as a DNS SAN. */
  Files client(String name, Path certificate, Path key) {
    return issue(name, List.of(name), KeyPurposeId.id_kp_clientAuth, certificate, key);
  }

  private Files issue(
      String commonName, List<String> names, KeyPurposeId purpose, Path certificate, Path key) {
    KeyPair keys = ecKeys();
    List<GeneralName> alternatives = new ArrayList<>();
    for (String name : names) {
      alternatives.add(
          isIpAddress(name)
              ? new GeneralName(GeneralName.iPAddress, name)
              : new GeneralName(GeneralName.dNSName, name));
    }
    X509Certificate leaf =
        sign(
            name(commonName),
            X500Name.getInstance(ca.getSubjectX500Principal().getEncoded()),
            keys,
            caKeys,
            new BasicConstraints(false),
            KeyUsage.digitalSignature,
            purpose,
            new GeneralNames(alternatives.toArray(new GeneralName[0])));
    byte[] chain = concat(pem("CERTIFICATE", encoded(leaf)), pem("CERTIFICATE", encoded(ca)));
    AtomicFile.write(certificate, chain);
    try (AtomicFile out = AtomicFile.create(key, AtomicFile.OWNER_ONLY)) {
      out.stream().write(pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
      out.commit(true);
    } catch (java.io.IOException e) {
      throw org.sentryml.core.errors.PathProblems.classifyWrite(key, e);
    }
    return new Files(certificate, key);
  }

  private X509Certificate sign(
      X500Name subject,
      X500Name issuer,
      KeyPair keys,
      KeyPair signer,
      BasicConstraints constraints,
      int keyUsage,
      KeyPurposeId purpose,
      GeneralNames alternatives) {
    try {
      JcaX509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              issuer,
              new BigInteger(64, random).add(BigInteger.ONE),
              Date.from(from),
              Date.from(to),
              subject,
              keys.getPublic());
      builder.addExtension(Extension.basicConstraints, true, constraints);
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
      if (purpose != null) {
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
      }
      if (alternatives != null) {
        builder.addExtension(Extension.subjectAlternativeName, false, alternatives);
      }
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(
                  new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
    } catch (CertIOException | GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot issue a certificate for " + subject, e);
    }
  }

  private static X500Name name(String commonName) {
    return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
  }

  private static boolean isIpAddress(String name) {
    if (!name.matches("[0-9.]+|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*")) {
      return false;
    }
    try {
      InetAddress.getByName(name);
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static KeyPair ecKeys() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("P-256 is in every Java runtime", e);
    }
  }

  private static byte[] encoded(X509Certificate certificate) {
    try {
      return certificate.getEncoded();
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("a certificate just built does not encode", e);
    }
  }

  private static byte[] pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return ("-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = new byte[a.length + b.length];
    System.arraycopy(a, 0, both, 0, a.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }
}
