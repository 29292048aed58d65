package org.sentryml.confidential.tee;

/**
 * Whether the evidence says its environment can be debugged: a debuggable TD, enclave or guest lets
 * its host read its memory, so a key-release policy refuses it.
 */
public enum DebugFlag {
  /** The debug bit is set (TDX TD_ATTRIBUTES.DEBUG, SGX ATTRIBUTES.DEBUG, SNP policy DEBUG). */
  SET,
  /** The debug bit is clear. */
  CLEAR,
  /**
   * The evidence has no debug bit (NVIDIA's SPDM measurements, sample evidence): a policy that
   * refuses debugging must decide on the measurements instead.
   */
  NOT_REPORTED
}
