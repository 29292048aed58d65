package org.sentryml.confidential.tee;

/**
 * The extension point for judging a verified platform's TCB against vendor collateral. The
 * verifiers check signatures and chains offline and report the TCB values as claims; whether those
 * values are current needs the vendor's latest collateral for that platform, which changes over
 * time and is fetched from the network: for TDX and SGX, Intel's TCB Info for the claims' {@code
 * pck.fmspc} (matching {@code pck.cpu_svn}, {@code pck.pce_svn} and, for TDX, {@code tee_tcb_svn})
 * and the QE Identity (matching {@code qe.isv_svn}); for SNP, AMD's current TCB for the {@code
 * product} line against {@code reported_tcb.*}; for NVIDIA, the reference integrity manifests for
 * {@code driver_version} and {@code vbios_version}. An implementation is given the claims of
 * evidence that has already verified.
 *
 * <p>The default, {@link #NOT_CHECKED}, consults nothing and says so; a key-release policy that
 * needs a current TCB must be given an evaluator that does.
 */
@FunctionalInterface
public interface TcbEvaluator {
  /** Consults no collateral: every answer is {@link TcbStatus#NOT_CHECKED}. */
  TcbEvaluator NOT_CHECKED = claims -> TcbStatus.NOT_CHECKED;

  /** The status of the TCB that {@code claims} report. */
  TcbStatus evaluate(Claims claims);
}
