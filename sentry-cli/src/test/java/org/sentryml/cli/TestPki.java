package org.sentryml.cli;

import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throwaway root → intermediate → leaf chain written as PEM files, for pki tests. */
record TestPki(Path root, Path intermediate, Path leaf, Path leafKey) {
  static TestPki create(Path dir) throws Exception {
    return create(dir, true);
  }

  /** With {@code leafKeyUsage} false the leaf has no key-usage extension, so it may not sign. */
  static TestPki create(Path dir, boolean leafKeyUsage) throws Exception {
    KeyPair rootKeys = keys();
    KeyPair intermediateKeys = keys();
    KeyPair leafKeys = keys();
    X509Certificate root = certificate("CN=Test Root", rootKeys, "CN=Test Root", rootKeys, true, true);
    X509Certificate intermediate = certificate("CN=Test Intermediate", intermediateKeys, "CN=Test Root", rootKeys, true, true);
    X509Certificate leaf = certificate("CN=Model Signer", leafKeys, "CN=Test Intermediate", intermediateKeys, false, leafKeyUsage);
    Files.createDirectories(dir);
    return new TestPki(pem(dir.resolve("root.pem"), root), pem(dir.resolve("intermediate.pem"), intermediate),
        pem(dir.resolve("leaf.pem"), leaf), pem(dir.resolve("leaf-key.pem"), leafKeys.getPrivate()));
  }

  private static KeyPair keys() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private static X509Certificate certificate(String subject, KeyPair subjectKeys, String issuer, KeyPair issuerKeys, boolean ca,
      boolean keyUsage) throws Exception {
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name(issuer), BigInteger.valueOf(now.toEpochMilli()),
        Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(30))), new X500Name(subject), subjectKeys.getPublic());
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
    if (keyUsage) {
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature));
    }
    return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
  }

  private static Path pem(Path file, Object object) throws Exception {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(object instanceof java.security.PrivateKey key ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null) : object);
    }
    return Files.writeString(file, text.toString());
  }
}
