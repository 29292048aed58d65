package org.sentryml.agent.inferencer;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.signing.PemFiles;

/**
 * The server's TLS 1.3 context, from PEM files: the certificate chain (leaf first), its EC private
 * key (PKCS#8 or SEC 1, unencrypted; read by the same code as signing keys), and optionally the CA
 * certificates a client's certificate must chain to. The key lives only in this process's memory.
 */
final class TlsContexts {
  static final String PROTOCOL = "TLSv1.3";

  private TlsContexts() {}

  static SSLContext server(Path certificateChain, Path privateKey, @Nullable Path clientCa) {
    List<X509Certificate> chain = PemFiles.readCertificates(certificateChain);
    PrivateKey key = PemFiles.readPrivateKey(privateKey, null);
    try {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      // The in-memory store needs some password; it never reaches a disk.
      char[] password = new char[0];
      keys.setKeyEntry("server", key, password, chain.toArray(X509Certificate[]::new));
      KeyManagerFactory keyManagers =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keyManagers.init(keys, password);
      TrustManagerFactory trust = null;
      if (clientCa != null) {
        KeyStore roots = KeyStore.getInstance("PKCS12");
        roots.load(null, null);
        List<X509Certificate> cas = PemFiles.readCertificates(clientCa);
        for (int i = 0; i < cas.size(); i++) {
          roots.setCertificateEntry("client-ca-" + i, cas.get(i));
        }
        trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(roots);
      }
      SSLContext context = SSLContext.getInstance(PROTOCOL);
      context.init(
          keyManagers.getKeyManagers(),
          trust == null ? null : trust.getTrustManagers(),
          new SecureRandom());
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new MalformedInputException(
          "cannot build a TLS server from "
              + certificateChain
              + " and "
              + privateKey
              + ": "
              + e.getMessage());
    }
  }
}
