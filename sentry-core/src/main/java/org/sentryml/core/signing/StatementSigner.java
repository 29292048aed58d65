package org.sentryml.core.signing;

import org.sentryml.core.errors.UsageException;

/** Turns the bytes of an in-toto statement into the contents of a signature file. */
public interface StatementSigner {
  /** The signature file's contents (a Sigstore bundle, or the bare statement when unsigned). */
  byte[] sign(byte[] statement);

  /**
   * A verifier that accepts exactly the signatures this signer makes (its own key, its own
   * certificate), for re-signing on top of an earlier signature ({@code sentry sign --reuse}).
   *
   * @throws org.sentryml.core.errors.SentryException {@link UsageException} for a method whose
   *     earlier signatures it cannot check itself
   */
  default StatementVerifier ownSignatures() {
    throw new UsageException(
        "--reuse needs the private-key or pki method: this method cannot check an earlier"
            + " signature by itself");
  }
}
