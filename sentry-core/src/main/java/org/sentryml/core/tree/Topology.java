package org.sentryml.core.tree;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** How a resource's byte stream is reduced to one digest (DESIGN §3). */
public enum Topology {
  /** One plain hash of the whole stream, as OMS {@code files}. */
  FLAT,
  /** RFC 6962 Merkle tree over fixed-size leaves. */
  MERKLE,
  /** LtHash16 over fixed-size chunks, each bound to its offset. */
  LATTICE;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Topology> byId(String id) {
    return Arrays.stream(values())
        .filter(t -> t.id().equals(id.toLowerCase(Locale.ROOT)))
        .findFirst();
  }

  public static String ids() {
    return Arrays.stream(values()).map(Topology::id).collect(Collectors.joining(", "));
  }
}
