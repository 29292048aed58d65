package org.sentryml.core.signing;

/** Checks a signature file and returns the statement it vouches for. */
public interface StatementVerifier {
  /**
   * The statement bytes, once the signature over them is verified.
   *
   * @throws org.sentryml.core.errors.SentryException BAD_INPUT for a malformed file,
   *     VERIFICATION_FAILED for a signature or identity that does not verify
   */
  byte[] verify(byte[] signatureFile);

  /** A line for the user saying what was checked, e.g. {@code signature by public key ...}. */
  String describe();
}
