package org.sentryml.agent.keycache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.agent.keyserver.KeyServerFixture;
import org.sentryml.confidential.broker.CheckpointRecord;
import org.sentryml.confidential.broker.KeyCacheClient;
import org.sentryml.confidential.tee.EvidenceType;
import org.sentryml.core.errors.PathException;
import org.sentryml.core.errors.VerificationFailedException;
import org.sentryml.core.hashing.Digest;
import org.sentryml.testkit.MovableClock;

/**
 * A key cache in front of a real key server: it attests once, serves the keys it holds over its
 * socket to allowed users only, and attests again when its keys expire.
 */
class KeyCacheTest {
  @TempDir Path dir;
  private KeyServerFixture server;
  private final StringWriter log = new StringWriter();

  @BeforeEach
  void start() throws Exception {
    server = new KeyServerFixture(dir.resolve("server"), Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private CachedKeys cache(MovableClock clock) {
    return new CachedKeys(
        server.client(server.pki.client("trainer"), server.attester, EvidenceType.SAMPLE),
        List.of(KeyServerFixture.MODEL),
        Duration.ofMinutes(10),
        clock);
  }

  @Test
  void anAllowedUserGetsTheKeysAndTheCacheAttestsAgainOnlyAfterTheyExpire() {
    MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));
    CachedKeys keys = cache(clock);
    keys.refresh();
    Path socket = dir.resolve("keycache.sock");
    try (KeyCacheServer cache =
        KeyCacheServer.start(
            socket,
            keys,
            KeyCacheServeCommand.principals(List.of(System.getProperty("user.name"))),
            true,
            new PrintWriter(log),
            "")) {
      KeyCacheClient client = new KeyCacheClient(cache.socket());
      client.streamingAead(KeyServerFixture.MODEL);
      client.streamingAead(KeyServerFixture.MODEL);
      assertEquals(1, keys.attestations());
      assertThrows(PathException.class, () -> client.streamingAead(KeyServerFixture.DATASET));
      clock.advance(Duration.ofMinutes(11));
      client.streamingAead(KeyServerFixture.MODEL);
      assertEquals(2, keys.attestations());
    }
    assertTrue(log.toString().contains("released " + KeyServerFixture.MODEL), log.toString());
  }

  @Test
  void aUserNotOnTheAllowListIsRefused() {
    CachedKeys keys = cache(new MovableClock(Instant.parse("2026-01-01T00:00:00Z")));
    keys.refresh();
    Path socket = dir.resolve("keycache.sock");
    try (KeyCacheServer cache =
        KeyCacheServer.start(
            socket,
            keys,
            KeyCacheServeCommand.principals(List.of("nobody")),
            false,
            new PrintWriter(log),
            "")) {
      VerificationFailedException refusal =
          assertThrows(
              VerificationFailedException.class,
              () -> new KeyCacheClient(cache.socket()).streamingAead(KeyServerFixture.MODEL));
      assertTrue(refusal.getMessage().contains("not allowed"), refusal.getMessage());
    }
  }

  @Test
  void checkpointRecordsGoThroughTheCacheToItsKeyServerAndRefusalsComeBack() {
    CachedKeys keys = cache(new MovableClock(Instant.parse("2026-01-01T00:00:00Z")));
    keys.refresh();
    String run = "0123456789abcdef0123456789abcdef";
    CheckpointRecord four = new CheckpointRecord(4, new Digest("sha256", new byte[32]));
    try (KeyCacheServer cache =
        KeyCacheServer.start(
            dir.resolve("keycache.sock"),
            keys,
            KeyCacheServeCommand.principals(List.of(System.getProperty("user.name"))),
            true,
            new PrintWriter(log),
            "")) {
      KeyCacheClient client = new KeyCacheClient(cache.socket());
      assertEquals(Optional.empty(), client.latestCheckpoint(run));
      client.recordCheckpoint(run, four);
      assertEquals(Optional.of(four), client.latestCheckpoint(run));
      VerificationFailedException older =
          assertThrows(
              VerificationFailedException.class,
              () ->
                  client.recordCheckpoint(
                      run, new CheckpointRecord(2, new Digest("sha256", new byte[32]))));
      assertTrue(older.getMessage().contains("records only move forward"), older.getMessage());
      // The key server binds the run to the cache's certificate, CN=trainer.
      assertThrows(
          VerificationFailedException.class,
          () ->
              server
                  .client(server.pki.client("trainer-2"), server.attester, EvidenceType.SAMPLE)
                  .latestCheckpoint(run));
      client.finishCheckpoints(run);
      assertEquals(Optional.empty(), client.latestCheckpoint(run));
    }
    assertTrue(
        log.toString().contains("forwarded checkpoint record of run " + run), log.toString());
  }
}
