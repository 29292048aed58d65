package org.sentryml.core.attestation;

import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1String;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.json.StrictJson;

/**
 * The signer of a keyless bundle: the Fulcio certificate's subject alternative name (an e-mail
 * address or URI) and the OIDC issuer recorded in it. Compared exactly, never as patterns.
 *
 * @param identity the SAN, e.g. {@code someone@example.com}; not blank
 * @param issuer the OIDC issuer URL, e.g. {@code https://accounts.google.com}; not blank
 */
public record KeylessIdentity(String identity, String issuer) {
  /** Fulcio's OIDC issuer extension, a DER UTF8String (current certificates). */
  static final String ISSUER_V2_OID = "1.3.6.1.4.1.57264.1.8";

  /** Fulcio's original OIDC issuer extension, raw UTF-8 octets (older certificates). */
  static final String ISSUER_V1_OID = "1.3.6.1.4.1.57264.1.1";

  private static final int SAN_EMAIL = 1;
  private static final int SAN_URI = 6;

  public KeylessIdentity {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(issuer, "issuer");
    if (identity.isBlank()) {
      throw new IllegalArgumentException("keyless identity is blank");
    }
    if (issuer.isBlank()) {
      throw new IllegalArgumentException("keyless OIDC issuer is blank");
    }
  }

  /**
   * Reads the identity Fulcio recorded in {@code certificate}: its single e-mail or URI SAN and its
   * OIDC issuer extension ({@value #ISSUER_V2_OID}, else {@value #ISSUER_V1_OID}).
   *
   * @throws SentryException {@link MalformedInputException} if the certificate has no such identity
   */
  public static KeylessIdentity of(X509Certificate certificate) {
    return new KeylessIdentity(san(certificate), issuer(certificate));
  }

  private static String san(X509Certificate certificate) {
    Collection<List<?>> names;
    try {
      names = certificate.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      throw StrictJson.bad(
          "Fulcio certificate: subjectAltName cannot be parsed: " + e.getMessage());
    }
    if (names == null || names.size() != 1) {
      throw StrictJson.bad(
          String.format(
              Locale.ROOT,
              "Fulcio certificate: subjectAltName must hold exactly 1 name, got %d",
              names == null ? 0 : names.size()));
    }
    List<?> name = names.iterator().next();
    Object type = name.get(0);
    if (!(type instanceof Integer tag && (tag == SAN_EMAIL || tag == SAN_URI))
        || !(name.get(1) instanceof String value)
        || value.isBlank()) {
      throw StrictJson.bad(
          "Fulcio certificate: subjectAltName must be an e-mail address or URI, got type " + type);
    }
    return value;
  }

  private static String issuer(X509Certificate certificate) {
    try {
      byte[] current = certificate.getExtensionValue(ISSUER_V2_OID);
      if (current != null) {
        ASN1Primitive value =
            ASN1Primitive.fromByteArray(ASN1OctetString.getInstance(current).getOctets());
        if (value instanceof ASN1String text) {
          return text.getString();
        }
        throw StrictJson.bad("Fulcio certificate: extension " + ISSUER_V2_OID + " is not a string");
      }
      byte[] legacy = certificate.getExtensionValue(ISSUER_V1_OID);
      if (legacy != null) {
        return new String(ASN1OctetString.getInstance(legacy).getOctets(), StandardCharsets.UTF_8);
      }
    } catch (java.io.IOException | IllegalArgumentException e) {
      throw StrictJson.bad(
          "Fulcio certificate: OIDC issuer extension cannot be parsed: " + e.getMessage());
    }
    throw StrictJson.bad(
        "Fulcio certificate: no OIDC issuer extension ("
            + ISSUER_V2_OID
            + " or "
            + ISSUER_V1_OID
            + ")");
  }
}
