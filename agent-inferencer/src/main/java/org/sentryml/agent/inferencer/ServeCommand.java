package org.sentryml.agent.inferencer;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import org.sentryml.clisupport.EngineOptions;
import org.sentryml.clisupport.ExitCode;
import org.sentryml.clisupport.KeySourceOptions;
import org.sentryml.clisupport.KeyStoreOption;
import org.sentryml.clisupport.ServerKeyBrokerOptions;
import org.sentryml.clisupport.TerminalText;
import org.sentryml.clisupport.VerifyMethods;
import org.sentryml.clisupport.VerifySkipCommand;
import org.sentryml.clisupport.VerifyingHost;
import org.sentryml.clisupport.VersionInfo;
import org.sentryml.confidential.encryption.DataKeys;
import org.sentryml.confidential.tee.Attester;
import org.sentryml.confidential.tee.EvidenceType;
import org.sentryml.core.engine.OnDemandEngine;
import org.sentryml.core.errors.UsageException;
import org.sentryml.core.signing.StatementVerifier;
import org.sentryml.training.pipeline.SignatureFolder;
import org.sentryml.training.serving.MicroBatcher;
import org.sentryml.training.serving.ModelHolder;
import org.sentryml.training.serving.ModelReloader;
import org.sentryml.training.serving.ServedModel;
import org.sentryml.training.serving.ServingMetrics;
import org.sentryml.training.serving.ServingModels;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sentry-inferencer serve ... METHOD}: verifies the model — decrypted into memory first when
 * it is encrypted, with keys from one of {@code --key-server}, {@code --key-cache} or {@code
 * --key-store} ({@link ServerKeyBrokerOptions}) — (exit 1 when it does not verify, before any port
 * is opened), then serves it over HTTPS until stopped (SIGTERM, or an interrupt of the calling
 * thread), reloading it when a new model and signature are put in place and verify.
 */
@Command(
    name = "sentry-inferencer serve",
    mixinStandardHelpOptions = true,
    versionProvider = VersionInfo.class,
    description =
        "Verify the model, then serve it over HTTPS (TLS 1.3, optional client certificates): "
            + "POST /v1/predict, GET /v1/model, GET /healthz, GET /metrics.",
    subcommands = {
      VerifyMethods.PublicKeyMethod.class,
      VerifyMethods.PkiMethod.class,
      VerifyMethods.SigstoreMethod.class,
      VerifySkipCommand.class
    })
public final class ServeCommand implements VerifyingHost {
  static final String NAME = "serve";

  @Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = {"--sig_path", "--sig-path"},
      required = true,
      paramLabel = "DIR",
      description = "Folder holding model.sig (and provenance.sig, verified when present).")
  Path sigPath;

  @Option(
      names = {"--model_path", "--model-path"},
      paramLabel = "DIR",
      defaultValue = "./models",
      description = "The model folder (default: ${DEFAULT-VALUE}).")
  Path modelPath;

  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      defaultValue = "127.0.0.1:8443",
      description =
          "Address to serve HTTPS on; port 0 picks a free one (default: ${DEFAULT-VALUE}).")
  String listen;

  @Option(
      names = "--tls-cert",
      required = true,
      paramLabel = "PEM",
      description = "The server's certificate chain, leaf first.")
  Path tlsCert;

  @Option(
      names = "--tls-key",
      required = true,
      paramLabel = "PEM",
      description = "The server's EC private key (unencrypted PKCS#8 or SEC 1; a mounted secret).")
  Path tlsKey;

  @Option(
      names = "--client-ca",
      paramLabel = "PEM",
      description = "Require client certificates issued by these CA certificates.")
  Path clientCa;

  @Option(
      names = "--health-listen",
      paramLabel = "HOST:PORT",
      description = "Also answer GET /healthz (only) over plain HTTP here, for probes.")
  String healthListen;

  @Option(
      names = "--max-body-bytes",
      paramLabel = "N",
      defaultValue = "4194304",
      description = "Largest request body; larger gets 413 (default: ${DEFAULT-VALUE}).")
  int maxBodyBytes;

  @Option(
      names = "--max-inputs",
      paramLabel = "N",
      defaultValue = "256",
      description = "Most inputs in one JSON request; more gets 413 (default: ${DEFAULT-VALUE}).")
  int maxInputs;

  @Option(
      names = "--max-batch",
      paramLabel = "N",
      defaultValue = "64",
      description = "Most inputs in one forward pass (default: ${DEFAULT-VALUE}).")
  int maxBatch;

  @Option(
      names = "--max-wait-ms",
      paramLabel = "MS",
      defaultValue = "2",
      description =
          "Longest a request waits for others to join its batch (default: ${DEFAULT-VALUE}).")
  int maxWaitMs;

  @Option(
      names = "--queue",
      paramLabel = "N",
      defaultValue = "1024",
      description = "Requests waiting for a batch; beyond, 503 (default: ${DEFAULT-VALUE}).")
  int queue;

  @Option(
      names = "--max-connections",
      paramLabel = "N",
      defaultValue = "256",
      description = "Requests handled at once; beyond, 503 (default: ${DEFAULT-VALUE}).")
  int maxConnections;

  @Option(
      names = "--request-timeout-s",
      paramLabel = "S",
      defaultValue = "10",
      description =
          "A client must send its whole request (and take the answer) within this time, and a new connection must start one within it (default: ${DEFAULT-VALUE}).")
  int requestTimeoutSeconds;

  @Option(
      names = "--idle-timeout-s",
      paramLabel = "S",
      defaultValue = "30",
      description =
          "Idle keep-alive connections are closed after this time (default: ${DEFAULT-VALUE}).")
  int idleTimeoutSeconds;

  @Option(
      names = "--reload-interval-s",
      paramLabel = "S",
      defaultValue = "2",
      description =
          "How often the model folder and model.sig are checked for a new model; 0 = never (default: ${DEFAULT-VALUE}).")
  int reloadIntervalSeconds;

  @Mixin KeyStoreOption keyStore;

  @Mixin ServerKeyBrokerOptions keyBroker;

  @Mixin EngineOptions engineOptions;

  private final Function<EvidenceType, Attester> attesters;

  public ServeCommand() {
    this(KeySourceOptions::attester);
  }

  /**
   * A serve command attesting to {@code --key-server} with {@code attesters}' attester for the
   * {@code --attest-with} type (tests, which run from class folders that the agent's own sample
   * attester does not measure).
   */
  ServeCommand(Function<EvidenceType, Attester> attesters) {
    this.attesters = attesters;
  }

  @Override
  public int verify(StatementVerifier verifier) {
    checkLimits();
    DataKeys keys = keyBroker.dataKeys(keyStore, attesters).orElse(null);
    InetSocketAddress address = Addresses.parse("--listen", listen);
    InetSocketAddress healthAddress =
        healthListen == null ? null : Addresses.parse("--health-listen", healthListen);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Consumer<String> log =
        line -> {
          synchronized (err) {
            TerminalText.println(err, "sentry-inferencer serve: " + line);
            err.flush();
          }
        };
    JdkServerTimeouts.apply(requestTimeoutSeconds, idleTimeoutSeconds, maxConnections);
    SSLContext tls = TlsContexts.server(tlsCert, tlsKey, clientCa);
    SignatureFolder signatures = new SignatureFolder(sigPath);
    ServingModels.Source source = ServingModels.source(keys);
    Clock clock = Clock.systemUTC();
    CountDownLatch stopped = new CountDownLatch(1);
    try (OnDemandEngine engine = new OnDemandEngine(engineOptions::createQuietly)) {
      ServedModel first =
          ServingModels.load(modelPath, signatures, verifier, engine, source, clock);
      log.accept(
          "verified "
              + modelPath
              + " against "
              + signatures.model()
              + " (root sha256:"
              + first.root()
              + ")");
      ServingMetrics metrics = new ServingMetrics();
      metrics.servedModel(first.root());
      try (ModelHolder models = new ModelHolder(first);
          MicroBatcher batcher =
              new MicroBatcher(models, maxBatch, Duration.ofMillis(maxWaitMs), queue, metrics);
          ModelReloader reloader =
              new ModelReloader(
                  List.of(modelPath, signatures.model(), signatures.provenance()),
                  () -> ServingModels.load(modelPath, signatures, verifier, engine, source, clock),
                  models,
                  metrics,
                  log,
                  clock,
                  Duration.ofSeconds(reloadIntervalSeconds));
          PredictionServer server =
              PredictionServer.start(
                  new PredictionServer.Settings(
                      address,
                      tls,
                      clientCa != null,
                      healthAddress,
                      maxBodyBytes,
                      maxInputs,
                      maxConnections,
                      Duration.ofSeconds(requestTimeoutSeconds)),
                  models,
                  batcher,
                  reloader,
                  metrics)) {
        TerminalText.printf(
            out,
            "serving https://%s:%d/ (model sha256:%s, %s%s)%n",
            server.address().getHostString(),
            server.address().getPort(),
            first.root(),
            verifier.describe(),
            clientCa == null ? "" : ", client certificates required");
        out.flush();
        awaitStop(log, stopped);
      }
    } finally {
      stopped.countDown();
    }
    return ExitCode.OK.code();
  }

  /**
   * Blocks until the JVM shuts down (SIGTERM, SIGINT) or the calling thread is interrupted. On
   * shutdown the hook waits (up to 10 s) for {@code stopped}, so that the server, the batcher and
   * the model are closed in order before the JVM halts.
   */
  private static void awaitStop(Consumer<String> log, CountDownLatch stopped) {
    CountDownLatch stopping = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              stopping.countDown();
              try {
                stopped.await(10, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "sentry-serve-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      stopping.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The JVM is already exiting; the hook runs anyway.
      }
    }
    log.accept("stopping");
  }

  private void checkLimits() {
    positive("--max-body-bytes", maxBodyBytes);
    positive("--max-inputs", maxInputs);
    positive("--max-batch", maxBatch);
    positive("--queue", queue);
    positive("--max-connections", maxConnections);
    positive("--request-timeout-s", requestTimeoutSeconds);
    positive("--idle-timeout-s", idleTimeoutSeconds);
    if (maxWaitMs < 0 || reloadIntervalSeconds < 0) {
      throw new UsageException("--max-wait-ms and --reload-interval-s must be 0 or more");
    }
  }

  private static void positive(String option, int value) {
    if (value < 1) {
      throw new UsageException(option + " must be at least 1, not " + value);
    }
  }
}
