package org.sentryml.confidential.tee;

/**
 * Produces evidence of the environment this program runs in, bound to one KBS attestation: the
 * report data it asks the TEE to sign is {@link RuntimeData#reportData} of the challenge's nonce
 * and the ephemeral key the program will receive secrets under.
 */
public interface Attester {
  /**
   * Evidence for one attestation.
   *
   * @param nonce the KBS challenge's nonce, as received
   * @param teePubkeyJwk the ephemeral public key, as the JWK text sent in {@code runtime-data}
   * @throws org.sentryml.core.errors.BackendUnavailableException when this machine cannot produce
   *     this kind of evidence
   */
  Evidence evidence(String nonce, String teePubkeyJwk);
}
