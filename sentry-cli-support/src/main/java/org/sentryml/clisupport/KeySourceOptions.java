package org.sentryml.clisupport;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
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
 * The one rule of where an agent's data keys come from, shared by the option blocks that name the
 * sources: a key server ({@code --key-server URL}, the agent attesting itself over mutual TLS), a
 * local key cache ({@code --key-cache SOCKET}) or the local key store ({@code --key-store DIR}) —
 * one of them, or none. The subclasses differ only in the names of the key server's client TLS
 * options: {@link KeyBrokerOptions} calls them {@code --tls-cert/--tls-key/--tls-ca}, {@link
 * ServerKeyBrokerOptions} (for an agent that is itself a TLS server) {@code
 * --key-server-cert/--key-server-key/--key-server-ca}.
 */
public abstract sealed class KeySourceOptions permits KeyBrokerOptions, ServerKeyBrokerOptions {
  @Option(
      names = "--attest-with",
      paramLabel = "TYPE",
      defaultValue = "sample",
      description =
          "Evidence for --key-server: sample (INSECURE: a software measurement of this agent's jars) or tdx (configfs-tsm); default: ${DEFAULT-VALUE}.")
  String attestWith = "sample";

  @Option(
      names = "--key-cache",
      paramLabel = "SOCKET",
      description = "Fetch data keys from the local key cache listening on this Unix socket.")
  @Nullable Path keyCache;

  private @Nullable BrokerClient broker;

  KeySourceOptions() {}

  /** The key server's client TLS files and the names of their options, for messages. */
  record ClientTls(
      String certOption,
      @Nullable Path cert,
      String keyOption,
      @Nullable Path key,
      String caOption,
      @Nullable Path ca) {
    boolean any() {
      return cert != null || key != null || ca != null;
    }

    boolean all() {
      return cert != null && key != null && ca != null;
    }

    String names() {
      return certOption + ", " + keyOption + " and " + caOption;
    }
  }

  /** {@code --key-server}'s value, if given. */
  abstract @Nullable URI keyServer();

  /** The key server's client TLS options as given. */
  abstract ClientTls clientTls();

  /**
   * The agent's data keys: released by the key server or key cache named here, else read from the
   * local key store {@code store} names, else none.
   *
   * @throws UsageException when more than one source is named (the message names them), or a key
   *     server without its TLS files, or TLS files without a key server
   */
  public final Optional<DataKeys> dataKeys(KeyStoreOption store) {
    return dataKeys(store, KeySourceOptions::attester);
  }

  /**
   * {@link #dataKeys(KeyStoreOption)}, attesting to a key server with the attester {@code
   * attesters} gives for the {@code --attest-with} type instead of {@link #attester}'s (a test runs
   * an agent in its own JVM, from class folders that the agent's sample attester refuses to
   * measure).
   */
  public final Optional<DataKeys> dataKeys(
      KeyStoreOption store, Function<EvidenceType, Attester> attesters) {
    List<String> given = new ArrayList<>();
    store.folder().ifPresent(folder -> given.add("--key-store"));
    if (keyServer() != null) {
      given.add("--key-server");
    }
    if (keyCache != null) {
      given.add("--key-cache");
    }
    if (given.size() > 1) {
      throw new UsageException(
          "give one of --key-store, --key-server and --key-cache, not "
              + String.join(" and ", given)
              + ": keys come from one place");
    }
    Optional<BrokerClient> broker = broker(attesters);
    return broker.isPresent()
        ? broker.map(DataKeys.class::cast)
        : store.open().map(DataKeys.class::cast);
  }

  /**
   * Where the key server records the agent's training checkpoints, when a key server or key cache
   * was named: the same client as {@link #dataKeys}'s, so one attested session serves both.
   *
   * @throws UsageException as {@link #dataKeys(KeyStoreOption)}
   */
  public final Optional<CheckpointRecorder> checkpointRecorder() {
    return broker(KeySourceOptions::attester).map(CheckpointRecorder.class::cast);
  }

  /** The key server's or key cache's client, made once; empty when neither was named. */
  private synchronized Optional<BrokerClient> broker(Function<EvidenceType, Attester> attesters) {
    if (broker != null) {
      return Optional.of(broker);
    }
    ClientTls tls = clientTls();
    URI server = keyServer();
    if (server != null && keyCache != null) {
      throw new UsageException("give --key-server or --key-cache, not both");
    }
    if (server == null) {
      if (tls.any()) {
        throw new UsageException(
            tls.names() + " go with --key-server" + (keyCache == null ? "" : ", not --key-cache"));
      }
      broker = keyCache == null ? null : new KeyCacheClient(keyCache);
      return Optional.ofNullable(broker);
    }
    if (!tls.all()) {
      throw new UsageException("--key-server needs " + tls.names());
    }
    EvidenceType type = EvidenceType.parse(attestWith);
    broker =
        new KbsClient(
            server,
            TlsFiles.context(tls.cert(), tls.key(), tls.ca()),
            attesters.apply(type),
            type,
            false);
    return Optional.of(broker);
  }

  /** Whether a key server or key cache was named. */
  public final boolean given() {
    return keyServer() != null || keyCache != null;
  }

  /**
   * The data keys named by the key server or key cache, if any.
   *
   * @throws UsageException for both sources at once, or a key server without its TLS files
   */
  public final Optional<DataKeys> dataKeys() {
    return dataKeys(new KeyStoreOption());
  }

  /**
   * The attester an agent attests with for {@code --attest-with type}: {@code sample} measures the
   * jars the program runs from (its class path and their manifests' {@code Class-Path}), {@code
   * tdx} asks configfs-tsm for a quote.
   *
   * @throws UsageException for any other type
   */
  public static Attester attester(EvidenceType type) {
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
