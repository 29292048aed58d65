package org.sentryml.agent.inferencer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.data.dataset.Sample;
import org.sentryml.data.dataset.SampleKind;
import org.sentryml.testkit.TestTags;
import org.sentryml.training.ml.ClassifierSession;
import org.sentryml.training.ml.ImageFeatures;

/**
 * The serving load benchmark of docs/BENCHMARKS.md, run only when asked ({@code
 * -Dsentry.bench.serving=true}; seconds with {@code -Dsentry.bench.seconds=N}, default 30): {@value
 * #CLIENTS} keep-alive TLS clients post one 28x28 PNG each, back to back, to a loopback {@code
 * serve} of a cnn-v1 model, for the whole time; beside it, in the same JVM and the same run, the
 * in-process throughput of the same model on batches of the server's {@code --max-batch}, measured
 * before and after the load. Prints one report; fails on any error response.
 */
@Tag(TestTags.SLOW)
class ServingLoadBenchmark {
  private static final int CLIENTS = 64;
  private static final int MAX_BATCH = 64;

  @TempDir Path work;

  @Test
  void loadAgainstInProcessThroughput() throws Exception {
    assumeTrue(Boolean.getBoolean("sentry.bench.serving"), "run with -Dsentry.bench.serving=true");
    int seconds = Integer.getInteger("sentry.bench.seconds", 30);
    Path keys = work.resolve("keys");
    ServingFixture.keygen(keys);
    ServingFixture.Pki pki = ServingFixture.pki(work);
    Path models = Files.createDirectories(work.resolve("models"));
    Path signatures = Files.createDirectories(work.resolve("signatures"));
    ServingFixture.signedModel(models, signatures, keys, 21);
    List<byte[]> images = ServingFixture.images(256, 3);

    Rate before = inProcessPerSecond(models, images, Duration.ofSeconds(10), false);
    Rate forwardBefore = inProcessPerSecond(models, images, Duration.ofSeconds(10), true);
    Load load;
    String metrics;
    try (ServingFixture.Server server =
        ServingFixture.Server.start(
            List.of(
                "--sig_path",
                signatures.toString(),
                "--model_path",
                models.toString(),
                "--listen",
                "127.0.0.1:0",
                "--tls-cert",
                pki.serverCert().toString(),
                "--tls-key",
                pki.serverKey().toString(),
                "--max-batch",
                Integer.toString(MAX_BATCH),
                "--max-connections",
                "256",
                "--reload-interval-s",
                "0",
                "--quiet",
                "private-key",
                "--public_key",
                keys.resolve("public.pem").toString()))) {
      assertTrue(server.port() > 0, server.output());
      // A short warm-up, so that the JIT and the TLS session setup are not in the measurement.
      run(ServingFixture.clientContext(pki), server.port(), images, Duration.ofSeconds(5));
      load =
          run(
              ServingFixture.clientContext(pki),
              server.port(),
              images,
              Duration.ofSeconds(seconds));
      metrics = ServingFixture.get(ServingFixture.client(pki, null), server, "/metrics").body();
    }
    double meanBatch =
        metric(metrics, "sentry_batched_inputs_total") / metric(metrics, "sentry_batches_total");
    Rate after = inProcessPerSecond(models, images, Duration.ofSeconds(10), false);
    Rate forwardAfter = inProcessPerSecond(models, images, Duration.ofSeconds(10), true);
    double inProcess = (before.perSecond() + after.perSecond()) / 2;
    double forwardOnly = (forwardBefore.perSecond() + forwardAfter.perSecond()) / 2;
    double inProcessCpu = (before.perCpuSecond() + after.perCpuSecond()) / 2;
    double forwardOnlyCpu = (forwardBefore.perCpuSecond() + forwardAfter.perCpuSecond()) / 2;
    long[] latencies = load.latencies();
    Arrays.sort(latencies);
    double perSecond = latencies.length / load.seconds();
    double perCpuSecond = latencies.length / load.cpuSeconds();
    String report =
        String.format(
            Locale.ROOT,
            "serving load: %d clients, %.1f s: %d requests, %.0f req/s, p50 %.2f ms, p99 %.2f ms,"
                + " %d errors; in-process batches of %d: %.0f images/s (before %.0f, after %.0f);"
                + " ratio %.2f; forward pass alone on decoded pixels: %.0f images/s (before %.0f,"
                + " after %.0f), ratio %.2f; per CPU-second (the server's count includes its"
                + " clients): serving %.0f, in-process %.0f, forward alone %.0f, ratio %.2f; mean"
                + " batch %.1f inputs (warm-up included); cores %d%n",
            CLIENTS,
            load.seconds(),
            latencies.length,
            perSecond,
            percentile(latencies, 0.50) / 1e6,
            percentile(latencies, 0.99) / 1e6,
            load.errors(),
            MAX_BATCH,
            inProcess,
            before.perSecond(),
            after.perSecond(),
            perSecond / inProcess,
            forwardOnly,
            forwardBefore.perSecond(),
            forwardAfter.perSecond(),
            perSecond / forwardOnly,
            perCpuSecond,
            inProcessCpu,
            forwardOnlyCpu,
            perCpuSecond / inProcessCpu,
            meanBatch,
            Runtime.getRuntime().availableProcessors());
    System.out.print(report);
    Files.writeString(Path.of("target", "serving-load.txt"), report, StandardCharsets.UTF_8);
    assertEquals(0, load.errors(), report);
  }

  private record Load(long[] latencies, long errors, double seconds, double cpuSeconds) {}

  private static Load run(SSLContext tls, int port, List<byte[]> images, Duration duration)
      throws Exception {
    long end = System.nanoTime() + duration.toNanos();
    LongAdder errors = new LongAdder();
    List<Future<long[]>> clients = new ArrayList<>();
    long started = System.nanoTime();
    long cpu = processCpuNanos();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int c = 0; c < CLIENTS; c++) {
        int client = c;
        clients.add(threads.submit(() -> client(tls, port, images, client, end, errors)));
      }
      List<long[]> all = new ArrayList<>();
      for (Future<long[]> future : clients) {
        all.add(future.get());
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      double cpuSeconds = (processCpuNanos() - cpu) / 1e9;
      return new Load(
          all.stream().flatMapToLong(Arrays::stream).toArray(), errors.sum(), seconds, cpuSeconds);
    }
  }

  /** One keep-alive client: one TLS connection, requests back to back until {@code end}. */
  private static long[] client(
      SSLContext tls, int port, List<byte[]> images, int client, long end, LongAdder errors)
      throws IOException {
    long[] latencies = new long[1 << 16];
    int count = 0;
    try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("localhost", port)) {
      socket.setSoTimeout(30_000);
      socket.setTcpNoDelay(true);
      OutputStream out = socket.getOutputStream();
      InputStream in = new BufferedInputStream(socket.getInputStream());
      int next = client;
      while (System.nanoTime() < end) {
        byte[] image = images.get(next++ % images.size());
        long sent = System.nanoTime();
        out.write(
            ("POST /v1/predict HTTP/1.1\r\nHost: localhost\r\nContent-Type: image/png\r\n"
                    + "Content-Length: "
                    + image.length
                    + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(image);
        out.flush();
        int status = readResponse(in);
        long took = System.nanoTime() - sent;
        if (status != 200) {
          errors.increment();
        }
        if (count == latencies.length) {
          latencies = Arrays.copyOf(latencies, count * 2);
        }
        latencies[count++] = took;
      }
    } catch (IOException e) {
      errors.increment();
    }
    return Arrays.copyOf(latencies, count);
  }

  /** Reads one response (status line, headers, a Content-Length body); returns the status. */
  private static int readResponse(InputStream in) throws IOException {
    String statusLine = line(in);
    int status = Integer.parseInt(statusLine.split(" ", -1)[1]);
    int length = 0;
    for (String header = line(in); !header.isEmpty(); header = line(in)) {
      int colon = header.indexOf(':');
      if (header.substring(0, colon).equalsIgnoreCase("Content-Length")) {
        length = Integer.parseInt(header.substring(colon + 1).strip());
      }
    }
    if (in.readNBytes(length).length != length) {
      throw new IOException("short body");
    }
    return status;
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != '\n') {
      if (b < 0) {
        throw new IOException("connection closed");
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.US_ASCII);
  }

  /** The value of the unlabelled Prometheus sample {@code name} in {@code text}. */
  private static double metric(String text, String name) {
    return text.lines()
        .filter(line -> line.startsWith(name + " "))
        .mapToDouble(line -> Double.parseDouble(line.substring(name.length() + 1).strip()))
        .findFirst()
        .orElseThrow(() -> new AssertionError(name + " not in /metrics: " + text));
  }

  private static double percentile(long[] sorted, double p) {
    return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, p * sorted.length)];
  }

  /**
   * Images per second of the same model in this JVM, on batches of {@link #MAX_BATCH}: as the
   * inferencer runs it (PNG decoding on the one thread, then the forward pass), or with {@code
   * forwardOnly} the forward pass alone on pixels decoded beforehand (the model's own ceiling).
   */
  private static Rate inProcessPerSecond(
      Path models, List<byte[]> images, Duration duration, boolean forwardOnly) throws IOException {
    Map<String, ByteBuffer> files = new HashMap<>();
    try (Stream<Path> list = Files.list(models)) {
      for (Path file : list.toList()) {
        files.put(file.getFileName().toString(), ByteBuffer.wrap(Files.readAllBytes(file)));
      }
    }
    List<Sample> samples =
        images.stream().map(png -> new Sample("test/input", 0, png, SampleKind.IMAGE)).toList();
    int size = ServingFixture.SPEC.height() * ServingFixture.SPEC.width();
    float[] pixels = new float[size * samples.size()];
    for (int i = 0; i < samples.size(); i++) {
      ImageFeatures.write(samples.get(i), ServingFixture.SPEC, pixels, i * size);
    }
    try (ClassifierSession session = ClassifierSession.load(files)) {
      for (int i = 0; i < 20; i++) {
        session.probabilities(samples.subList(0, MAX_BATCH));
      }
      long started = System.nanoTime();
      long cpu = processCpuNanos();
      long end = started + duration.toNanos();
      long done = 0;
      int at = 0;
      while (System.nanoTime() < end) {
        if (forwardOnly) {
          session.probabilitiesOfPixels(
              Arrays.copyOfRange(pixels, at * size, (at + MAX_BATCH) * size), MAX_BATCH);
        } else {
          session.probabilities(samples.subList(at, at + MAX_BATCH));
        }
        done += MAX_BATCH;
        at = (at + MAX_BATCH) % samples.size();
      }
      return new Rate(
          done / ((System.nanoTime() - started) / 1e9), done / ((processCpuNanos() - cpu) / 1e9));
    }
  }

  /** Images per wall-clock second, and per second of this process's CPU time (all threads). */
  private record Rate(double perSecond, double perCpuSecond) {}

  /**
   * CPU time of the whole process, native threads included. On a shared machine wall-clock rates
   * follow the scheduler's share, which grows with the number of runnable threads; CPU-time rates
   * compare the work each way needs.
   */
  private static long processCpuNanos() {
    return ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
  }
}
