package org.sentryml.core.attestation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The OMS public-key hint written to {@code verificationMaterial.publicKey.hint}: the lowercase hex
 * SHA-256 of the key's PEM text, i.e. of {@code "-----BEGIN PUBLIC KEY-----\n"}, the Base64 of the
 * DER SubjectPublicKeyInfo in lines of 64 characters each ending in {@code "\n"}, and {@code
 * "-----END PUBLIC KEY-----\n"}.
 *
 * <p>This is what {@code model_signing} (sign_ec_key.py, {@code public_bytes(PEM,
 * SubjectPublicKeyInfo)}) hashes, and it reproduces the hint {@code e8450dec…3f8e} of the OMS v1.0
 * {@code key} vector; a hash of the DER bytes alone does not. Pure and thread-safe.
 */
public final class KeyHint {
  private static final Base64.Encoder PEM_BASE64 =
      Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));

  private KeyHint() {}

  /** Returns the hint of {@code key}, whose {@link PublicKey#getEncoded()} must be X.509 SPKI. */
  public static String of(PublicKey key) {
    Objects.requireNonNull(key, "key");
    if (!"X.509".equals(key.getFormat())) {
      throw new IllegalArgumentException(
          "public key encoding: expected X.509 SubjectPublicKeyInfo, got " + key.getFormat());
    }
    return ofSubjectPublicKeyInfo(key.getEncoded());
  }

  /** Returns the hint of a DER-encoded SubjectPublicKeyInfo. */
  public static String ofSubjectPublicKeyInfo(byte[] der) {
    return HexFormat.of().formatHex(sha256(pem(der).getBytes(StandardCharsets.US_ASCII)));
  }

  /** The PEM text of a DER SubjectPublicKeyInfo, exactly as the hint hashes it. */
  public static String pem(byte[] der) {
    Objects.requireNonNull(der, "der");
    return "-----BEGIN PUBLIC KEY-----\n"
        + PEM_BASE64.encodeToString(der)
        + "\n-----END PUBLIC KEY-----\n";
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
