package org.sentryml.agent.keycache;

import com.google.crypto.tink.KeysetHandle;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.sentryml.confidential.broker.CheckpointRecorder;
import org.sentryml.confidential.broker.KbsClient;
import org.sentryml.confidential.encryption.KeyId;

/**
 * The key cache's keys: the entitled key ids, their keysets in memory only, fetched together after
 * one attestation and dropped together when the time to live runs out; the next request after that
 * attests again and fetches them anew. A key the cache is not configured for is never fetched.
 * Thread-safe: one refresh at a time, readers see the last complete set.
 */
final class CachedKeys {
  private final KbsClient upstream;
  private final List<KeyId> entitled;
  private final Duration ttl;
  private final Clock clock;
  private @Nullable Map<KeyId, KeysetHandle> keys;
  private Instant expires = Instant.MIN;
  private long attestations;

  CachedKeys(KbsClient upstream, List<KeyId> entitled, Duration ttl, Clock clock) {
    this.upstream = Objects.requireNonNull(upstream, "upstream");
    this.entitled = List.copyOf(entitled);
    this.ttl = Objects.requireNonNull(ttl, "ttl");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * The key server, for the checkpoint records the cache forwards (through the client's own
   * session; records are not cached: each one must reach the server).
   */
  CheckpointRecorder checkpoints() {
    return upstream;
  }

  /** Whether {@code id} is one of the keys this cache holds. */
  boolean entitled(KeyId id) {
    return entitled.contains(id);
  }

  /**
   * The keyset of {@code id}, attesting and fetching every key first when none are held or they
   * expired.
   *
   * @return empty when {@code id} is not one of the cache's keys
   * @throws org.sentryml.core.errors.SentryException when the key server refuses or cannot be
   *     reached
   */
  synchronized Optional<KeysetHandle> get(KeyId id) {
    if (!entitled(id)) {
      return Optional.empty();
    }
    if (keys == null || !clock.instant().isBefore(expires)) {
      refresh();
    }
    return Optional.of(Objects.requireNonNull(keys).get(id));
  }

  /** Attests once and fetches every entitled key; the old set is dropped first. */
  synchronized void refresh() {
    keys = null;
    KbsClient.KbsSession session = upstream.attest();
    attestations++;
    Map<KeyId, KeysetHandle> fetched = new LinkedHashMap<>();
    for (KeyId id : entitled) {
      fetched.put(id, upstream.keyset(session, id));
    }
    keys = fetched;
    expires = clock.instant().plus(ttl);
  }

  /** How many attestations this cache has made. */
  synchronized long attestations() {
    return attestations;
  }
}
