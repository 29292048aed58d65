package org.sentryml.core.signing;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.util.Objects;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.SentryException;

/**
 * ECDSA signatures in ASN.1 DER form ({@code SEQUENCE { r INTEGER, s INTEGER }}), hashing the
 * message with the hash {@link EcCurve} assigns to the key's curve.
 *
 * <p>Stateless and thread-safe; each call uses its own {@link Signature} engine.
 */
public final class Ecdsa {
  private Ecdsa() {}

  /**
   * Signs {@code message} (the exact bytes, hashed here) with a P-256, P-384 or P-521 key.
   *
   * @return the DER-encoded signature; randomized, so two calls give different bytes
   * @throws MalformedInputException for a key of another type or curve
   */
  public static byte[] sign(PrivateKey key, byte[] message) {
    Objects.requireNonNull(message, "message");
    EcCurve curve =
        EcCurve.find(Objects.requireNonNull(key, "key"))
            .orElseThrow(() -> unsupported(EcCurve.describe(key)));
    try {
      Signature signer = Signature.getInstance(curve.signatureAlgorithm());
      signer.initSign(key);
      signer.update(message);
      return signer.sign();
    } catch (InvalidKeyException e) {
      throw unsupported("EC private key that the JDK cannot use");
    } catch (GeneralSecurityException e) {
      // The three curves and their hashes are mandatory in every Java SE runtime.
      throw new IllegalStateException("ECDSA on " + curve.displayName() + " is unavailable", e);
    }
  }

  /**
   * Checks a DER signature over {@code message} with {@code key}.
   *
   * @return {@code true} only if the signature is valid for this key, curve hash and message;
   *     {@code false} for any other signature bytes, malformed or truncated ones included
   * @throws MalformedInputException for a key of another type or curve
   */
  public static boolean verify(PublicKey key, byte[] message, byte[] signature) {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(signature, "signature");
    EcCurve curve = EcCurve.of(Objects.requireNonNull(key, "key"));
    try {
      Signature verifier = Signature.getInstance(curve.signatureAlgorithm());
      verifier.initVerify(key);
      verifier.update(message);
      return verifier.verify(signature);
    } catch (SignatureException e) {
      return false;
    } catch (InvalidKeyException e) {
      throw unsupported("EC public key that the JDK cannot use");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ECDSA on " + curve.displayName() + " is unavailable", e);
    }
  }

  private static SentryException unsupported(String what) {
    return new MalformedInputException(
        "unsupported ECDSA key (" + what + "); expected P-256, P-384 or P-521");
  }
}
