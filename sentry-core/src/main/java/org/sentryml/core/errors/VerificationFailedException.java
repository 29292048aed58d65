package org.sentryml.core.errors;

/**
 * What was checked does not hold: a digest, a signature, a certificate chain, an attestation or a
 * policy refused the artifact. The input itself was well formed.
 */
public final class VerificationFailedException extends SentryException {
  private static final long serialVersionUID = 1L;

  public VerificationFailedException(String message) {
    super(message, null, null);
  }

  public VerificationFailedException(String message, Throwable cause) {
    super(message, null, cause);
  }

  @Override
  public VerificationFailedException withContext(String context) {
    return new VerificationFailedException(context + ": " + getMessage(), this);
  }
}
