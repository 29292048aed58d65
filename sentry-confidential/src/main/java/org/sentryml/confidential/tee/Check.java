package org.sentryml.confidential.tee;

import org.sentryml.core.errors.VerificationFailedException;

/**
 * The checks a verifier makes, each with the name a refusal reports, so that a script (or a person
 * reading the key server's audit log) can tell which one failed. docs/ATTESTATION.md lists which
 * checks each evidence type passes through, in order.
 */
enum Check {
  /** The chain ends in the vendor root pinned in this jar, never in one the evidence carries. */
  ROOT_PIN("root-pin"),
  /** Every link is signed by the next, valid at the time given, and issued by a CA allowed to. */
  CERTIFICATE_CHAIN("certificate-chain"),
  /** An Intel quote's header names Intel's quoting enclave vendor. */
  QE_VENDOR("qe-vendor"),
  /** The PCK certificate's key signed the quoting enclave's report. */
  QE_REPORT_SIGNATURE("qe-report-signature"),
  /** The quoting enclave is Intel's (its signer and product id) and not debuggable. */
  QE_IDENTITY("qe-identity"),
  /** The quoting enclave's report data is the hash of the attestation key and its auth data. */
  ATTESTATION_KEY_BINDING("attestation-key-binding"),
  /** The attestation key signed the quote's header and body. */
  QUOTE_SIGNATURE("quote-signature"),
  /** An SNP report names as its signer the kind of key (VCEK or VLEK) whose certificate came. */
  SIGNING_KEY("signing-key"),
  /** The endorsement certificate names the product line whose AMD key signed it. */
  PRODUCT_LINE("product-line"),
  /** The VCEK or VLEK was issued for the TCB the report says it was signed under. */
  TCB_BINDING("tcb-binding"),
  /** The VCEK was issued for the chip the report names. */
  CHIP_ID("chip-id"),
  /** The endorsed key signed the report (SNP) or the measurement transcript (NVIDIA). */
  REPORT_SIGNATURE("report-signature"),
  /** The NVIDIA device certificate was issued for the firmware the report names. */
  FWID("fwid");

  private final String id;

  Check(String id) {
    this.id = id;
  }

  /** The name a refusal reports. */
  String id() {
    return id;
  }

  /** The refusal of {@code type}'s evidence by this check, saying why. */
  VerificationFailedException failed(EvidenceType type, String why) {
    return new VerificationFailedException(
        type.displayName() + " refused, check " + id + " failed: " + why);
  }
}
