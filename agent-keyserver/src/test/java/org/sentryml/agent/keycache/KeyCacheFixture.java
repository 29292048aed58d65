package org.sentryml.agent.keycache;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.sentryml.agent.keyserver.KeyServerFixture;
import org.sentryml.agent.keyserver.Pki;
import org.sentryml.confidential.encryption.KeyId;
import org.sentryml.confidential.tee.EvidenceType;

/**
 * A real key cache on a Unix socket in front of a {@link KeyServerFixture}, as {@code
 * sentry-keycache serve} runs it: attested once with the fixture's sample attester as {@code
 * client}, holding {@code keys}, serving this process's user only. Closing stops it (the key server
 * is the caller's).
 */
public final class KeyCacheFixture implements AutoCloseable {
  private final KeyCacheServer server;
  private final StringWriter log = new StringWriter();

  public KeyCacheFixture(
      KeyServerFixture upstream, Pki.Identity client, List<KeyId> keys, Path socket) {
    CachedKeys cache =
        new CachedKeys(
            upstream.client(client, upstream.attester, EvidenceType.SAMPLE),
            keys,
            Duration.ofMinutes(10),
            Clock.systemUTC());
    cache.refresh();
    server =
        KeyCacheServer.start(
            socket,
            cache,
            KeyCacheServeCommand.principals(List.of(System.getProperty("user.name"))),
            true,
            new PrintWriter(log, true),
            "");
  }

  /** The socket agents read keys from ({@code --key-cache}). */
  public Path socket() {
    return server.socket();
  }

  /** What the cache logged. */
  public String log() {
    return log.toString();
  }

  @Override
  public void close() {
    server.close();
  }
}
