package org.sentryml.core.model;

import java.nio.file.Path;
import java.util.List;
import org.sentryml.core.engine.ResourceDigest;
import org.sentryml.core.hashing.Digest;

/** What {@code sentry hash} prints: every resource's digest, the digest name, and their root. */
public record ModelDigests(
    Path model, String algorithm, List<ResourceDigest> resources, Digest root) {
  public ModelDigests {
    resources = List.copyOf(resources);
  }
}
