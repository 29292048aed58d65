package org.sentryml.core.attestation;

import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A structurally valid Sigstore bundle carrying a DSSE envelope, as {@link BundleReader} returns
 * it. Structural validity says nothing about the signature: verifiers check that.
 *
 * @param mediaType one of {@link BundleMediaType#READABLE}
 * @param envelope the DSSE envelope, with exactly one signature and the in-toto payload type
 * @param kind how the signer is identified
 * @param keyHint the public-key hint; empty unless {@code kind} is {@link MaterialKind#PUBLIC_KEY}
 *     and the bundle has one
 * @param rawPublicKey the DER SubjectPublicKeyInfo of older public-key bundles ({@code rawBytes});
 *     empty when absent
 * @param certificates leaf first; empty for {@link MaterialKind#PUBLIC_KEY}
 * @param tlogEntries transparency-log entries: at least one for {@link MaterialKind#KEYLESS}, none
 *     for {@link MaterialKind#CERTIFICATE_CHAIN}
 * @param json the bundle text as read
 */
public record SigstoreBundle(
    String mediaType,
    DsseEnvelope envelope,
    MaterialKind kind,
    String keyHint,
    byte[] rawPublicKey,
    List<X509Certificate> certificates,
    List<TlogEntry> tlogEntries,
    String json) {

  public SigstoreBundle {
    Objects.requireNonNull(mediaType, "mediaType");
    Objects.requireNonNull(envelope, "envelope");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(keyHint, "keyHint");
    Objects.requireNonNull(rawPublicKey, "rawPublicKey");
    Objects.requireNonNull(json, "json");
    certificates = List.copyOf(certificates);
    tlogEntries = List.copyOf(tlogEntries);
    rawPublicKey = rawPublicKey.clone();
    boolean keyKind = kind == MaterialKind.PUBLIC_KEY;
    if (keyKind != certificates.isEmpty()) {
      throw new IllegalArgumentException(
          "bundle of kind " + kind + " with " + certificates.size() + " certificates");
    }
    if (!keyKind && (!keyHint.isEmpty() || rawPublicKey.length > 0)) {
      throw new IllegalArgumentException("bundle of kind " + kind + " with a public key");
    }
    boolean tlogMismatch =
        switch (kind) {
          case KEYLESS -> tlogEntries.isEmpty();
          case CERTIFICATE_CHAIN -> !tlogEntries.isEmpty();
          case PUBLIC_KEY -> false;
        };
    if (tlogMismatch) {
      throw new IllegalArgumentException(
          "bundle of kind " + kind + " with " + tlogEntries.size() + " tlog entries");
    }
  }

  @Override
  public byte[] rawPublicKey() {
    return rawPublicKey.clone();
  }

  /** The leaf (signing) certificate. */
  public X509Certificate leafCertificate() {
    if (certificates.isEmpty()) {
      throw new IllegalStateException("a " + kind + " bundle has no certificate");
    }
    return certificates.get(0);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SigstoreBundle other
        && json.equals(other.json)
        && Arrays.equals(rawPublicKey, other.rawPublicKey);
  }

  @Override
  public int hashCode() {
    return json.hashCode();
  }

  @Override
  public String toString() {
    return "SigstoreBundle[mediaType="
        + mediaType
        + ", kind="
        + kind
        + ", keyHint="
        + keyHint
        + ", certificates="
        + certificates.size()
        + ", tlogEntries="
        + tlogEntries.size()
        + ", envelope="
        + envelope
        + "]";
  }
}
