package org.sentryml.core.signing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.sentryml.core.attestation.BundleWriter;
import org.sentryml.core.attestation.DsseEnvelope;
import org.sentryml.core.attestation.Pae;
import org.sentryml.core.errors.MalformedInputException;

/**
 * The {@code private-key} method: ECDSA over the DSSE PAE, written as a public-key bundle whose
 * hint identifies the key (the OMS rule). The public key is derived from the private key.
 */
public final class PrivateKeySigner implements StatementSigner {
  private final PrivateKey privateKey;
  private final PublicKey publicKey;

  public PrivateKeySigner(PrivateKey privateKey) {
    this.privateKey = privateKey;
    this.publicKey = publicKeyOf(privateKey);
  }

  @Override
  public byte[] sign(byte[] statement) {
    byte[] pae = Pae.encode(DsseEnvelope.IN_TOTO_PAYLOAD_TYPE, statement);
    DsseEnvelope envelope = BundleStatements.envelope(statement, Ecdsa.sign(privateKey, pae));
    return BundleWriter.writePublicKey(envelope, publicKey).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public StatementVerifier ownSignatures() {
    return new PublicKeyVerifier(publicKey);
  }

  /**
   * Q = d·G on the key's own curve. Only that curve's parameters are built (Bouncy Castle's EC5Util
   * would build every curve it knows first: about 30 ms of every signing start), and the
   * fixed-point comb multiplier is the one Bouncy Castle's key generator uses, whose regular
   * schedule does not branch on the bits of the secret scalar.
   */
  static PublicKey publicKeyOf(PrivateKey key) {
    if (!(key instanceof ECPrivateKey ec)) {
      throw new MalformedInputException(
          "the private key is not an EC key (" + key.getAlgorithm() + ")");
    }
    EcCurve curve =
        EcCurve.find(ec)
            .orElseThrow(
                () ->
                    new MalformedInputException(
                        "unsupported private key: "
                            + EcCurve.describe(ec)
                            + "; expected ECDSA P-256, P-384 or P-521"));
    X9ECParameters parameters = CustomNamedCurves.getByOID(new ASN1ObjectIdentifier(curve.oid()));
    org.bouncycastle.math.ec.ECPoint q =
        new FixedPointCombMultiplier().multiply(parameters.getG(), ec.getS()).normalize();
    ECPoint point =
        new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
    try {
      return KeyFactory.getInstance("EC")
          .generatePublic(new ECPublicKeySpec(point, ec.getParams()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot derive the public key of a valid EC private key", e);
    }
  }
}
