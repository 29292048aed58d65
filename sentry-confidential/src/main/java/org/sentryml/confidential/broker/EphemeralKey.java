package org.sentryml.confidential.broker;

import com.google.gson.JsonObject;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;

/**
 * The TEE's ephemeral key of one attestation: a fresh P-256 key pair whose public half goes into
 * {@code runtime-data.tee-pubkey} (exactly the protocol's EC members: {@code kty}, {@code crv},
 * {@code alg} {@value KbsProtocol#KEY_ALGORITHM}, {@code x}, {@code y}) and whose private half
 * unwraps the keysets the key server releases. It never leaves memory. Immutable.
 */
public final class EphemeralKey {
  private final ECKey key;

  private EphemeralKey(ECKey key) {
    this.key = key;
  }

  /** A new key pair. */
  public static EphemeralKey generate() {
    try {
      return new EphemeralKey(new ECKeyGenerator(Curve.P_256).generate());
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot generate a P-256 key", e);
    }
  }

  /** The public key as the protocol's JWK text. */
  public String publicJwk() {
    ECKey pub = key.toPublicJWK();
    JsonObject jwk = new JsonObject();
    jwk.addProperty("kty", "EC");
    jwk.addProperty("crv", pub.getCurve().getName());
    jwk.addProperty("alg", KbsProtocol.KEY_ALGORITHM);
    jwk.addProperty("x", pub.getX().toString());
    jwk.addProperty("y", pub.getY().toString());
    return Messages.text(jwk);
  }

  /** The key pair, for decrypting a JWE. */
  ECKey jwk() {
    return key;
  }
}
