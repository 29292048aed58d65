package org.sentryml.core.attestation;

/** How a bundle identifies its signer. */
public enum MaterialKind {
  /** {@code verificationMaterial.publicKey}: a key hint (or, in older bundles, the key itself). */
  PUBLIC_KEY,
  /** {@code verificationMaterial.x509CertificateChain} without transparency-log entries (PKI). */
  CERTIFICATE_CHAIN,
  /**
   * A Fulcio certificate (or chain) with at least one transparency-log entry (Sigstore keyless).
   */
  KEYLESS
}
