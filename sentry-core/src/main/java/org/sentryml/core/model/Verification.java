package org.sentryml.core.model;

import org.sentryml.core.manifest.Manifest;
import org.sentryml.core.manifest.ManifestDiff;

/** The outcome of verifying a model on disk: the signed manifest and its differences from it. */
public record Verification(Manifest expected, ManifestDiff diff) {
  public boolean ok() {
    return diff.isEmpty();
  }
}
