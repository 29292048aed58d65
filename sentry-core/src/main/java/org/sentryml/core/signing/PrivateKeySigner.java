package org.sentryml.core.signing;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
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
    EcCurve.of(publicKey);
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

  /** Q = d·G on the key's own curve. */
  static PublicKey publicKeyOf(PrivateKey key) {
    if (!(key instanceof ECPrivateKey ec)) {
      throw new MalformedInputException(
          "the private key is not an EC key (" + key.getAlgorithm() + ")");
    }
    try {
      org.bouncycastle.jce.spec.ECParameterSpec bc =
          org.bouncycastle.jcajce.provider.asymmetric.util.EC5Util.convertSpec(ec.getParams());
      org.bouncycastle.math.ec.ECPoint q = bc.getG().multiply(ec.getS()).normalize();
      ECPoint point =
          new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
      return KeyFactory.getInstance("EC")
          .generatePublic(new ECPublicKeySpec(point, ec.getParams()));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("cannot derive the public key of a valid EC private key", e);
    }
  }
}
