package org.sentryml.agent.inferencer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sentryml.agent.inferencer.ServingFixture.assertSameProbabilities;
import static org.sentryml.agent.inferencer.ServingFixture.get;
import static org.sentryml.agent.inferencer.ServingFixture.json;
import static org.sentryml.agent.inferencer.ServingFixture.post;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.testkit.TestTags;

/**
 * {@code sentry-inferencer serve} as a client sees it: HTTPS answers equal to in-process
 * predictions, mutual TLS, a tampered model refused at start (no port, exit 1) and at reload (the
 * old model keeps answering), and every bad input with its status.
 */
@Tag(TestTags.E2E)
class ServeEndToEndTest {
  @TempDir static Path shared;
  @TempDir Path work;

  private static ServingFixture.Pki pki;
  private static Path keys;

  @BeforeAll
  static void keysAndCertificates() {
    keys = shared.resolve("keys");
    ServingFixture.keygen(keys);
    pki = ServingFixture.pki(shared);
  }

  private List<String> args(Path models, Path signatures, String... extra) {
    List<String> args =
        new ArrayList<>(
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
                "--quiet"));
    args.addAll(List.of(extra));
    args.addAll(List.of("private-key", "--public_key", keys.resolve("public.pem").toString()));
    return args;
  }

  private Path[] signedModel(long seed) throws IOException {
    Path models = Files.createDirectories(work.resolve("models"));
    Path signatures = Files.createDirectories(work.resolve("signatures"));
    ServingFixture.signedModel(models, signatures, keys, seed);
    return new Path[] {models, signatures};
  }

  @Test
  void predictionsOverHttpsEqualInProcessPredictions() throws Exception {
    Path[] model = signedModel(11);
    List<byte[]> images = ServingFixture.images(12, 5);
    float[][] expected = ServingFixture.inProcess(model[0], images);
    try (ServingFixture.Server server = ServingFixture.Server.start(args(model[0], model[1]))) {
      assertTrue(server.port() > 0, server.output());
      HttpClient client = ServingFixture.client(pki, null);
      List<CompletableFuture<HttpResponse<String>>> concurrent = new ArrayList<>();
      for (byte[] image : images) {
        concurrent.add(
            client.sendAsync(
                HttpRequest.newBuilder(server.uri("/v1/predict"))
                    .header("Content-Type", "image/png")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(image))
                    .build(),
                HttpResponse.BodyHandlers.ofString()));
      }
      String root = null;
      for (int i = 0; i < images.size(); i++) {
        HttpResponse<String> response = concurrent.get(i).get();
        assertEquals(200, response.statusCode(), response.body());
        JsonObject answer = json(response);
        root = answer.get("model_root").getAsString();
        JsonArray predictions = answer.getAsJsonArray("predictions");
        assertEquals(1, predictions.size());
        assertSameProbabilities(expected[i], predictions.get(0).getAsJsonObject(), "image " + i);
      }
      JsonArray inputs = new JsonArray();
      images.forEach(image -> inputs.add(Base64.getEncoder().encodeToString(image)));
      JsonObject batch = new JsonObject();
      batch.add("inputs", inputs);
      HttpResponse<String> batched =
          post(
              client,
              server,
              "application/json",
              batch.toString().getBytes(StandardCharsets.UTF_8));
      assertEquals(200, batched.statusCode(), batched.body());
      JsonArray predictions = json(batched).getAsJsonArray("predictions");
      for (int i = 0; i < images.size(); i++) {
        assertSameProbabilities(
            expected[i], predictions.get(i).getAsJsonObject(), "batched image " + i);
      }

      JsonObject info = json(get(client, server, "/v1/model"));
      assertEquals(root, info.get("model_root").getAsString());
      assertTrue(info.get("signer").getAsString().contains("public key"), info.toString());
      assertEquals(28, info.getAsJsonObject("input").get("width").getAsInt());
      assertTrue(info.get("provenance").isJsonNull());
      assertEquals(0, info.getAsJsonObject("reload").get("refusals").getAsInt());

      HttpResponse<String> health = get(client, server, "/healthz");
      assertEquals(200, health.statusCode());
      assertEquals("ok\n", health.body());
      HttpResponse<String> metrics = get(client, server, "/metrics");
      assertTrue(
          metrics
              .headers()
              .firstValue("Content-Type")
              .orElse("")
              .startsWith("text/plain; version=0.0.4"));
      assertTrue(
          metrics
              .body()
              .contains("sentry_requests_total{route=\"/v1/predict\",status=\"200\"} 13\n"),
          metrics.body());
      assertTrue(metrics.body().contains("sentry_batched_inputs_total 24\n"), metrics.body());
      assertTrue(metrics.body().contains("sentry_model_info{root=\"" + root + "\"} 1\n"));
    }
  }

  @Test
  void anEncryptedModelIsDecryptedInMemoryVerifiedAndServed() throws Exception {
    Path[] model = signedModel(18);
    Path store = work.resolve("key-store");
    Path encrypted = work.resolve("encrypted-model");
    assertEquals(0, ServingFixture.cli("keys", "init", "--store", store.toString()));
    assertEquals(
        0,
        ServingFixture.cli(
            "encrypt",
            model[0].toString(),
            "--out",
            encrypted.toString(),
            "--id",
            "served-cnn@1",
            "--store",
            store.toString()));
    List<byte[]> images = ServingFixture.images(3, 8);
    float[] expected = ServingFixture.inProcess(model[0], images)[0];

    try (ServingFixture.Server refused = ServingFixture.Server.start(args(encrypted, model[1]))) {
      assertEquals(2, refused.awaitExit(), refused.output());
      assertTrue(refused.output().contains("--key-store"), refused.output());
    }
    try (ServingFixture.Server server =
        ServingFixture.Server.start(args(encrypted, model[1], "--key-store", store.toString()))) {
      assertTrue(server.port() > 0, server.output());
      HttpResponse<String> answer =
          post(ServingFixture.client(pki, null), server, "image/png", images.get(0));
      assertEquals(200, answer.statusCode(), answer.body());
      assertSameProbabilities(
          expected,
          json(answer).getAsJsonArray("predictions").get(0).getAsJsonObject(),
          "encrypted model");
    }
  }

  @Test
  void withAClientCaAClientWithoutACertificateOrOnTls12IsRefused() throws Exception {
    Path[] model = signedModel(12);
    try (ServingFixture.Server server =
        ServingFixture.Server.start(args(model[0], model[1], "--client-ca", pki.ca().toString()))) {
      assertTrue(server.port() > 0, server.output());
      assertThrows(
          IOException.class, () -> get(ServingFixture.client(pki, null), server, "/healthz"));
      assertThrows(
          IOException.class,
          () -> get(ServingFixture.client(pki, pki.client(), "TLSv1.2"), server, "/healthz"));
      HttpResponse<String> allowed =
          get(ServingFixture.client(pki, pki.client()), server, "/healthz");
      assertEquals(200, allowed.statusCode());
    }
  }

  @Test
  void aTamperedModelAtStartOpensNoPortAndExitsWithOne() throws Exception {
    Path[] model = signedModel(13);
    byte[] params = Files.readAllBytes(model[0].resolve("model.params"));
    params[params.length / 2] ^= 1;
    Files.write(model[0].resolve("model.params"), params);
    int port = ServingFixture.freeLoopbackPort();
    List<String> args = args(model[0], model[1]);
    args.set(args.indexOf("127.0.0.1:0"), "127.0.0.1:" + port);
    try (ServingFixture.Server server = ServingFixture.Server.start(args)) {
      assertEquals(1, server.awaitExit(), server.output());
      assertTrue(server.output().contains("does not match"), server.output());
      assertFalse(server.output().contains("serving https://"), server.output());
    }
    ServingFixture.assertNothingListensOn(port);
  }

  @Test
  void aNewModelIsSwappedInAndATamperedOneIsRefusedWhileTheOldKeepsAnswering() throws Exception {
    Path[] model = signedModel(14);
    byte[] image = ServingFixture.images(1, 9).get(0);
    try (ServingFixture.Server server =
        ServingFixture.Server.start(args(model[0], model[1], "--reload-interval-s", "1"))) {
      HttpClient client = ServingFixture.client(pki, null);
      String first = json(get(client, server, "/v1/model")).get("model_root").getAsString();

      // A new, signed model, put in place with renames so that no poll sees half of it.
      Path staging = Files.createDirectories(work.resolve("staging/models"));
      Path stagingSigs = Files.createDirectories(work.resolve("staging/signatures"));
      ServingFixture.signedModel(staging, stagingSigs, keys, 15);
      float[] expected = ServingFixture.inProcess(staging, List.of(image))[0];
      for (String name : List.of("model.params", "model.json")) {
        Files.move(
            staging.resolve(name), model[0].resolve(name), StandardCopyOption.REPLACE_EXISTING);
      }
      Files.move(
          stagingSigs.resolve("model.sig"),
          model[1].resolve("model.sig"),
          StandardCopyOption.REPLACE_EXISTING);
      JsonObject reloaded =
          awaitModel(
              client,
              server,
              info -> info.getAsJsonObject("reload").get("reloads").getAsInt() == 1);
      String second = reloaded.get("model_root").getAsString();
      assertNotEquals(first, second);
      JsonObject answer = json(post(client, server, "image/png", image));
      assertEquals(second, answer.get("model_root").getAsString());
      assertSameProbabilities(
          expected, answer.getAsJsonArray("predictions").get(0).getAsJsonObject(), "new model");

      // Now a tampered model under the same signature: refused, the second model keeps serving.
      byte[] params = Files.readAllBytes(model[0].resolve("model.params"));
      params[params.length - 5] ^= 0x40;
      Files.write(model[0].resolve("model.params"), params);
      JsonObject refused =
          awaitModel(
              client,
              server,
              info -> info.getAsJsonObject("reload").get("refusals").getAsInt() == 1);
      assertEquals(second, refused.get("model_root").getAsString());
      assertTrue(
          refused
              .getAsJsonObject("reload")
              .getAsJsonObject("last_refusal")
              .get("reason")
              .getAsString()
              .contains("model.params"),
          refused.toString());
      HttpResponse<String> still = post(client, server, "image/png", image);
      assertEquals(200, still.statusCode(), still.body());
      assertEquals(second, json(still).get("model_root").getAsString());
      assertSameProbabilities(
          expected,
          json(still).getAsJsonArray("predictions").get(0).getAsJsonObject(),
          "old model after refusal");
      String metrics = get(client, server, "/metrics").body();
      assertTrue(metrics.contains("sentry_reloads_total{outcome=\"refused\"} 1\n"), metrics);
      assertTrue(metrics.contains("sentry_reloads_total{outcome=\"ok\"} 1\n"), metrics);
      assertTrue(server.output().contains("reload refused"), server.output());
    }
  }

  private static JsonObject awaitModel(
      HttpClient client, ServingFixture.Server server, Predicate<JsonObject> condition)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    JsonObject info = json(get(client, server, "/v1/model"));
    while (!condition.test(info) && System.nanoTime() < deadline) {
      Thread.sleep(200);
      info = json(get(client, server, "/v1/model"));
    }
    assertTrue(condition.test(info), info.toString());
    return info;
  }

  @Test
  void badInputsGetTheirStatusAndReason() throws Exception {
    Path[] model = signedModel(16);
    try (ServingFixture.Server server =
        ServingFixture.Server.start(
            args(model[0], model[1], "--max-body-bytes", "4096", "--max-inputs", "2"))) {
      HttpClient client = ServingFixture.client(pki, null);
      byte[] image = ServingFixture.images(1, 3).get(0);

      HttpResponse<String> tooLarge = post(client, server, "image/png", new byte[5000]);
      assertEquals(413, tooLarge.statusCode(), tooLarge.body());

      HttpResponse<String> notPng =
          post(client, server, "image/png", "hello".getBytes(StandardCharsets.US_ASCII));
      assertEquals(400, notPng.statusCode());
      assertTrue(json(notPng).get("error").getAsString().contains("not a PNG"), notPng.body());

      byte[] wrongSize = ServingFixture.png(32, 32, new SplittableRandom(1));
      HttpResponse<String> dims = post(client, server, "image/png", wrongSize);
      assertEquals(400, dims.statusCode());
      assertTrue(
          json(dims).get("error").getAsString().contains("32x32, the model takes 28x28"),
          dims.body());

      byte[] notUtf8 = {'{', '"', 'i', (byte) 0xff, '"', '}'};
      HttpResponse<String> utf8 = post(client, server, "application/json", notUtf8);
      assertEquals(400, utf8.statusCode());
      assertTrue(json(utf8).get("error").getAsString().contains("not valid UTF-8"), utf8.body());

      String three = "{\"inputs\": [\"a\", \"b\", \"c\"]}";
      HttpResponse<String> tooMany =
          post(client, server, "application/json", three.getBytes(StandardCharsets.UTF_8));
      assertEquals(413, tooMany.statusCode(), tooMany.body());

      HttpResponse<String> textToImages =
          post(client, server, "text/plain", "a cat".getBytes(StandardCharsets.UTF_8));
      assertEquals(400, textToImages.statusCode());

      assertEquals(415, post(client, server, "image/gif", image).statusCode());
      assertEquals(405, get(client, server, "/v1/predict").statusCode());
      assertEquals(404, get(client, server, "/v1/other").statusCode());
      assertEquals(200, post(client, server, "image/png", image).statusCode());

      String metrics = get(client, server, "/metrics").body();
      assertTrue(metrics.contains("sentry_refusals_total{reason=\"too_large\"} 1\n"), metrics);
      assertTrue(metrics.contains("sentry_refusals_total{reason=\"bad_input\"} 4\n"), metrics);
      assertTrue(metrics.contains("sentry_refusals_total{reason=\"too_many_inputs\"} 1\n"));
    }
  }

  @Test
  void slowAndIdleClientsAreCutOffAndRequestsOverTheLimitGet503() throws Exception {
    Path[] model = signedModel(17);
    try (ServingFixture.Server server =
        ServingFixture.Server.start(args(model[0], model[1], "--max-connections", "1"))) {
      HttpClient client = ServingFixture.client(pki, null);
      SSLContext tls = ServingFixture.clientContext(pki);
      try (SSLSocket slow =
          (SSLSocket) tls.getSocketFactory().createSocket("localhost", server.port())) {
        slow.setSoTimeout(30_000);
        OutputStream out = slow.getOutputStream();
        // Headers and a promise of 1000 bytes, then nothing: the request holds the one slot.
        out.write(
            ("POST /v1/predict HTTP/1.1\r\nHost: localhost\r\nContent-Type: image/png\r\n"
                    + "Content-Length: 1000\r\n\r\n0123456789")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        HttpResponse<String> busy = awaitStatus(client, server, 503);
        assertEquals("1", busy.headers().firstValue("Retry-After").orElse(""));
        // The server's request timeout (3 s in the test JVM) closes the slow connection.
        long started = System.nanoTime();
        InputStream in = slow.getInputStream();
        assertTrue(drainsToEnd(in), "the slow connection is closed");
        assertTrue(System.nanoTime() - started < Duration.ofSeconds(25).toNanos());
      }
      assertEquals(200, awaitStatus(client, server, 200).statusCode());
      try (Socket idle = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
        idle.setSoTimeout(30_000);
        // No TLS handshake, no request: closed after the request timeout too.
        assertEquals(-1, idle.getInputStream().read());
      }
      String metrics = get(client, server, "/metrics").body();
      assertTrue(metrics.contains("sentry_refusals_total{reason=\"connections\"}"), metrics);
    }
  }

  /** Reads until the end of the stream; a reset counts as closed too. */
  private static boolean drainsToEnd(InputStream in) {
    try {
      while (in.read() >= 0) {
        // A response (there should be none before the close) is skipped.
      }
      return true;
    } catch (IOException e) {
      return !(e instanceof SocketTimeoutException);
    }
  }

  private static HttpResponse<String> awaitStatus(
      HttpClient client, ServingFixture.Server server, int status) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    HttpResponse<String> response = get(client, server, "/healthz");
    while (response.statusCode() != status && System.nanoTime() < deadline) {
      Thread.sleep(100);
      response = get(client, server, "/healthz");
    }
    assertEquals(status, response.statusCode(), response.body());
    return response;
  }
}
