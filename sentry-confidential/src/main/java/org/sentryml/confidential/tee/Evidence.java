package org.sentryml.confidential.tee;

import java.util.Objects;
import org.sentryml.core.errors.UsageException;

/**
 * Evidence as an attester produced it, with the certificates that endorse it when it does not carry
 * them itself.
 *
 * @param report the evidence's bytes: a TDX or SGX quote, an SNP report, an NVIDIA report (hex text
 *     or binary), sample evidence JSON
 * @param certificates SNP: the VCEK or VLEK (DER or PEM); NVIDIA: the device certificate chain
 *     (PEM, leaf first); empty for TDX and SGX quotes, which carry their PCK chain, and for sample
 *     evidence
 */
public record Evidence(EvidenceType type, Octets report, Octets certificates) {
  public Evidence {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(report, "report");
    Objects.requireNonNull(certificates, "certificates");
  }

  /** Evidence that needs no certificates beside it. */
  public static Evidence of(EvidenceType type, byte[] report) {
    return new Evidence(type, Octets.of(report), Octets.EMPTY);
  }

  /** Refuses evidence of another type than {@code verifier}'s. */
  void requireType(EvidenceVerifier verifier) {
    if (type != verifier.type()) {
      throw new UsageException(
          "the " + verifier.type().id() + " verifier was given " + type.id() + " evidence");
    }
  }

  /** Refuses certificates beside evidence that carries its own (or needs none). */
  void requireNoCertificates(String why) {
    if (certificates.length() > 0) {
      throw new UsageException(
          "no certificate chain is taken with " + type.displayName() + ": " + why);
    }
  }
}
