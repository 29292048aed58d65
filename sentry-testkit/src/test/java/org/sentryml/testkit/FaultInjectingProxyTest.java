package org.sentryml.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sentryml.testkit.FaultInjectingProxy.Faults;

/**
 * The proxy against a small upstream of its own: {@code /file} is a 5,000-byte file (206 for {@code
 * Range: bytes=N-}), {@code /api} a JSON document larger than any truncation here.
 */
class FaultInjectingProxyTest {
  private static final byte[] FILE = TestFiles.randomBytes(7, 5_000);
  private static final byte[] JSON =
      ("{\"entries\":\"" + "x".repeat(3_000) + "\"}").getBytes(StandardCharsets.UTF_8);
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

  private HttpServer upstream;
  private final List<String> upstreamRanges = new CopyOnWriteArrayList<>();
  private final HttpClient client = HttpClient.newHttpClient();

  @BeforeEach
  void startUpstream() throws IOException {
    upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    upstream.createContext("/file", this::serveFile);
    upstream.createContext(
        "/api",
        exchange -> {
          try (exchange) {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange
                .getResponseHeaders()
                .set("Link", "<" + upstreamUri() + "/api?cursor=2>; rel=\"next\"");
            exchange.sendResponseHeaders(200, JSON.length);
            exchange.getResponseBody().write(JSON);
          }
        });
    upstream.start();
  }

  private void serveFile(HttpExchange exchange) throws IOException {
    try (exchange) {
      String range = exchange.getRequestHeaders().getFirst("Range");
      upstreamRanges.add(String.valueOf(range));
      exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
      exchange.getResponseHeaders().set("ETag", "\"file-etag\"");
      int start = 0;
      int status = 200;
      Matcher m = range == null ? null : RANGE.matcher(range);
      if (m != null && m.matches()) {
        start = Integer.parseInt(m.group(1));
        status = 206;
        exchange
            .getResponseHeaders()
            .set("Content-Range", "bytes " + start + "-" + (FILE.length - 1) + "/" + FILE.length);
      }
      exchange.sendResponseHeaders(status, FILE.length - start);
      exchange.getResponseBody().write(FILE, start, FILE.length - start);
    }
  }

  @AfterEach
  void stop() {
    upstream.stop(0);
    client.close();
  }

  private URI upstreamUri() {
    return URI.create("http://127.0.0.1:" + upstream.getAddress().getPort());
  }

  private HttpResponse<byte[]> get(FaultInjectingProxy proxy, String path, String... headers)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(proxy.baseUri().resolve(path));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void withoutFaults_forwardsStatusHeadersAndBodiesUnchanged() throws Exception {
    try (FaultInjectingProxy proxy = FaultInjectingProxy.start(upstreamUri(), Faults.none())) {
      HttpResponse<byte[]> whole = get(proxy, "/file");
      assertEquals(200, whole.statusCode());
      assertArrayEquals(FILE, whole.body());
      assertEquals("\"file-etag\"", whole.headers().firstValue("ETag").orElseThrow());
      HttpResponse<byte[]> tail = get(proxy, "/file", "Range", "bytes=4000-");
      assertEquals(206, tail.statusCode());
      assertEquals(
          "bytes 4000-4999/5000", tail.headers().firstValue("Content-Range").orElseThrow());
      assertArrayEquals(Arrays.copyOfRange(FILE, 4000, 5000), tail.body());
      assertArrayEquals(JSON, get(proxy, "/api").body());
    }
  }

  @Test
  void upstreamLinks_arePointedBackAtTheProxy() throws Exception {
    try (FaultInjectingProxy proxy = FaultInjectingProxy.start(upstreamUri(), Faults.none())) {
      assertEquals(
          "<" + proxy.baseUri() + "/api?cursor=2>; rel=\"next\"",
          get(proxy, "/api").headers().firstValue("Link").orElseThrow());
    }
  }

  @Test
  void requests_areLoggedWithTargetRangeAndWhetherAuthorized() throws Exception {
    try (FaultInjectingProxy proxy = FaultInjectingProxy.start(upstreamUri(), Faults.none())) {
      get(proxy, "/file?x=1", "Range", "bytes=10-", "Authorization", "Bearer t");
      get(proxy, "/api");
      assertEquals(
          List.of(
              new FaultInjectingProxy.Request("GET", "/file?x=1", "bytes=10-", true),
              new FaultInjectingProxy.Request("GET", "/api", null, false)),
          proxy.requests());
    }
  }

  @Test
  void requiredToken_answers401WithoutItAndNeverReachesTheUpstream() throws Exception {
    Faults locked = Faults.none().requireToken("t0k");
    try (FaultInjectingProxy proxy = FaultInjectingProxy.start(upstreamUri(), locked)) {
      assertEquals(401, get(proxy, "/file").statusCode());
      assertEquals(401, get(proxy, "/file", "Authorization", "Bearer wrong").statusCode());
      assertEquals(List.of(), upstreamRanges);
      HttpResponse<byte[]> allowed = get(proxy, "/file", "Authorization", "Bearer t0k");
      assertEquals(200, allowed.statusCode());
      assertArrayEquals(FILE, allowed.body());
      assertEquals(
          List.of(false, false, true),
          proxy.requests().stream().map(FaultInjectingProxy.Request::authorized).toList());
    }
    assertFalse(locked.toString().contains("t0k"), "faults never print the token");
  }

  @Test
  void strippedRange_makesTheUpstreamAnswerTheWholeFile() throws Exception {
    try (FaultInjectingProxy proxy =
        FaultInjectingProxy.start(upstreamUri(), Faults.none().stripRange())) {
      HttpResponse<byte[]> answer = get(proxy, "/file", "Range", "bytes=4000-");
      assertEquals(200, answer.statusCode());
      assertArrayEquals(FILE, answer.body());
      assertEquals(List.of("null"), upstreamRanges);
      assertEquals(
          "bytes=4000-", proxy.requests().get(0).range(), "the log shows the request as received");
    }
  }

  @Test
  void redirect_sendsFilesToTheSamePathOnAnotherHostWithTheUpstreamsHeaders() throws Exception {
    URI cdn = URI.create("http://127.0.0.2:8443");
    try (FaultInjectingProxy proxy =
        FaultInjectingProxy.start(upstreamUri(), Faults.none().redirectFilesTo(cdn))) {
      HttpResponse<byte[]> answer = get(proxy, "/file?download=1");
      assertEquals(302, answer.statusCode());
      assertEquals(
          "http://127.0.0.2:8443/file?download=1",
          answer.headers().firstValue("Location").orElseThrow());
      assertEquals("\"file-etag\"", answer.headers().firstValue("ETag").orElseThrow());
      assertEquals(0, answer.body().length);
      HttpResponse<byte[]> api = get(proxy, "/api");
      assertEquals(200, api.statusCode(), "only files are redirected");
      assertArrayEquals(JSON, api.body());
    }
  }

  @Test
  void truncation_cutsFilesAfterTheirFullLengthIsAnnouncedButNotApiAnswers() throws Exception {
    try (FaultInjectingProxy proxy =
        FaultInjectingProxy.start(upstreamUri(), Faults.none().truncateFilesAfter(1000))) {
      HttpResponse<InputStream> streamed =
          client.send(
              HttpRequest.newBuilder(proxy.baseUri().resolve("/file")).build(),
              HttpResponse.BodyHandlers.ofInputStream());
      assertEquals(5000, streamed.headers().firstValueAsLong("Content-Length").orElseThrow());
      try (var body = streamed.body()) {
        byte[] head = body.readNBytes(1000);
        assertArrayEquals(Arrays.copyOf(FILE, 1000), head);
        assertThrows(IOException.class, body::read);
      }
      assertArrayEquals(JSON, get(proxy, "/api").body());
    }
  }

  @Test
  void corruption_flipsTheFilesFirstByteOnlyWhereTheBodyStartsAtOffsetZero() throws Exception {
    try (FaultInjectingProxy proxy =
        FaultInjectingProxy.start(upstreamUri(), Faults.none().corruptFirstByte())) {
      byte[] expected = FILE.clone();
      expected[0] = (byte) ~expected[0];
      assertArrayEquals(expected, get(proxy, "/file").body());
      assertArrayEquals(expected, get(proxy, "/file", "Range", "bytes=0-").body());
      assertArrayEquals(
          Arrays.copyOfRange(FILE, 10, 5000), get(proxy, "/file", "Range", "bytes=10-").body());
      assertArrayEquals(JSON, get(proxy, "/api").body());
    }
  }

  @Test
  void unreachableUpstream_isA502NamingIt() throws Exception {
    URI closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }
    try (FaultInjectingProxy proxy = FaultInjectingProxy.start(closed, Faults.none())) {
      HttpResponse<byte[]> answer = get(proxy, "/api");
      assertEquals(502, answer.statusCode());
      assertTrue(new String(answer.body(), StandardCharsets.UTF_8).contains(closed.toString()));
    }
  }
}
