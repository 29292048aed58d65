package org.sentryml.confidential.broker;

import com.google.crypto.tink.KeysetHandle;
import com.google.gson.JsonObject;
import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDHDecrypter;
import com.nimbusds.jose.crypto.ECDHEncrypter;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.text.ParseException;
import java.util.Set;
import org.sentryml.confidential.encryption.StreamingScheme;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.VerificationFailedException;
import org.sentryml.core.json.JsonFields;

/**
 * A data keyset as the protocol's resource response: a JWE ({@value KbsProtocol#KEY_ALGORITHM},
 * {@value KbsProtocol#CONTENT_ENCRYPTION}) to the TEE's ephemeral public key, in the flattened JSON
 * serialization ({@code protected}, {@code encrypted_key}, {@code iv}, {@code ciphertext}, {@code
 * tag}; the protected header is the only associated data, so there is no {@code aad} member). The
 * payload is Tink's JSON keyset. Stateless and thread-safe.
 */
public final class KeysetJwe {
  private static final String WHAT = "KBS resource response";
  private static final Set<String> MEMBERS =
      Set.of("protected", "encrypted_key", "iv", "ciphertext", "tag");
  private static final Set<Curve> CURVES = Set.of(Curve.P_256, Curve.P_384, Curve.P_521);

  private KeysetJwe() {}

  /**
   * The tee-pubkey as a key to encrypt to.
   *
   * @throws MalformedInputException unless it is a public EC key on P-256, P-384 or P-521 with
   *     {@code alg} {@value KbsProtocol#KEY_ALGORITHM}
   */
  static ECKey recipient(String teePubkeyJwk) {
    ECKey key;
    try {
      key = ECKey.parse(teePubkeyJwk);
    } catch (ParseException e) {
      throw new MalformedInputException(
          "tee-pubkey: not an EC public key the JWE can be encrypted to: " + e.getMessage(), e);
    }
    if (key.isPrivate() || !CURVES.contains(key.getCurve())) {
      throw new MalformedInputException(
          "tee-pubkey: must be a public key on P-256, P-384 or P-521");
    }
    if (key.getAlgorithm() == null
        || !KbsProtocol.KEY_ALGORITHM.equals(key.getAlgorithm().getName())) {
      throw new MalformedInputException(
          "tee-pubkey: alg must be " + KbsProtocol.KEY_ALGORITHM + ", the JWE's key management");
    }
    return key;
  }

  /** {@code keyset} encrypted to {@code recipient}, as the flattened JSON body. */
  static byte[] encrypt(KeysetHandle keyset, ECKey recipient) {
    JWEObject jwe =
        new JWEObject(
            new JWEHeader(JWEAlgorithm.ECDH_ES_A256KW, EncryptionMethod.A256GCM),
            new Payload(StreamingScheme.exportForRelease(keyset)));
    try {
      jwe.encrypt(new ECDHEncrypter(recipient));
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot encrypt a JWE to a validated EC key", e);
    }
    String[] parts = jwe.serialize().split("\\.", -1);
    JsonObject json = new JsonObject();
    json.addProperty("protected", parts[0]);
    json.addProperty("encrypted_key", parts[1]);
    json.addProperty("iv", parts[2]);
    json.addProperty("ciphertext", parts[3]);
    json.addProperty("tag", parts[4]);
    return Messages.bytes(json);
  }

  /**
   * The keyset in a resource response, decrypted with {@code key}.
   *
   * @throws MalformedInputException when the body is not such a JWE or its payload no keyset
   * @throws VerificationFailedException when it does not decrypt with {@code key}: it was made for
   *     another key, or changed
   */
  public static KeysetHandle decrypt(byte[] body, EphemeralKey key) {
    JsonObject json = Messages.parse(body, WHAT, MEMBERS);
    JsonFields fields = new JsonFields(json, "", WHAT);
    String compact =
        String.join(
            ".",
            fields.string("protected"),
            fields.string("encrypted_key"),
            fields.string("iv"),
            fields.string("ciphertext"),
            fields.string("tag"));
    JWEObject jwe;
    try {
      jwe = JWEObject.parse(compact);
    } catch (ParseException e) {
      throw new MalformedInputException(WHAT + ": not a JWE: " + e.getMessage(), e);
    }
    if (!JWEAlgorithm.ECDH_ES_A256KW.equals(jwe.getHeader().getAlgorithm())
        || !EncryptionMethod.A256GCM.equals(jwe.getHeader().getEncryptionMethod())) {
      throw new MalformedInputException(
          WHAT
              + ": the JWE is "
              + jwe.getHeader().getAlgorithm()
              + " + "
              + jwe.getHeader().getEncryptionMethod()
              + ", expected "
              + KbsProtocol.KEY_ALGORITHM
              + " + "
              + KbsProtocol.CONTENT_ENCRYPTION);
    }
    try {
      jwe.decrypt(new ECDHDecrypter(key.jwk()));
    } catch (JOSEException e) {
      throw new VerificationFailedException(
          WHAT + ": the JWE does not decrypt with this attestation's ephemeral key", e);
    }
    try {
      return StreamingScheme.importReleased(
          new String(jwe.getPayload().toBytes(), StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new MalformedInputException(WHAT + ": the JWE's payload is not a Tink keyset", e);
    }
  }
}
