package org.sentryml.confidential.tee;

import java.time.Instant;

/**
 * Verifies one type of evidence against the vendor roots pinned in this jar and returns its claims.
 * Implementations are stateless and thread-safe; {@link EvidenceVerifiers} makes them.
 */
public interface EvidenceVerifier {
  /** The type of evidence this verifier accepts. */
  EvidenceType type();

  /**
   * Checks every signature, certificate chain link and binding in {@code evidence}.
   *
   * @param time when the certificates must be valid: now, for fresh evidence; tests pin it, since
   *     the vendors' sample chains expire
   * @return the claims, after every check passed
   * @throws org.sentryml.core.errors.VerificationFailedException naming the check that failed
   * @throws org.sentryml.core.errors.MalformedInputException when the evidence or a certificate
   *     does not parse
   * @throws org.sentryml.core.errors.UsageException for evidence of another type, or certificates
   *     missing where this type needs them (or given where it carries its own)
   */
  Claims verify(Evidence evidence, Instant time);
}
