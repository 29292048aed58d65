package org.sentryml.core.manifest;

import java.util.List;
import org.sentryml.core.engine.ResourceDigest;
import org.sentryml.core.hashing.Digest;

/**
 * What a signature covers: the model's name, how it was serialized, every resource digest in
 * canonical order and their root (the statement's subject digest).
 */
public record Manifest(
    String modelName, Serialization serialization, List<ResourceDigest> resources, Digest root) {
  public Manifest {
    resources = List.copyOf(resources);
  }

  /** Builds the manifest from resource digests, computing the root. */
  public static Manifest of(
      String modelName, Serialization serialization, List<ResourceDigest> resources) {
    return new Manifest(
        modelName,
        serialization,
        resources,
        ManifestRoot.of(resources.stream().map(ResourceDigest::digest).toList()));
  }
}
