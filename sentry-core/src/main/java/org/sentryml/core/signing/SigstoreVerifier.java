package org.sentryml.core.signing;

import java.util.HexFormat;
import org.sentryml.core.attestation.KeylessIdentity;
import org.sentryml.core.attestation.KeylessVerification;
import org.sentryml.core.attestation.MaterialKind;
import org.sentryml.core.attestation.SigstoreBundle;
import org.sentryml.core.attestation.StatementParser;

/**
 * Verifies {@code sigstore} (keyless) bundles: Fulcio certificate, transparency-log entry and
 * signature through sigstore-java, then the signer's identity and OIDC issuer.
 */
public final class SigstoreVerifier implements StatementVerifier {
  private final KeylessVerification verification;
  private final KeylessIdentity expected;

  public SigstoreVerifier(KeylessVerification verification, String identity, String issuer) {
    this.verification = verification;
    this.expected = new KeylessIdentity(identity, issuer);
  }

  @Override
  public byte[] verify(byte[] signatureFile) {
    SigstoreBundle bundle = BundleStatements.read(signatureFile, MaterialKind.KEYLESS, "sigstore");
    String subject = StatementParser.parse(bundle.envelope()).subjectSha256();
    verification.verify(bundle, HexFormat.of().parseHex(subject), expected);
    return bundle.envelope().payload();
  }

  @Override
  public String describe() {
    return "Sigstore signature verified for "
        + expected.identity()
        + " (issuer "
        + expected.issuer()
        + ")";
  }
}
