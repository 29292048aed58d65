package org.sentryml.confidential.encryption;

import java.util.Optional;

/** What an encrypted artifact is, as its key id names it: {@code sentry:<kind>/...}. */
public enum ArtifactKind {
  MODEL("model"),
  DATASET("dataset");

  private final String id;

  ArtifactKind(String id) {
    this.id = id;
  }

  /** The name in key ids, headers and on the command line. */
  public String id() {
    return id;
  }

  /** The kind named {@code id} exactly (lowercase), if any. */
  public static Optional<ArtifactKind> of(String id) {
    for (ArtifactKind kind : values()) {
      if (kind.id.equals(id)) {
        return Optional.of(kind);
      }
    }
    return Optional.empty();
  }
}
