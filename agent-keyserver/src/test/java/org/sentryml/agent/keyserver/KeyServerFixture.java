package org.sentryml.agent.keyserver;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.sentryml.confidential.broker.AuditLog;
import org.sentryml.confidential.broker.BrokerService;
import org.sentryml.confidential.broker.CheckpointRecords;
import org.sentryml.confidential.broker.KbsClient;
import org.sentryml.confidential.broker.KeyPolicy;
import org.sentryml.confidential.broker.TlsFiles;
import org.sentryml.confidential.encryption.ArtifactKind;
import org.sentryml.confidential.encryption.KeyId;
import org.sentryml.confidential.encryption.keys.KeyStore;
import org.sentryml.confidential.encryption.keys.MasterKeySource;
import org.sentryml.confidential.tee.Attester;
import org.sentryml.confidential.tee.EvidenceType;
import org.sentryml.confidential.tee.SampleAttester;

/**
 * A real key server on a loopback port: a key store with three keys, a policy (which lets {@code
 * CN=trainer} and {@code CN=trainer-2} record checkpoints with sample evidence), an audit log,
 * checkpoint records, TLS with the {@link Pki}'s certificates. Closing stops it; {@link #restart}
 * starts it anew on the same files, as a restarted server process would.
 */
public final class KeyServerFixture implements AutoCloseable {
  public static final KeyId MODEL = new KeyId(ArtifactKind.MODEL, "mnist-cnn", "3");
  public static final KeyId DATASET = new KeyId(ArtifactKind.DATASET, "mnist", "1");
  public static final KeyId TDX_ONLY = new KeyId(ArtifactKind.MODEL, "tdx-only", "1");

  public final Pki pki;
  public final KeyStore store;
  public final Path audit;
  public final Path checkpoints;
  public final SampleAttester attester;
  private final KeyPolicy policy;
  private final Clock clock;
  URI base;
  private KbsHttpServer server;
  private AuditLog log;

  /**
   * @param clock the broker's clock (evidence validity, sessions)
   */
  public KeyServerFixture(Path dir, Clock clock) throws IOException {
    this(dir, clock, List.of());
  }

  /**
   * As above, with checkpoint records also granted to sample evidence of {@code moreMeasurements}
   * (another program's jars, a trainer's say).
   */
  public KeyServerFixture(Path dir, Clock clock, List<String> moreMeasurements) throws IOException {
    pki = new Pki(dir);
    Path storeDir = dir.resolve("store");
    store = KeyStore.init(storeDir, MasterKeySource.resolve(null, Map.of(), storeDir)).store();
    store.create(MODEL);
    store.create(DATASET);
    store.create(TDX_ONLY);
    Path config =
        Files.writeString(dir.resolve("agent.conf"), "threads=2\n", StandardCharsets.UTF_8);
    attester = new SampleAttester(List.of(), List.of(config));
    String measurement = attester.measurement().hex();
    String policy =
        """
        {"format": "%s", "keys": {
          "%s": {"clients": [{"subject": "CN=trainer"}], "allow_insecure_sample": true,
                 "evidence": {"sample": {"reference_values": {"software": ["%s"]}}}},
          "%s": {"clients": [{"subject": "CN=dataset-agent"}, {"san": "trainer.example"}],
                 "allow_insecure_sample": true,
                 "evidence": {"sample": {"reference_values": {"software": ["%s"]}}}},
          "%s": {"clients": [{"subject": "CN=trainer"}],
                 "evidence": {"tdx": {"reference_values": {"mr_td": ["%s"]}}}}
        },
        "checkpoints": {"clients": [{"subject": "CN=trainer"}, {"subject": "CN=trainer-2"}],
                        "allow_insecure_sample": true,
                        "evidence": {"sample": {"reference_values": {"software": [%s]}}}}}
        """;
    List<String> measurements = new java.util.ArrayList<>(List.of(measurement));
    measurements.addAll(moreMeasurements);
    policy =
        String.format(
            Locale.ROOT,
            policy,
            KeyPolicy.FORMAT,
            MODEL,
            measurement,
            DATASET,
            measurement,
            TDX_ONLY,
            "00".repeat(48),
            String.join(", ", measurements.stream().map(m -> "\"" + m + "\"").toList()));
    this.policy = KeyPolicy.parse(policy.getBytes(StandardCharsets.UTF_8), "test policy");
    this.clock = clock;
    audit = dir.resolve("audit.jsonl");
    checkpoints = dir.resolve("checkpoints.json");
    start();
  }

  private void start() throws IOException {
    log = AuditLog.open(audit, Clock.systemUTC());
    BrokerService broker =
        new BrokerService(
            policy,
            store::keyset,
            CheckpointRecords.open(checkpoints),
            log,
            clock,
            BrokerService.Lifetimes.DEFAULT);
    server =
        KbsHttpServer.start(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            TlsFiles.context(pki.server.certificate(), pki.server.key(), pki.clientCaFile),
            broker);
    base = URI.create("https://127.0.0.1:" + server.port());
  }

  /**
   * Stops the server and starts a new one on the same store, audit log and checkpoint records
   * (nothing kept in memory survives: sessions and the records' cache are gone); the new one has
   * another port, so clients made before it no longer reach it.
   */
  public void restart() throws IOException {
    close();
    start();
  }

  /** The server's URL, {@code https://127.0.0.1:PORT}. */
  public URI url() {
    return base;
  }

  /** The CA file of the server's certificate, for a client's {@code --tls-ca}. */
  public Path serverCa() {
    return pki.serverCaFile;
  }

  /** The TLS context of {@code client}, trusting the server's CA. */
  public SSLContext tls(Pki.Identity client) {
    return TlsFiles.context(client.certificate(), client.key(), pki.serverCaFile);
  }

  public KbsClient client(Pki.Identity identity, Attester attester, EvidenceType tee) {
    return new KbsClient(base, tls(identity), attester, tee, false);
  }

  HttpClient http(SSLContext tls) {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .sslContext(tls)
        .sslParameters(TlsFiles.clientParameters(tls))
        .build();
  }

  static HttpResponse<byte[]> post(HttpClient http, URI uri, byte[] body, String cookie)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (cookie != null) {
      request.header("Cookie", cookie);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static String cookie(HttpResponse<?> response) {
    return response.headers().firstValue("Set-Cookie").orElseThrow().split(";", -1)[0];
  }

  List<String> auditLines() throws IOException {
    return Files.readAllLines(audit, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    server.close();
    log.close();
  }
}
