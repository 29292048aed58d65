package org.sentryml.clisupport;

import java.net.URI;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * Where an agent gets its data keys when they are released to it rather than read from a local key
 * store: {@code --key-server URL} (attesting itself, with its client certificate {@code --tls-cert}
 * / {@code --tls-key} and the server's CA {@code --tls-ca}) or {@code --key-cache SOCKET} (a local
 * {@code sentry-keycache}, which attested for the host). Neither: {@link #dataKeys} is empty. The
 * rule itself is {@link KeySourceOptions}'s.
 */
public final class KeyBrokerOptions extends KeySourceOptions {
  @Option(
      names = "--key-server",
      paramLabel = "URL",
      description =
          "Fetch data keys from this key server after attesting (with --tls-cert, --tls-key, --tls-ca).")
  @Nullable URI keyServer;

  @Option(
      names = "--tls-cert",
      paramLabel = "PEM",
      description = "This agent's client certificate chain (--key-server).")
  @Nullable Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "PEM", description = "Its key (--key-server).")
  @Nullable Path tlsKey;

  @Option(
      names = "--tls-ca",
      paramLabel = "PEM",
      description = "The CA of the key server's certificate (--key-server).")
  @Nullable Path tlsCa;

  @Override
  @Nullable URI keyServer() {
    return keyServer;
  }

  @Override
  ClientTls clientTls() {
    return new ClientTls("--tls-cert", tlsCert, "--tls-key", tlsKey, "--tls-ca", tlsCa);
  }
}
