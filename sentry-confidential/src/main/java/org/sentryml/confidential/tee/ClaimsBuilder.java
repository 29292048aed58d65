package org.sentryml.confidential.tee;

import java.util.LinkedHashMap;
import java.util.SequencedMap;

/** Collects named claim values in evidence order; each verifier fills one. Not thread-safe. */
final class ClaimsBuilder {
  private final SequencedMap<String, ClaimValue> measurements = new LinkedHashMap<>();
  private final SequencedMap<String, ClaimValue> tcb = new LinkedHashMap<>();

  ClaimsBuilder measurement(String name, Octets value) {
    return put(measurements, name, new ClaimValue.Bytes(value));
  }

  ClaimsBuilder measurement(String name, long value) {
    return put(measurements, name, new ClaimValue.Numeric(value));
  }

  ClaimsBuilder tcb(String name, long value) {
    return put(tcb, name, new ClaimValue.Numeric(value));
  }

  ClaimsBuilder tcb(String name, Octets value) {
    return put(tcb, name, new ClaimValue.Bytes(value));
  }

  ClaimsBuilder tcb(String name, String value) {
    return put(tcb, name, new ClaimValue.Text(value));
  }

  Claims build(EvidenceType type, Octets measurement, DebugFlag debug, Octets reportData) {
    return new Claims(type, measurement, measurements, tcb, debug, reportData);
  }

  private ClaimsBuilder put(SequencedMap<String, ClaimValue> map, String name, ClaimValue value) {
    if (map.putIfAbsent(name, value) != null) {
      throw new IllegalStateException("claim " + name + " set twice");
    }
    return this;
  }
}
