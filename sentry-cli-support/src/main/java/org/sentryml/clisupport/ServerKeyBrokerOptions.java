package org.sentryml.clisupport;

import java.net.URI;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * {@link KeyBrokerOptions} for an agent that is itself a TLS server ({@code sentry-inferencer
 * serve}), whose {@code --tls-cert}/{@code --tls-key} are its own server certificate: the key
 * server's client certificate, key and CA are {@code --key-server-cert}, {@code --key-server-key}
 * and {@code --key-server-ca}. The sources and their rule are {@link KeySourceOptions}'s.
 */
public final class ServerKeyBrokerOptions extends KeySourceOptions {
  @Option(
      names = "--key-server",
      paramLabel = "URL",
      description =
          "Fetch data keys from this key server after attesting (with --key-server-cert, --key-server-key, --key-server-ca).")
  @Nullable URI keyServer;

  @Option(
      names = "--key-server-cert",
      paramLabel = "PEM",
      description = "This agent's client certificate chain for --key-server.")
  @Nullable Path cert;

  @Option(names = "--key-server-key", paramLabel = "PEM", description = "Its key (--key-server).")
  @Nullable Path key;

  @Option(
      names = "--key-server-ca",
      paramLabel = "PEM",
      description = "The CA of the key server's certificate (--key-server).")
  @Nullable Path ca;

  @Override
  @Nullable URI keyServer() {
    return keyServer;
  }

  @Override
  ClientTls clientTls() {
    return new ClientTls("--key-server-cert", cert, "--key-server-key", key, "--key-server-ca", ca);
  }
}
