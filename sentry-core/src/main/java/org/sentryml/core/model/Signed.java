package org.sentryml.core.model;

import java.util.List;
import org.sentryml.core.manifest.Manifest;

/**
 * The outcome of signing.
 *
 * @param hashed the resources that were read and hashed
 * @param reused the resources whose digests were taken from the earlier signature
 * @param statCacheWritten whether the local stat cache was recorded for a later {@code --reuse}
 */
public record Signed(
    Manifest manifest, List<String> hashed, List<String> reused, boolean statCacheWritten) {
  public Signed {
    hashed = List.copyOf(hashed);
    reused = List.copyOf(reused);
  }
}
