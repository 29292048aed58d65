package org.sentryml.agent.keyserver;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.SSLContext;
import org.sentryml.clisupport.TerminalText;
import org.sentryml.confidential.broker.AuditLog;
import org.sentryml.confidential.broker.BrokerService;
import org.sentryml.confidential.broker.CheckpointRecords;
import org.sentryml.confidential.broker.KeyPolicy;
import org.sentryml.confidential.broker.TlsFiles;
import org.sentryml.confidential.encryption.keys.KeyStore;
import org.sentryml.confidential.encryption.keys.MasterKeySource;
import org.sentryml.core.errors.IoFailureException;
import org.sentryml.core.errors.UsageException;
import org.sentryml.core.io.AtomicFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sentry-keyserver serve ...}: runs until stopped (SIGTERM or SIGINT). */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Serve the KBS protocol over HTTPS (TLS 1.3, client certificates required).")
final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--store", required = true, paramLabel = "DIR", description = "The key store.")
  Path store;

  @Option(
      names = "--master-key",
      paramLabel = "FILE",
      description =
          "The key store's master key file; else $SENTRY_MASTER_KEY_FILE, $SENTRY_MASTER_KEY or DIR/master.key.")
  Path masterKey;

  @Option(
      names = "--policy",
      required = true,
      paramLabel = "POLICY.json",
      description = "Which client and evidence may receive which key (docs/FORMAT.md).")
  Path policy;

  @Option(
      names = "--tls-cert",
      required = true,
      paramLabel = "PEM",
      description = "The server's certificate chain, leaf first.")
  Path tlsCert;

  @Option(names = "--tls-key", required = true, paramLabel = "PEM", description = "Its key.")
  Path tlsKey;

  @Option(
      names = "--client-ca",
      required = true,
      paramLabel = "PEM",
      description = "The CA certificates that client certificates must chain to.")
  Path clientCa;

  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      defaultValue = "127.0.0.1:8443",
      description = "Address to listen on (default: ${DEFAULT-VALUE}; port 0 picks one).")
  String listen;

  @Option(
      names = "--audit",
      paramLabel = "FILE",
      description = "The audit log, appended to (default: DIR/audit.jsonl).")
  Path audit;

  @Option(
      names = "--checkpoints",
      paramLabel = "FILE",
      description =
          "Where training checkpoints are recorded, replaced atomically (default: DIR/checkpoints.json).")
  Path checkpoints;

  @Option(
      names = "--session-seconds",
      paramLabel = "N",
      defaultValue = "300",
      description = "How long an attested session lasts (default: ${DEFAULT-VALUE}).")
  long sessionSeconds;

  @Option(
      names = "--ready-file",
      paramLabel = "FILE",
      description = "Written with the server's URL once it listens (for scripts).")
  Path readyFile;

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (sessionSeconds < 1) {
      throw new UsageException("--session-seconds must be at least 1");
    }
    KeyStore keys =
        KeyStore.open(store, MasterKeySource.resolve(masterKey, System.getenv(), store));
    KeyPolicy rules = KeyPolicy.read(policy);
    SSLContext tls = TlsFiles.context(tlsCert, tlsKey, clientCa);
    Path auditFile = audit != null ? audit : store.resolve("audit.jsonl");
    CheckpointRecords records =
        CheckpointRecords.open(
            checkpoints != null ? checkpoints : store.resolve("checkpoints.json"));
    AuditLog log = AuditLog.open(auditFile, Clock.systemUTC());
    BrokerService broker =
        new BrokerService(
            rules,
            keys::keyset,
            records,
            log,
            Clock.systemUTC(),
            new BrokerService.Lifetimes(
                BrokerService.Lifetimes.DEFAULT.challenge(), Duration.ofSeconds(sessionSeconds)));
    KbsHttpServer server;
    try {
      server = KbsHttpServer.start(ListenAddress.parse(listen), tls, broker);
    } catch (IOException e) {
      log.close();
      throw new IoFailureException("cannot listen on " + listen + ": " + e.getMessage(), e);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  log.close();
                  stopped.countDown();
                }));
    String url = "https://" + server.hostForUrl() + ":" + server.port();
    PrintWriter out = spec.commandLine().getOut();
    TerminalText.println(
        out,
        "sentry-keyserver: listening on "
            + url
            + " ("
            + rules.keys().size()
            + " keys in the policy, audit log "
            + auditFile
            + ", checkpoint records "
            + records.file()
            + ")");
    out.flush();
    if (readyFile != null) {
      AtomicFile.write(readyFile, (url + "\n").getBytes(StandardCharsets.UTF_8));
    }
    stopped.await();
    return 0;
  }
}
