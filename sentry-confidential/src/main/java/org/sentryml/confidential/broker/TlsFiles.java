package org.sentryml.confidential.broker;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.signing.PemFiles;

/**
 * TLS 1.3 with certificates on both sides, from PEM files: a certificate chain (leaf first), its EC
 * private key, and the CA certificates that the other side's certificate must chain to (the JDK's
 * PKIX checks: signatures, validity now, CA constraints). Stateless.
 */
public final class TlsFiles {
  /** The only protocol offered. */
  public static final String PROTOCOL = "TLSv1.3";

  private TlsFiles() {}

  /**
   * A context that presents {@code certificate} (with {@code key}) and trusts peers certified by
   * the CAs in {@code trusted}.
   *
   * @throws MalformedInputException naming the file that does not hold what it should
   */
  public static SSLContext context(Path certificate, Path key, Path trusted) {
    List<X509Certificate> chain = PemFiles.readCertificates(certificate);
    PrivateKey privateKey = PemFiles.readPrivateKey(key, null);
    List<X509Certificate> anchors = PemFiles.readCertificates(trusted);
    try {
      KeyStore identity = KeyStore.getInstance("PKCS12");
      identity.load(null, null);
      char[] none = new char[0];
      identity.setKeyEntry("identity", privateKey, none, chain.toArray(new X509Certificate[0]));
      KeyManagerFactory keys =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(identity, none);
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      for (int i = 0; i < anchors.size(); i++) {
        trust.setCertificateEntry("ca-" + i, anchors.get(i));
      }
      TrustManagerFactory trustManagers = TrustManagerFactory.getInstance("PKIX");
      trustManagers.init(trust);
      SSLContext context = SSLContext.getInstance(PROTOCOL);
      context.init(keys.getKeyManagers(), trustManagers.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new MalformedInputException(
          "cannot use "
              + certificate
              + " with "
              + key
              + " and "
              + trusted
              + " for TLS: "
              + e.getMessage(),
          e);
    }
  }

  /** TLS 1.3 only, for a client of {@code context}. */
  public static SSLParameters clientParameters(SSLContext context) {
    SSLParameters parameters = context.getDefaultSSLParameters();
    parameters.setProtocols(new String[] {PROTOCOL});
    return parameters;
  }
}
