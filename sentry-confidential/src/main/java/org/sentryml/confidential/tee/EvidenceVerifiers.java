package org.sentryml.confidential.tee;

import java.time.Instant;

/** The verifier of each evidence type, each with the vendor roots pinned in this jar. */
public final class EvidenceVerifiers {
  private EvidenceVerifiers() {}

  /** The verifier of {@code type}'s evidence. */
  public static EvidenceVerifier forType(EvidenceType type) {
    return switch (type) {
      case TDX -> new TdxVerifier();
      case SGX -> new SgxVerifier();
      case SNP -> new SnpVerifier();
      case NVIDIA -> new NvidiaVerifier();
      case SAMPLE -> new SampleVerifier();
    };
  }

  /** Verifies {@code evidence} with the verifier of its type (see {@link EvidenceVerifier}). */
  public static Claims verify(Evidence evidence, Instant time) {
    return forType(evidence.type()).verify(evidence, time);
  }
}
