package org.sentryml.confidential.tee;

import java.time.Instant;

/**
 * Reads {@link SampleEvidence}: there is nothing to verify, since nothing signs it, so its claims
 * say only what the sample attester wrote. They exist so that a key server can treat sample
 * evidence like the others where a key's policy allows it ({@code "allow_insecure_sample": true});
 * the claims' type, {@link EvidenceType#SAMPLE}, is never {@link EvidenceType#hardwareBacked}.
 */
final class SampleVerifier implements EvidenceVerifier {
  @Override
  public EvidenceType type() {
    return EvidenceType.SAMPLE;
  }

  @Override
  public Claims verify(Evidence evidence, Instant time) {
    evidence.requireType(this);
    evidence.requireNoCertificates("nothing endorses sample evidence");
    SampleEvidence sample = SampleEvidence.parse(evidence.report().toByteArray());
    return new ClaimsBuilder()
        .measurement("software", sample.measurement())
        .tcb("root_of_trust", "none")
        .build(type(), sample.measurement(), DebugFlag.NOT_REPORTED, sample.reportData());
  }
}
