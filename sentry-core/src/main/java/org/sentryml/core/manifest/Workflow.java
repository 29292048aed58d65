package org.sentryml.core.manifest;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** How a model is cut into resources (names kept from the original system, DESIGN §3). */
public enum Workflow {
  /** All files of the folder as one framed stream, one digest. */
  COALESCED,
  /** One digest per file (the default). */
  LAYERED,
  /** One digest per tensor of each safetensors file plus its header; other files whole. */
  INPLACE;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Workflow> byId(String id) {
    return Arrays.stream(values())
        .filter(w -> w.id().equals(id.toLowerCase(Locale.ROOT)))
        .findFirst();
  }

  public static String ids() {
    return Arrays.stream(values()).map(Workflow::id).collect(Collectors.joining(", "));
  }
}
