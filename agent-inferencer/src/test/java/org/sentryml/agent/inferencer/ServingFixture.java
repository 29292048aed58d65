package org.sentryml.agent.inferencer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.ToIntBiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.jspecify.annotations.Nullable;
import org.sentryml.cli.SentryCli;
import org.sentryml.clisupport.CliSupport;
import org.sentryml.confidential.tee.Attester;
import org.sentryml.confidential.tee.EvidenceType;
import org.sentryml.data.dataset.Sample;
import org.sentryml.data.dataset.SampleKind;
import org.sentryml.testkit.PemText;
import org.sentryml.testkit.TestFiles;
import org.sentryml.testkit.TestPki;
import org.sentryml.training.ml.ClassifierSession;
import org.sentryml.training.ml.ClassifierSpec;
import org.sentryml.training.ml.TrainingConfig;

/**
 * What the serving tests share: a signed image classifier (a freshly initialised cnn-v1 for 28x28
 * grayscale, 10 classes), a throwaway PKI (CA, server and client certificates for loopback), seeded
 * test images, TLS clients, and a server run in this JVM on a free port.
 */
final class ServingFixture {
  static final ClassifierSpec SPEC = ClassifierSpec.image(1, 28, 28, 10);
  private static final Pattern SERVING = Pattern.compile("serving https://[^:]+:(\\d+)/");

  /** The PKI's files. */
  record Pki(
      Path ca, Path serverCert, Path serverKey, TestPki.Issued caIssued, TestPki.Issued client) {}

  private ServingFixture() {}

  /** Writes and signs a model into {@code models}, its signature into {@code signatures}. */
  static void signedModel(Path models, Path signatures, Path keys, long seed) {
    try (ClassifierSession session =
        ClassifierSession.create(SPEC, new TrainingConfig(1, 1, 1e-3f, seed), null)) {
      session.save(models);
    }
    sign(models, signatures, keys);
  }

  static void sign(Path models, Path signatures, Path keys) {
    StringWriter out = new StringWriter();
    int code =
        SentryCli.run(
            new String[] {
              "sign",
              models.toString(),
              "--signature",
              signatures.resolve("model.sig").toString(),
              "--force",
              "private-key",
              "--private_key",
              keys.resolve("private.pem").toString()
            },
            new PrintWriter(out, true),
            new PrintWriter(out, true));
    assertEquals(0, code, out.toString());
  }

  /** Runs {@code sentry ARGS...}; returns its exit code. */
  static int cli(String... args) {
    StringWriter out = new StringWriter();
    return SentryCli.run(args, new PrintWriter(out, true), new PrintWriter(out, true));
  }

  static void keygen(Path keys) {
    StringWriter out = new StringWriter();
    int code =
        SentryCli.run(
            new String[] {"keygen", "--out", keys.toString()},
            new PrintWriter(out, true),
            new PrintWriter(out, true));
    assertEquals(0, code, out.toString());
  }

  static Pki pki(Path dir) {
    Instant from = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofDays(1));
    Instant to = from.plus(Duration.ofDays(30));
    TestPki.Issued ca = TestPki.root("Serving Test CA", from, to);
    TestPki.Issued server =
        TestPki.tlsLeaf("sentry-server", ca, from, to, KeyPurposeId.id_kp_serverAuth);
    TestPki.Issued client =
        TestPki.tlsLeaf("sentry-client", ca, from, to, KeyPurposeId.id_kp_clientAuth);
    Path caFile = write(dir.resolve("ca.pem"), PemText.of(ca.certificate()));
    Path serverCert = write(dir.resolve("server.pem"), PemText.of(server.certificate()));
    Path serverKey = write(dir.resolve("server-key.pem"), PemText.of(server.keys().getPrivate()));
    return new Pki(caFile, serverCert, serverKey, ca, client);
  }

  private static Path write(Path file, String text) {
    return TestFiles.write(file, text.getBytes(StandardCharsets.US_ASCII));
  }

  /** A client that trusts the test CA and, when {@code identity} is given, presents it. */
  static HttpClient client(Pki pki, TestPki.@Nullable Issued identity, String... protocols) {
    SSLContext context = context(pki, identity);
    SSLParameters parameters = context.getDefaultSSLParameters();
    if (protocols.length > 0) {
      parameters.setProtocols(protocols);
    }
    return HttpClient.newBuilder()
        .sslContext(context)
        .sslParameters(parameters)
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10))
        .build();
  }

  /** A TLS context trusting the test CA, without a client certificate (for raw sockets). */
  static SSLContext clientContext(Pki pki) {
    return context(pki, null);
  }

  private static SSLContext context(Pki pki, TestPki.@Nullable Issued identity) {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", pki.caIssued().certificate());
      TrustManagerFactory trustManagers =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trustManagers.init(trust);
      KeyManagerFactory keyManagers = null;
      if (identity != null) {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry(
            "client",
            identity.keys().getPrivate(),
            new char[0],
            new X509Certificate[] {identity.certificate(), pki.caIssued().certificate()});
        keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, new char[0]);
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(
          keyManagers == null ? null : keyManagers.getKeyManagers(),
          trustManagers.getTrustManagers(),
          new SecureRandom());
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code count} seeded 28x28 grayscale PNGs: strokes on noise, so classes vary. */
  static List<byte[]> images(int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<byte[]> images = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      images.add(png(28, 28, random));
    }
    return images;
  }

  static byte[] png(int width, int height, SplittableRandom random) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    int band = random.nextInt(height);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int base = Math.abs(y - band) < 3 ? 200 : 10;
        image.getRaster().setSample(x, y, 0, base + random.nextInt(50));
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The probabilities the model in {@code models} gives each image, in this process, in order. */
  static float[][] inProcess(Path models, List<byte[]> images) throws IOException {
    Map<String, ByteBuffer> files = new HashMap<>();
    try (Stream<Path> list = Files.list(models)) {
      for (Path file : list.toList()) {
        files.put(file.getFileName().toString(), ByteBuffer.wrap(Files.readAllBytes(file)));
      }
    }
    List<Sample> samples =
        images.stream().map(png -> new Sample("test/input", 0, png, SampleKind.IMAGE)).toList();
    try (ClassifierSession session = ClassifierSession.load(files)) {
      return session.probabilities(samples);
    }
  }

  /** POSTs {@code body} as {@code type} to the server's {@code /v1/predict}. */
  static HttpResponse<String> post(HttpClient client, Server server, String type, byte[] body)
      throws IOException, InterruptedException {
    return client.send(
        HttpRequest.newBuilder(server.uri("/v1/predict"))
            .header("Content-Type", type)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> get(HttpClient client, Server server, String path)
      throws IOException, InterruptedException {
    return client.send(
        HttpRequest.newBuilder(server.uri(path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static JsonObject json(HttpResponse<String> response) {
    return JsonParser.parseString(response.body()).getAsJsonObject();
  }

  /** One answered prediction holds {@code expected} (to 1e-5) and names its most likely class. */
  static void assertSameProbabilities(float[] expected, JsonObject prediction, String what) {
    JsonArray actual = prediction.getAsJsonArray("probabilities");
    assertEquals(expected.length, actual.size(), what);
    int best = 0;
    for (int c = 0; c < expected.length; c++) {
      assertEquals(expected[c], actual.get(c).getAsFloat(), 1e-5f, what + " class " + c);
      best = expected[c] > expected[best] ? c : best;
    }
    assertEquals(best, prediction.get("class").getAsInt(), what);
  }

  /** A loopback port that was free a moment ago, for a server that must not open it. */
  static int freeLoopbackPort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return probe.getLocalPort();
    }
  }

  /** Nothing listens on the loopback {@code port}. */
  static void assertNothingListensOn(int port) {
    assertThrows(
        ConnectException.class,
        () -> new Socket(InetAddress.getLoopbackAddress(), port).close(),
        "nothing listens on port " + port);
  }

  /** A {@code sentry-inferencer serve} running on a thread of this JVM. */
  static final class Server implements AutoCloseable {
    private final Thread thread;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private volatile int exitCode = -1;

    private Server(ToIntBiFunction<PrintWriter, PrintWriter> main) {
      thread =
          new Thread(
              () ->
                  exitCode =
                      main.applyAsInt(new PrintWriter(out, true), new PrintWriter(err, true)),
              "serve-under-test");
      thread.start();
    }

    /** Starts {@code sentry-inferencer serve ARGS} and waits until it listens (or has exited). */
    static Server start(List<String> args) throws InterruptedException {
      List<String> all = new ArrayList<>(List.of("serve"));
      all.addAll(args);
      return awaitListening(
          new Server((out, err) -> InferencerAgent.run(all.toArray(String[]::new), out, err)));
    }

    /**
     * {@link #start(List)}, attesting to {@code --key-server} with {@code attesters} (the agent's
     * own sample attester measures installed jars only, and this JVM runs from class folders).
     */
    static Server start(List<String> args, Function<EvidenceType, Attester> attesters)
        throws InterruptedException {
      return awaitListening(
          new Server(
              (out, err) ->
                  CliSupport.commandLine(new ServeCommand(attesters), out, err)
                      .execute(args.toArray(String[]::new))));
    }

    private static Server awaitListening(Server server) throws InterruptedException {
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (server.port() < 0 && server.thread.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      return server;
    }

    int port() {
      Matcher matcher = SERVING.matcher(out.toString());
      return matcher.find() ? Integer.parseInt(matcher.group(1)) : -1;
    }

    URI uri(String path) {
      return URI.create("https://localhost:" + port() + path);
    }

    boolean running() {
      return thread.isAlive();
    }

    /** Waits for a server that stops by itself (a refusal at start) and returns its exit code. */
    int awaitExit() throws InterruptedException {
      thread.join(Duration.ofMinutes(2));
      return exitCode;
    }

    String output() {
      return out + "\n" + err;
    }

    @Override
    public void close() {
      thread.interrupt();
      try {
        thread.join(Duration.ofSeconds(30));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
