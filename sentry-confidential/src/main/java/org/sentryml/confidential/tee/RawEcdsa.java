package org.sentryml.confidential.tee;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.InvalidKeySpecException;
import java.util.Arrays;

/**
 * ECDSA as the vendors' evidence formats encode it: signatures as the raw big-endian {@code r ‖ s}
 * pair (IEEE P1363), keys as the raw {@code x ‖ y} coordinates. Verification runs on the JDK's own
 * provider. Stateless and thread-safe.
 */
final class RawEcdsa {
  /** ECDSA P-256 with SHA-256 (Intel quotes). */
  static final String P256_SHA256 = "SHA256withECDSAinP1363Format";

  /** ECDSA P-384 with SHA-384 (AMD reports, NVIDIA SPDM). */
  static final String P384_SHA384 = "SHA384withECDSAinP1363Format";

  private RawEcdsa() {}

  /**
   * The P-256 public key with coordinates {@code xy} (32 bytes each, big-endian), or null when they
   * are not a point the JDK accepts.
   */
  static PublicKey p256Key(byte[] xy) {
    try {
      AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
      parameters.init(new ECGenParameterSpec("secp256r1"));
      ECParameterSpec curve = parameters.getParameterSpec(ECParameterSpec.class);
      ECPoint point =
          new ECPoint(
              new BigInteger(1, Arrays.copyOfRange(xy, 0, 32)),
              new BigInteger(1, Arrays.copyOfRange(xy, 32, 64)));
      return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, curve));
    } catch (InvalidKeySpecException e) {
      return null;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("P-256 is mandatory in every Java runtime", e);
    }
  }

  /**
   * Whether {@code signature} ({@code r ‖ s}) is {@code key}'s signature over {@code message};
   * false for any other bytes, a key of the wrong kind included.
   */
  static boolean verify(String algorithm, PublicKey key, byte[] message, byte[] signature) {
    try {
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(key);
      verifier.update(message);
      return verifier.verify(signature);
    } catch (SignatureException | InvalidKeyException e) {
      return false;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(algorithm + " is mandatory in every Java runtime", e);
    }
  }
}
