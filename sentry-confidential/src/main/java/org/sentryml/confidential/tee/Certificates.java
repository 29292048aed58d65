package org.sentryml.confidential.tee;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import javax.security.auth.x500.X500Principal;
import org.sentryml.core.errors.MalformedInputException;

/**
 * Reads the X.509 certificates that evidence carries or comes with, strictly: PEM text may hold
 * only {@code CERTIFICATE} blocks and whitespace between them, each body canonical base64 (the bits
 * a decoder would drop must be zero, so no two texts decode to one certificate), and each block
 * exactly one DER certificate with nothing after it. Stateless and thread-safe.
 */
final class Certificates {
  /** More than any vendor chain holds (NVIDIA's has five). */
  static final int MAX_CERTIFICATES = 16;

  private static final String BEGIN = "-----BEGIN CERTIFICATE-----";
  private static final String END = "-----END CERTIFICATE-----";

  private Certificates() {}

  /**
   * The certificates of PEM text, in order.
   *
   * @throws MalformedInputException for anything but one or more well-formed certificate blocks
   */
  static List<X509Certificate> fromPem(byte[] text, String document) {
    for (byte b : text) {
      if (b < 0) {
        throw new MalformedInputException(document + ": PEM text holds a byte that is not ASCII");
      }
    }
    String pem = new String(text, StandardCharsets.US_ASCII);
    List<X509Certificate> certificates = new ArrayList<>();
    int at = skipWhitespace(pem, 0);
    while (at < pem.length()) {
      if (!pem.startsWith(BEGIN, at)) {
        throw new MalformedInputException(
            String.format(
                Locale.ROOT,
                "%s: expected '%s' at character %d of the PEM text",
                document,
                BEGIN,
                at));
      }
      int end = pem.indexOf(END, at + BEGIN.length());
      if (end < 0) {
        throw new MalformedInputException(
            document + ": PEM certificate " + (certificates.size() + 1) + " has no '" + END + "'");
      }
      if (certificates.size() == MAX_CERTIFICATES) {
        throw new MalformedInputException(
            document + ": more than " + MAX_CERTIFICATES + " certificates");
      }
      String body = pem.substring(at + BEGIN.length(), end);
      certificates.add(fromDer(decodeBody(body, document, certificates.size() + 1), document));
      at = skipWhitespace(pem, end + END.length());
    }
    if (certificates.isEmpty()) {
      throw new MalformedInputException(document + ": no PEM certificate");
    }
    return List.copyOf(certificates);
  }

  /**
   * One DER certificate.
   *
   * @throws MalformedInputException if the bytes are not exactly one X.509 certificate
   */
  static X509Certificate fromDer(byte[] der, String document) {
    X509Certificate certificate;
    try {
      certificate =
          (X509Certificate)
              CertificateFactory.getInstance("X.509")
                  .generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException | RuntimeException e) {
      throw new MalformedInputException(
          document + ": not an X.509 certificate: " + e.getMessage(), e);
    }
    try {
      // The factory stops at the end of the first certificate; bytes after it would be unsigned.
      if (!Arrays.equals(certificate.getEncoded(), der)) {
        throw new MalformedInputException(document + ": bytes after the DER certificate");
      }
    } catch (CertificateEncodingException e) {
      throw new MalformedInputException(
          document + ": certificate cannot be re-encoded: " + e.getMessage(), e);
    }
    return certificate;
  }

  /** A DER certificate, or PEM text of one or more, as a file given alongside evidence holds. */
  static List<X509Certificate> fromPemOrDer(byte[] bytes, String document) {
    // DER starts with a SEQUENCE tag; PEM text with a dash or whitespace.
    if (bytes.length > 0 && bytes[0] == 0x30) {
      return List.of(fromDer(bytes, document));
    }
    return fromPem(bytes, document);
  }

  /** The SHA-256 fingerprint of the certificate's DER encoding. */
  static Octets fingerprint(X509Certificate certificate) {
    try {
      return Octets.of(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new IllegalStateException("cannot fingerprint a parsed certificate", e);
    }
  }

  /** The subject as quoted RFC 2253 text, for messages. */
  static String name(X509Certificate certificate) {
    return name(certificate.getSubjectX500Principal());
  }

  static String name(X500Principal principal) {
    return "'" + principal.getName(X500Principal.RFC2253) + "'";
  }

  private static byte[] decodeBody(String body, String document, int index) {
    String base64 = body.replace("\r\n", "").replace("\n", "");
    byte[] der;
    try {
      der = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new MalformedInputException(
          document + ": PEM certificate " + index + " is not base64: " + e.getMessage(), e);
    }
    if (!Base64.getEncoder().encodeToString(der).equals(base64)) {
      throw new MalformedInputException(
          document + ": PEM certificate " + index + " is not canonical base64");
    }
    return der;
  }

  private static int skipWhitespace(String text, int from) {
    int at = from;
    while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) {
      at++;
    }
    return at;
  }
}
