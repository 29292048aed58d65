package org.sentryml.core.manifest;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** How a model is serialized into a signed manifest (DESIGN §5). */
public enum SerializationMethod {
  /** OMS {@code files}: one plain sha256 or blake2b digest per file. */
  FILES(true),
  /** OMS {@code shards}: one plain digest per {@code path:start:end} shard of each file. */
  SHARDS(true),
  /** Sentry: one RFC 6962 Merkle root per resource of a workflow. */
  MERKLE(false),
  /** Sentry: one LtHash16 per resource of a workflow. */
  LATTICE(false);

  private final boolean oms;

  SerializationMethod(boolean oms) {
    this.oms = oms;
  }

  /** Whether statements of this method use the OMS predicate type, readable by model_signing. */
  public boolean oms() {
    return oms;
  }

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<SerializationMethod> byId(String id) {
    return Arrays.stream(values()).filter(m -> m.id().equals(id)).findFirst();
  }

  public static String ids() {
    return Arrays.stream(values()).map(SerializationMethod::id).collect(Collectors.joining(", "));
  }
}
