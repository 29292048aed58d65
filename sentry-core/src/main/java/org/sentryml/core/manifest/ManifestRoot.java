package org.sentryml.core.manifest;

import java.util.List;
import org.sentryml.core.hashing.Digest;
import org.sentryml.core.hashing.HashAlgorithm;
import org.sentryml.core.hashing.Hasher;

/**
 * The root of a manifest: SHA-256 over the resource digests concatenated in canonical order (the
 * OMS rule), whatever algorithm produced the resource digests.
 */
public final class ManifestRoot {
  private ManifestRoot() {}

  /** {@code digests} must already be in canonical order of their resource names. */
  public static Digest of(List<Digest> digests) {
    Hasher sha256 = HashAlgorithm.SHA256.newHasher();
    for (Digest digest : digests) {
      sha256.update(digest.value());
    }
    return new Digest(HashAlgorithm.SHA256.id(), sha256.digest());
  }
}
