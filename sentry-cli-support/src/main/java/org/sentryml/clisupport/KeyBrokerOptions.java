package org.sentryml.clisupport;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.sentryml.confidential.broker.BrokerClient;
import org.sentryml.confidential.broker.CheckpointRecorder;
import org.sentryml.confidential.broker.KbsClient;
import org.sentryml.confidential.broker.KeyCacheClient;
import org.sentryml.confidential.broker.TlsFiles;
import org.sentryml.confidential.encryption.DataKeys;
import org.sentryml.confidential.tee.Attester;
import org.sentryml.confidential.tee.ConfigfsTsmAttester;
import org.sentryml.confidential.tee.EvidenceType;
import org.sentryml.confidential.tee.ProgramJars;
import org.sentryml.confidential.tee.SampleAttester;
import org.sentryml.core.errors.UsageException;
import picocli.CommandLine.Option;

/**
 * Where an agent gets its data keys when they are released to it rather than read from a local key
 * store: {@code --key-server URL} (attesting itself, with its client certificate {@code --tls-cert}
 * / {@code --tls-key} and the server's CA {@code --tls-ca}) or {@code --key-cache SOCKET} (a local
 * {@code sentry-keycache}, which attested for the host). Neither: {@link #dataKeys} is empty. The
 * same client serves the key server's checkpoint records ({@link #checkpointRecorder}), over the
 * same attested session.
 */
public final class KeyBrokerOptions {
  @Option(
      names = "--key-server",
      paramLabel = "URL",
      description =
          "Fetch data keys from this key server after attesting (with --tls-cert, --tls-key, --tls-ca).")
  URI keyServer;

  @Option(
      names = "--tls-cert",
      paramLabel = "PEM",
      description = "This agent's client certificate chain (--key-server).")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "PEM", description = "Its key (--key-server).")
  Path tlsKey;

  @Option(
      names = "--tls-ca",
      paramLabel = "PEM",
      description = "The CA of the key server's certificate (--key-server).")
  Path tlsCa;

  @Option(
      names = "--attest-with",
      paramLabel = "TYPE",
      defaultValue = "sample",
      description =
          "Evidence for --key-server: sample (INSECURE: a software measurement of this agent's jars) or tdx (configfs-tsm); default: ${DEFAULT-VALUE}.")
  String attestWith;

  @Option(
      names = "--key-cache",
      paramLabel = "SOCKET",
      description = "Fetch data keys from the local key cache listening on this Unix socket.")
  Path keyCache;

  private @Nullable BrokerClient client;

  /**
   * The agent's data keys: released by the key server or key cache named here, else read from the
   * local key store {@code store} names, else none.
   *
   * @throws UsageException when both a key store and a key server or cache are named
   */
  public Optional<DataKeys> dataKeys(KeyStoreOption store) {
    if (given() && store.folder().isPresent()) {
      throw new UsageException(
          "give --key-store or --key-server/--key-cache, not both: keys come from one place");
    }
    return given() ? dataKeys() : store.open().map(DataKeys.class::cast);
  }

  /** Whether a key server or key cache was named. */
  public boolean given() {
    return keyServer != null || keyCache != null;
  }

  /**
   * The data keys named, if any.
   *
   * @throws UsageException for both sources at once, or a key server without its TLS files
   */
  public Optional<DataKeys> dataKeys() {
    return client().map(DataKeys.class::cast);
  }

  /**
   * Where checkpoints are recorded when a key server or key cache was named: the same client as
   * {@link #dataKeys()}, so one attestation serves both.
   *
   * @throws UsageException as {@link #dataKeys()}
   */
  public Optional<CheckpointRecorder> checkpointRecorder() {
    return client().map(CheckpointRecorder.class::cast);
  }

  /** The one client of the options, made on first use, if any. */
  private synchronized Optional<BrokerClient> client() {
    if (client == null) {
      client = newClient().orElse(null);
    }
    return Optional.ofNullable(client);
  }

  private Optional<BrokerClient> newClient() {
    if (keyServer != null && keyCache != null) {
      throw new UsageException("give --key-server or --key-cache, not both");
    }
    if (keyCache != null) {
      if (tlsCert != null || tlsKey != null || tlsCa != null) {
        throw new UsageException(
            "--tls-cert, --tls-key and --tls-ca go with --key-server, not --key-cache");
      }
      return Optional.of(new KeyCacheClient(keyCache));
    }
    if (keyServer == null) {
      if (tlsCert != null || tlsKey != null || tlsCa != null) {
        throw new UsageException("--tls-cert, --tls-key and --tls-ca need --key-server");
      }
      return Optional.empty();
    }
    if (tlsCert == null || tlsKey == null || tlsCa == null) {
      throw new UsageException("--key-server needs --tls-cert, --tls-key and --tls-ca");
    }
    EvidenceType type = EvidenceType.parse(attestWith);
    return Optional.of(
        new KbsClient(
            keyServer, TlsFiles.context(tlsCert, tlsKey, tlsCa), attester(type), type, false));
  }

  private static Attester attester(EvidenceType type) {
    return switch (type) {
      case SAMPLE ->
          new SampleAttester(ProgramJars.of(System.getProperty("java.class.path")), List.of());
      case TDX ->
          new ConfigfsTsmAttester(
              ConfigfsTsmAttester.KERNEL_ROOT,
              "sentry-agent-" + ProcessHandle.current().pid(),
              Duration.ofSeconds(10));
      default ->
          throw new UsageException(
              "--attest-with must be sample or tdx (SNP hosts use a key cache, which sends the VCEK)");
    };
  }
}
