package org.sentryml.confidential.broker;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import javax.security.auth.x500.X500Principal;

/**
 * Who is asking, as the TLS layer authenticated them: the client certificate's subject (RFC 2253),
 * its subject alternative names (DNS names, IP addresses, URIs, e-mail addresses, as text) and its
 * SHA-256 fingerprint, which binds a session to the certificate that opened it. Immutable.
 */
public record ClientIdentity(String subject, List<String> sans, String fingerprint) {
  public ClientIdentity {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(fingerprint, "fingerprint");
    sans = List.copyOf(sans);
  }

  /** The identity the certificate {@code certificate} proves. */
  public static ClientIdentity of(X509Certificate certificate) {
    List<String> names = new ArrayList<>();
    try {
      Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
      if (alternatives != null) {
        for (List<?> name : alternatives) {
          int type = (Integer) name.get(0);
          // rfc822Name, dNSName, uniformResourceIdentifier, iPAddress: the textual kinds.
          if ((type == 1 || type == 2 || type == 6 || type == 7)
              && name.get(1) instanceof String s) {
            names.add(s);
          }
        }
      }
    } catch (CertificateParsingException e) {
      // A certificate whose alternative names do not parse has none a policy can match.
    }
    return new ClientIdentity(
        certificate.getSubjectX500Principal().getName(X500Principal.RFC2253),
        names,
        fingerprint(certificate));
  }

  private static String fingerprint(X509Certificate certificate) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new IllegalStateException("cannot fingerprint a certificate the TLS layer accepted", e);
    }
  }
}
