package org.sentryml.confidential.tee;

import java.util.Objects;

/**
 * Whether a platform's TCB is current by its vendor's collateral (Intel's TCB Info and QE Identity,
 * AMD's KDS), as a {@link TcbEvaluator} judged it.
 *
 * @param detail the vendor's own status name and advisories, or why nothing was checked
 */
public record TcbStatus(Verdict verdict, String detail) {
  /** The answer {@link TcbEvaluator#NOT_CHECKED} gives. */
  public static final TcbStatus NOT_CHECKED =
      new TcbStatus(Verdict.NOT_CHECKED, "not checked against collateral");

  /** The kinds of answer. */
  public enum Verdict {
    /** Every component is at or above the collateral's latest TCB level. */
    UP_TO_DATE,
    /** Some component is below the latest level, or needs configuration or hardening. */
    OUT_OF_DATE,
    /** The collateral lists the platform's TCB level or key as revoked. */
    REVOKED,
    /** No collateral was consulted: the claims' TCB values are reported, not judged. */
    NOT_CHECKED
  }

  public TcbStatus {
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(detail, "detail");
  }
}
