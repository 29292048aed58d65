package org.sentryml.core.attestation;

import java.util.Objects;

/**
 * A summary of one {@code verificationMaterial.tlogEntries} item. The full entry (inclusion proof,
 * promise, canonicalized body) stays in the bundle's JSON, which keyless verification re-reads.
 *
 * @param logIndex the global log index, or -1 when absent
 * @param kind the entry kind (e.g. {@code dsse}), empty when absent
 * @param version the kind version (e.g. {@code 0.0.1}), empty when absent
 * @param integratedTime seconds since the epoch, or -1 when absent
 */
public record TlogEntry(long logIndex, String kind, String version, long integratedTime) {
  public TlogEntry {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(version, "version");
    if (logIndex < -1 || integratedTime < -1) {
      throw new IllegalArgumentException("tlog entry: negative logIndex or integratedTime");
    }
  }
}
