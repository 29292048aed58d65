package org.sentryml.confidential.encryption;

import com.google.crypto.tink.StreamingAead;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Data keys that live only in this process: a new key per id on first use, gone when the process
 * ends. For measurements and tests that need real keys but no store; whatever is encrypted with
 * them cannot be decrypted by another process. Thread-safe.
 */
public final class EphemeralKeys implements DataKeys {
  private final Map<KeyId, StreamingAead> keys = new ConcurrentHashMap<>();

  @Override
  public StreamingAead streamingAead(KeyId id) {
    return keys.computeIfAbsent(
        id, created -> StreamingScheme.primitive(StreamingScheme.newKeyset(), Path.of("memory")));
  }
}
