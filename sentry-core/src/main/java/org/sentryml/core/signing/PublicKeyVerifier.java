package org.sentryml.core.signing;

import java.security.MessageDigest;
import java.security.PublicKey;
import org.sentryml.core.attestation.KeyHint;
import org.sentryml.core.attestation.MaterialKind;
import org.sentryml.core.attestation.SigstoreBundle;
import org.sentryml.core.errors.VerificationFailedException;

/** Verifies {@code private-key} bundles with a known ECDSA public key. */
public final class PublicKeyVerifier implements StatementVerifier {
  private final PublicKey publicKey;
  private final String hint;

  public PublicKeyVerifier(PublicKey publicKey) {
    EcCurve.of(publicKey);
    this.publicKey = publicKey;
    this.hint = KeyHint.of(publicKey);
  }

  @Override
  public byte[] verify(byte[] signatureFile) {
    SigstoreBundle bundle =
        BundleStatements.read(signatureFile, MaterialKind.PUBLIC_KEY, "private-key");
    if (!bundle.keyHint().isEmpty() && !bundle.keyHint().equals(hint)) {
      throw new VerificationFailedException(
          "the bundle was signed by another key (key hint "
              + bundle.keyHint()
              + ", the given public key's is "
              + hint
              + ")");
    }
    if (bundle.rawPublicKey().length > 0
        && !MessageDigest.isEqual(bundle.rawPublicKey(), publicKey.getEncoded())) {
      throw new VerificationFailedException(
          "the bundle names another public key than the one given");
    }
    byte[] signature = bundle.envelope().signatures().get(0).sig();
    if (!Ecdsa.verify(publicKey, bundle.envelope().pae(), signature)) {
      throw BundleStatements.badSignature("the given public key (hint " + hint + ")");
    }
    return bundle.envelope().payload();
  }

  @Override
  public String describe() {
    return "signature verified with public key " + hint.substring(0, 16) + "…";
  }
}
