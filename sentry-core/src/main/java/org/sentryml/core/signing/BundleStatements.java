package org.sentryml.core.signing;

import java.nio.charset.StandardCharsets;
import org.sentryml.core.attestation.BundleReader;
import org.sentryml.core.attestation.DsseEnvelope;
import org.sentryml.core.attestation.MaterialKind;
import org.sentryml.core.attestation.SigstoreBundle;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.errors.VerificationFailedException;

/**
 * Shared steps of the bundle-based methods: read a bundle of the expected kind, envelope a
 * statement.
 */
final class BundleStatements {
  private BundleStatements() {}

  static DsseEnvelope envelope(byte[] statement, byte[] signature) {
    return DsseEnvelope.of(DsseEnvelope.IN_TOTO_PAYLOAD_TYPE, statement, signature);
  }

  /** Parses the bundle and checks it identifies its signer the way {@code method} verifies. */
  static SigstoreBundle read(byte[] signatureFile, MaterialKind expected, String method) {
    SigstoreBundle bundle = BundleReader.read(new String(signatureFile, StandardCharsets.UTF_8));
    if (bundle.kind() != expected) {
      throw new VerificationFailedException(
          "the bundle identifies its signer by "
              + describe(bundle.kind())
              + ", which the "
              + method
              + " method does not check; verify with "
              + methodFor(bundle.kind()));
    }
    return bundle;
  }

  static SentryException badSignature(String who) {
    return new VerificationFailedException("signature does not verify with " + who);
  }

  private static String describe(MaterialKind kind) {
    return switch (kind) {
      case PUBLIC_KEY -> "a public key";
      case CERTIFICATE_CHAIN -> "a certificate chain";
      case KEYLESS -> "a Sigstore (Fulcio) certificate";
    };
  }

  private static String methodFor(MaterialKind kind) {
    return switch (kind) {
      case PUBLIC_KEY -> "private-key --public_key";
      case CERTIFICATE_CHAIN -> "pki --root_certs";
      case KEYLESS -> "sigstore --identity --identity_provider";
    };
  }
}
