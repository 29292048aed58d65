package org.sentryml.core.model;

import java.nio.ByteBuffer;
import java.util.Map;
import org.sentryml.core.manifest.Manifest;
import org.sentryml.core.manifest.ManifestDiff;

/**
 * The outcome of verifying a model in the memory it will be used from: either the verified bytes,
 * or the differences and no bytes at all. A loader can only reach a model's contents through {@link
 * Verified}, so unverified bytes cannot be loaded by mistake.
 */
public sealed interface LoadedModel {
  /** The signed manifest. */
  Manifest manifest();

  /**
   * Every file the manifest covers, keyed by its relative path, exactly as it was hashed.
   *
   * @param files read-only buffers, never changed after the check
   */
  record Verified(Manifest manifest, Map<String, ByteBuffer> files) implements LoadedModel {
    public Verified {
      files = Map.copyOf(files);
    }
  }

  /** The model differs from its signature; nothing of it is handed out. */
  record Rejected(Manifest manifest, ManifestDiff diff) implements LoadedModel {}
}
