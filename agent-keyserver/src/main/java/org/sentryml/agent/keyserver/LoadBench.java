package org.sentryml.agent.keyserver;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.sentryml.confidential.broker.KbsClient;
import org.sentryml.confidential.broker.KeyPolicy;
import org.sentryml.confidential.broker.TlsFiles;
import org.sentryml.confidential.encryption.ArtifactKind;
import org.sentryml.confidential.encryption.KeyId;
import org.sentryml.confidential.encryption.keys.KeyStore;
import org.sentryml.confidential.encryption.keys.MasterKeySource;
import org.sentryml.confidential.tee.EvidenceType;
import org.sentryml.confidential.tee.SampleAttester;
import org.sentryml.core.errors.IoFailureException;

/**
 * The key server under load: a key server process on loopback (its own JVM, so that its peak RSS is
 * its own), and N concurrent clients in this one, each doing auth → attest (sample evidence) → F
 * key fetches, every request on a fresh TLS connection unless told to reuse one. The reference,
 * measured first in the same run, is the same number of requests by the same clients to an endpoint
 * that only answers 404: TLS handshakes and HTTP with no protocol work, so the ratio says what
 * attestation, policy, audit (one fsync per decision) and JWE cost on top.
 */
final class LoadBench {
  /** What one phase measured. */
  record Phase(
      int requests, int errors, double seconds, List<Long> attestNanos, List<Long> fetchNanos) {
    double requestsPerSecond() {
      return requests / seconds;
    }
  }

  private final int clients;
  private final int fetches;
  private final boolean connectionPerRequest;
  private final Path dir;

  LoadBench(int clients, int fetches, boolean connectionPerRequest, Path dir) {
    this.clients = clients;
    this.fetches = fetches;
    this.connectionPerRequest = connectionPerRequest;
    this.dir = dir;
  }

  void run(PrintWriter out) throws IOException, InterruptedException {
    LocalPki pki = LocalPki.create("Sentry bench CA", Duration.ofDays(1));
    Path ca = pki.writeCa(dir.resolve("ca.pem"));
    pki.server(
        "sentry-keyserver",
        List.of("127.0.0.1"),
        dir.resolve("server.pem"),
        dir.resolve("server-key.pem"));
    pki.client("bench-client", dir.resolve("client.pem"), dir.resolve("client-key.pem"));
    Path storeDir = dir.resolve("store");
    KeyStore store =
        KeyStore.init(storeDir, MasterKeySource.resolve(null, Map.of(), storeDir)).store();
    List<KeyId> keys = new ArrayList<>();
    for (int i = 1; i <= fetches; i++) {
      KeyId id = new KeyId(ArtifactKind.MODEL, "bench", Integer.toString(i));
      store.create(id);
      keys.add(id);
    }
    Path config =
        Files.writeString(dir.resolve("bench-config.txt"), "bench\n", StandardCharsets.UTF_8);
    SampleAttester attester = new SampleAttester(List.of(), List.of(config));
    Path policy = dir.resolve("policy.json");
    Files.writeString(
        policy, policyJson(keys, attester.measurement().hex()), StandardCharsets.UTF_8);
    Path ready = dir.resolve("ready");
    Process server = startServer(storeDir, policy, ca, ready);
    try {
      URI base = URI.create(awaitReady(ready, server));
      SSLContext tls =
          TlsFiles.context(dir.resolve("client.pem"), dir.resolve("client-key.pem"), ca);
      out.printf(
          Locale.ROOT,
          "sentry-keyserver bench: %d clients × (auth, attest, %d fetches), %s, server pid %d%n",
          clients,
          fetches,
          connectionPerRequest
              ? "a fresh TLS connection per request"
              : "one TLS connection per client",
          server.pid());
      // Both paths once, untimed, at a tenth of the load: the JIT compiles the TLS code for the
      // reference as much as for the KBS phase, which would otherwise run on code warmed by it.
      new LoadBench(Math.max(1, clients / 10), fetches, connectionPerRequest, dir)
          .warmUp(base, tls, attester, keys);
      Phase reference = referencePhase(base, tls);
      Phase kbs = kbsPhase(base, tls, attester, keys);
      long rssKib = peakRssKib(server.pid());
      print(out, "reference (404 endpoint)", reference, null);
      print(out, "KBS auth+attest+fetch", kbs, reference);
      out.printf(
          Locale.ROOT,
          "server peak RSS (VmHWM): %.1f MiB; errors: %d%n",
          rssKib / 1024.0,
          reference.errors() + kbs.errors());
      out.flush();
    } finally {
      server.destroy();
      server.waitFor(10, TimeUnit.SECONDS);
      server.destroyForcibly();
    }
  }

  private void warmUp(URI base, SSLContext tls, SampleAttester attester, List<KeyId> keys)
      throws InterruptedException {
    referencePhase(base, tls);
    kbsPhase(base, tls, attester, keys);
  }

  private Phase referencePhase(URI base, SSLContext tls) throws InterruptedException {
    int perClient = fetches + 2;
    ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    AtomicInteger errors = new AtomicInteger();
    double seconds =
        runClients(
            () -> {
              HttpClient shared = connectionPerRequest ? null : http(tls);
              for (int i = 0; i < perClient; i++) {
                long start = System.nanoTime();
                HttpClient client = shared != null ? shared : http(tls);
                try {
                  HttpResponse<byte[]> response =
                      client.send(
                          HttpRequest.newBuilder(base.resolve("/bench/reference")).GET().build(),
                          HttpResponse.BodyHandlers.ofByteArray());
                  if (response.statusCode() != 404) {
                    errors.incrementAndGet();
                  }
                } catch (IOException e) {
                  errors.incrementAndGet();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return;
                } finally {
                  if (shared == null) {
                    client.close();
                  }
                }
                latencies.add(System.nanoTime() - start);
              }
              if (shared != null) {
                shared.close();
              }
            });
    return new Phase(
        clients * perClient, errors.get(), seconds, List.of(), new ArrayList<>(latencies));
  }

  private Phase kbsPhase(URI base, SSLContext tls, SampleAttester attester, List<KeyId> keys)
      throws InterruptedException {
    ConcurrentLinkedQueue<Long> attests = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Long> fetchLatencies = new ConcurrentLinkedQueue<>();
    AtomicInteger errors = new AtomicInteger();
    double seconds =
        runClients(
            () -> {
              KbsClient client =
                  new KbsClient(base, tls, attester, EvidenceType.SAMPLE, connectionPerRequest);
              try {
                long start = System.nanoTime();
                KbsClient.KbsSession session = client.attest();
                attests.add(System.nanoTime() - start);
                for (KeyId id : keys) {
                  long fetch = System.nanoTime();
                  client.keyset(session, id);
                  fetchLatencies.add(System.nanoTime() - fetch);
                }
              } catch (RuntimeException e) {
                errors.incrementAndGet();
              }
            });
    return new Phase(
        clients * (2 + keys.size()),
        errors.get(),
        seconds,
        new ArrayList<>(attests),
        new ArrayList<>(fetchLatencies));
  }

  /** Runs {@code work} on {@link #clients} virtual threads released at once; the wall time. */
  private double runClients(Runnable work) throws InterruptedException {
    CountDownLatch gate = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(clients);
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < clients; i++) {
        threads.execute(
            () -> {
              try {
                gate.await();
                work.run();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } finally {
                done.countDown();
              }
            });
      }
      long start = System.nanoTime();
      gate.countDown();
      done.await();
      return (System.nanoTime() - start) / 1e9;
    }
  }

  private static HttpClient http(SSLContext tls) {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .sslContext(tls)
        .sslParameters(TlsFiles.clientParameters(tls))
        .connectTimeout(Duration.ofSeconds(30))
        .build();
  }

  private static void print(PrintWriter out, String name, Phase phase, Phase reference) {
    out.printf(
        Locale.ROOT,
        "%-26s %6d requests in %6.2f s: %8.1f requests/s%s%n",
        name,
        phase.requests(),
        phase.seconds(),
        phase.requestsPerSecond(),
        reference == null
            ? ""
            : String.format(
                Locale.ROOT,
                " (%.2f× the reference)",
                phase.requestsPerSecond() / reference.requestsPerSecond()));
    if (!phase.attestNanos().isEmpty()) {
      out.printf(
          Locale.ROOT,
          "  auth+attest latency p50 %7.1f ms, p99 %7.1f ms%n",
          percentile(phase.attestNanos(), 50),
          percentile(phase.attestNanos(), 99));
    }
    out.printf(
        Locale.ROOT,
        "  %s latency p50 %7.1f ms, p99 %7.1f ms%n",
        phase.attestNanos().isEmpty() ? "request" : "key fetch",
        percentile(phase.fetchNanos(), 50),
        percentile(phase.fetchNanos(), 99));
  }

  static double percentile(List<Long> nanos, int percent) {
    if (nanos.isEmpty()) {
      return Double.NaN;
    }
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index))) / 1e6;
  }

  private Process startServer(Path store, Path policy, Path ca, Path ready) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    return new ProcessBuilder(
            java,
            "-XX:+UseSerialGC",
            "-cp",
            System.getProperty("java.class.path"),
            KeyServerAgent.class.getName(),
            "serve",
            "--store",
            store.toString(),
            "--policy",
            policy.toString(),
            "--tls-cert",
            dir.resolve("server.pem").toString(),
            "--tls-key",
            dir.resolve("server-key.pem").toString(),
            "--client-ca",
            ca.toString(),
            "--listen",
            "127.0.0.1:0",
            "--audit",
            dir.resolve("audit.jsonl").toString(),
            "--ready-file",
            ready.toString())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(dir.resolve("server.err").toFile())
        .start();
  }

  static String awaitReady(Path ready, Process server) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (Files.exists(ready)) {
        return Files.readString(ready, StandardCharsets.UTF_8).trim();
      }
      if (!server.isAlive()) {
        throw new IoFailureException(
            "the key server exited with " + server.exitValue() + " before it listened");
      }
      Thread.sleep(20);
    }
    throw new IoFailureException("the key server did not listen within 60 s");
  }

  private static long peakRssKib(long pid) throws IOException {
    for (String line :
        Files.readAllLines(Path.of("/proc/" + pid + "/status"), StandardCharsets.UTF_8)) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  static String policyJson(List<KeyId> keys, String sampleMeasurement) {
    StringBuilder json = new StringBuilder("{\"format\":\"" + KeyPolicy.FORMAT + "\",\"keys\":{");
    for (int i = 0; i < keys.size(); i++) {
      json.append(i == 0 ? "" : ",")
          .append('"')
          .append(keys.get(i))
          .append("\":{\"clients\":[{\"subject\":\"CN=bench-client\"}],")
          .append("\"allow_insecure_sample\":true,")
          .append("\"evidence\":{\"sample\":{\"reference_values\":{\"software\":[\"")
          .append(sampleMeasurement)
          .append("\"]}}}}");
    }
    return json.append("}}").toString();
  }
}
