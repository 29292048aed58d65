package org.sentryml.confidential.tee;

import java.util.Locale;
import org.sentryml.core.errors.UsageException;

/**
 * The kinds of evidence Sentry verifies, named as in the KBS protocol's {@code tee} field. Only
 * {@link #SAMPLE} has no hardware root of trust.
 */
public enum EvidenceType {
  /** An Intel TDX DCAP quote, version 4 or 5. */
  TDX("tdx", "Intel TDX quote"),
  /** An Intel SGX DCAP quote, version 3. */
  SGX("sgx", "Intel SGX quote"),
  /** An AMD SEV-SNP attestation report, signed by a VCEK or VLEK. */
  SNP("snp", "AMD SEV-SNP report"),
  /** An NVIDIA Hopper SPDM GET_MEASUREMENTS request and signed response. */
  NVIDIA("nvidia", "NVIDIA SPDM measurement report"),
  /** A software measurement with no hardware behind it: insecure, for machines without a TEE. */
  SAMPLE("sample", "sample evidence (INSECURE: no hardware root of trust)");

  private final String id;
  private final String displayName;

  EvidenceType(String id, String displayName) {
    this.id = id;
    this.displayName = displayName;
  }

  /** The protocol name: {@code tdx}, {@code sgx}, {@code snp}, {@code nvidia}, {@code sample}. */
  public String id() {
    return id;
  }

  /** What the evidence is, for messages ("Intel TDX quote"). */
  public String displayName() {
    return displayName;
  }

  /** Whether a vendor's hardware key signed the evidence; false only for {@link #SAMPLE}. */
  public boolean hardwareBacked() {
    return this != SAMPLE;
  }

  /**
   * The type named {@code id}, in any case.
   *
   * @throws UsageException for any other name
   */
  public static EvidenceType parse(String id) {
    for (EvidenceType type : values()) {
      if (type.id.equals(id.toLowerCase(Locale.ROOT))) {
        return type;
      }
    }
    throw new UsageException(
        "unknown evidence type '" + id + "'; expected tdx, sgx, snp, nvidia or sample");
  }
}
