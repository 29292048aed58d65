package org.sentryml.confidential.tee;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Objects;
import java.util.SequencedMap;

/**
 * What verified evidence says about the environment that produced it. Only a verifier makes claims,
 * after every signature, certificate chain and binding in the evidence checked out; what they are
 * worth (the measurements expected, the minimum TCB, whether the TCB is current) is a policy's
 * decision. Immutable.
 *
 * @param type the kind of evidence
 * @param measurement the measurement a policy compares first: TDX MRTD, SGX MRENCLAVE, SNP
 *     MEASUREMENT, NVIDIA SHA-384 of the signed measurement record, sample the software digest
 * @param measurements every measured value by name, in evidence order (docs/ATTESTATION.md lists
 *     the names per type)
 * @param tcb the trusted computing base's versions by name: SVNs, firmware versions, and what a
 *     {@link TcbEvaluator} needs to look them up in vendor collateral
 * @param debug whether the environment can be debugged
 * @param reportData the evidence's 64-byte report data (NVIDIA: the 32-byte request nonce)
 */
public record Claims(
    EvidenceType type,
    Octets measurement,
    SequencedMap<String, ClaimValue> measurements,
    SequencedMap<String, ClaimValue> tcb,
    DebugFlag debug,
    Octets reportData) {

  public Claims {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(measurement, "measurement");
    Objects.requireNonNull(debug, "debug");
    Objects.requireNonNull(reportData, "reportData");
    measurements = Collections.unmodifiableSequencedMap(new LinkedHashMap<>(measurements));
    tcb = Collections.unmodifiableSequencedMap(new LinkedHashMap<>(tcb));
  }

  /**
   * Whether the report data binds this evidence to {@code nonce} and the TEE's ephemeral key, as
   * the KBS protocol defines it ({@link RuntimeData}); compared in constant time.
   *
   * @param teePubkeyJwk the JWK text from the attestation's {@code runtime-data.tee-pubkey}
   * @throws org.sentryml.core.errors.MalformedInputException when the JWK is not in the protocol's
   *     key format
   */
  public boolean bindsNonceAndKey(String nonce, String teePubkeyJwk) {
    return RuntimeData.reportData(nonce, teePubkeyJwk, reportData.length()).matches(reportData);
  }
}
