package org.sentryml.confidential.broker;

import java.util.Objects;

/**
 * What a {@link KeyPolicy} says about releasing one key: allowed, or refused with the reason (for
 * the audit log and the client's problem detail; never key material).
 */
public record PolicyDecision(Verdict verdict, String reason) {
  /** The kinds of answer. */
  public enum Verdict {
    /** Every rule of the key's policy holds. */
    ALLOWED,
    /** The client certificate is not one the key's policy names, or the key has no policy: 403. */
    NOT_GRANTED,
    /** The client is granted the key, but its evidence does not satisfy the policy: 401. */
    EVIDENCE_REFUSED
  }

  public PolicyDecision {
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(reason, "reason");
  }

  static PolicyDecision allowed(String why) {
    return new PolicyDecision(Verdict.ALLOWED, why);
  }

  static PolicyDecision notGranted(String why) {
    return new PolicyDecision(Verdict.NOT_GRANTED, why);
  }

  static PolicyDecision evidenceRefused(String why) {
    return new PolicyDecision(Verdict.EVIDENCE_REFUSED, why);
  }

  public boolean allowed() {
    return verdict == Verdict.ALLOWED;
  }
}
