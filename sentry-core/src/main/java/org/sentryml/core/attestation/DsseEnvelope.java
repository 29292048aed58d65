package org.sentryml.core.attestation;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A DSSE envelope: the exact payload bytes, their type, and the signatures over {@link
 * Pae#encode(String, byte[]) PAE(payloadType, payload)}. Immutable: byte arrays are copied in and
 * out.
 *
 * @param payloadType the DSSE payload type, e.g. {@value #IN_TOTO_PAYLOAD_TYPE}; not empty
 * @param payload the payload bytes exactly as signed
 * @param signatures at least one signature
 */
public record DsseEnvelope(String payloadType, byte[] payload, List<Signature> signatures) {
  /** The payload type of in-toto statements, the only one OMS bundles may carry. */
  public static final String IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";

  /**
   * One DSSE signature.
   *
   * @param keyid the optional key id; empty when absent
   * @param sig the raw signature bytes (for ECDSA: ASN.1 DER); not empty
   */
  public record Signature(String keyid, byte[] sig) {
    public Signature {
      Objects.requireNonNull(keyid, "keyid");
      Objects.requireNonNull(sig, "sig");
      if (sig.length == 0) {
        throw new IllegalArgumentException("DSSE signature bytes are empty");
      }
      sig = sig.clone();
    }

    @Override
    public byte[] sig() {
      return sig.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Signature other
          && keyid.equals(other.keyid)
          && Arrays.equals(sig, other.sig);
    }

    @Override
    public int hashCode() {
      return keyid.hashCode() * 31 + Arrays.hashCode(sig);
    }

    @Override
    public String toString() {
      return "Signature[keyid=" + keyid + ", sig=" + sig.length + " bytes]";
    }
  }

  public DsseEnvelope {
    Objects.requireNonNull(payloadType, "payloadType");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(signatures, "signatures");
    if (payloadType.isEmpty()) {
      throw new IllegalArgumentException("DSSE payloadType is empty");
    }
    if (signatures.isEmpty()) {
      throw new IllegalArgumentException("DSSE envelope has no signature");
    }
    payload = payload.clone();
    signatures = List.copyOf(signatures);
  }

  /** An envelope with one signature and an empty key id, the form OMS signers produce. */
  public static DsseEnvelope of(String payloadType, byte[] payload, byte[] sig) {
    return new DsseEnvelope(payloadType, payload, List.of(new Signature("", sig)));
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }

  /** The bytes the signatures cover: {@code Pae.encode(payloadType, payload)}. */
  public byte[] pae() {
    return Pae.encode(payloadType, payload);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DsseEnvelope other
        && payloadType.equals(other.payloadType)
        && Arrays.equals(payload, other.payload)
        && signatures.equals(other.signatures);
  }

  @Override
  public int hashCode() {
    return (payloadType.hashCode() * 31 + Arrays.hashCode(payload)) * 31 + signatures.hashCode();
  }

  @Override
  public String toString() {
    return "DsseEnvelope[payloadType="
        + payloadType
        + ", payload="
        + payload.length
        + " bytes, signatures="
        + signatures
        + "]";
  }
}
