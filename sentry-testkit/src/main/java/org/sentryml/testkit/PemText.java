package org.sentryml.testkit;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;

/**
 * PEM text for tests, written independently of Sentry's own PEM code so that a reader test never
 * reads what the code under test wrote: 64-character base64 lines, {@code \n} line ends.
 */
public final class PemText {
  private PemText() {}

  /** One {@code -----BEGIN type-----} block around {@code der}, as US-ASCII bytes. */
  public static byte[] block(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return ("-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** A {@code CERTIFICATE} block. */
  public static String of(X509Certificate certificate) {
    try {
      return text("CERTIFICATE", certificate.getEncoded());
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A {@code PUBLIC KEY} block (X.509 SubjectPublicKeyInfo). */
  public static String of(PublicKey key) {
    return text("PUBLIC KEY", key.getEncoded());
  }

  /** A {@code PRIVATE KEY} block (unencrypted PKCS#8). */
  public static String of(PrivateKey key) {
    return text("PRIVATE KEY", key.getEncoded());
  }

  /** An {@code ENCRYPTED PRIVATE KEY} block: PKCS#8 under AES-256-CBC with {@code password}. */
  public static String encrypted(PrivateKey key, char[] password) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      var encryptor =
          new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
              .setProvider(new BouncyCastleProvider())
              .setPassword(password)
              .build();
      writer.writeObject(new JcaPKCS8Generator(key, encryptor));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
    return text.toString();
  }

  private static String text(String type, byte[] der) {
    return new String(block(type, der), StandardCharsets.US_ASCII);
  }
}
