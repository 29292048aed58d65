package org.sentryml.testkit;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback HTTP/1.1 reverse proxy that forwards every request to one upstream server and breaks
 * the answers the way networks and servers do, for client tests: it can require a bearer token,
 * strip {@code Range} so that the upstream answers 200 with the whole file, redirect file downloads
 * to another host, cut a file's body short after announcing its full length, and flip a file's
 * first byte; it logs every request it receives.
 *
 * <p>A "file" is an answer of {@code Content-Type: application/octet-stream}; the faults on files
 * leave every other answer (API JSON, errors) as the upstream sent it. The proxy knows nothing of
 * what it forwards, so a fault is the same against any upstream. As reverse proxies do, it rewrites
 * the upstream's own base URL in {@code Location} and {@code Link} headers to its own, so that
 * redirects and next pages come back through it. Binds 127.0.0.1 on a free port; thread-safe.
 */
public final class FaultInjectingProxy implements AutoCloseable {
  /** Request headers the JDK's HttpClient sets itself, plus the hop-by-hop ones. */
  private static final Set<String> NOT_FORWARDED =
      Set.of(
          "connection",
          "content-length",
          "expect",
          "host",
          "upgrade",
          "keep-alive",
          "transfer-encoding",
          "te");

  /** Response headers the JDK's HttpServer writes itself. */
  private static final Set<String> NOT_RETURNED =
      Set.of("connection", "content-length", "date", "transfer-encoding");

  /** Response headers that may name the upstream, and are pointed back at the proxy. */
  private static final Set<String> REWRITTEN = Set.of("location", "link");

  private static final String FILE_TYPE = "application/octet-stream";

  /**
   * The faults to inject; {@link #none()} forwards every request and answer unchanged.
   *
   * @param requiredToken the token every request must carry as {@code Authorization: Bearer
   *     <token>}, else it is answered 401 without reaching the upstream; null for none
   * @param rangeStripped whether {@code Range} headers are dropped before forwarding
   * @param redirectTo if set, file downloads are answered 302 to the same path and query on this
   *     base, with the upstream's other headers (as the Hugging Face Hub redirects LFS files to a
   *     CDN)
   * @param truncateAfter if not negative, a file's body ends after this many bytes although its
   *     full length is announced, and the connection is dropped
   * @param firstByteFlipped whether the bits of a file's first byte (at file offset 0) are flipped
   */
  public record Faults(
      String requiredToken,
      boolean rangeStripped,
      URI redirectTo,
      long truncateAfter,
      boolean firstByteFlipped) {
    public static Faults none() {
      return new Faults(null, false, null, -1, false);
    }

    public Faults requireToken(String token) {
      return new Faults(token, rangeStripped, redirectTo, truncateAfter, firstByteFlipped);
    }

    public Faults stripRange() {
      return new Faults(requiredToken, true, redirectTo, truncateAfter, firstByteFlipped);
    }

    public Faults redirectFilesTo(URI base) {
      return new Faults(requiredToken, rangeStripped, base, truncateAfter, firstByteFlipped);
    }

    public Faults truncateFilesAfter(long bytes) {
      return new Faults(requiredToken, rangeStripped, redirectTo, bytes, firstByteFlipped);
    }

    public Faults corruptFirstByte() {
      return new Faults(requiredToken, rangeStripped, redirectTo, truncateAfter, true);
    }

    @Override
    public String toString() {
      // The token stays out of logs and test reports.
      return String.format(
          Locale.ROOT,
          "Faults[token=%s, rangeStripped=%b, redirectTo=%s, truncateAfter=%d, firstByteFlipped=%b]",
          requiredToken == null ? "none" : "set",
          rangeStripped,
          redirectTo,
          truncateAfter,
          firstByteFlipped);
    }
  }

  /**
   * A request as the proxy received it.
   *
   * @param target the path and query
   * @param range the {@code Range} header, or null
   * @param authorized whether it carried an {@code Authorization} header, and the required token
   *     where one is required
   */
  public record Request(String method, String target, String range, boolean authorized) {}

  private final URI upstream;
  private final Faults faults;
  private final HttpServer server;
  private final ExecutorService executor;
  private final HttpClient client;
  private final ConcurrentLinkedQueue<Request> requests = new ConcurrentLinkedQueue<>();

  private FaultInjectingProxy(
      URI upstream, Faults faults, HttpServer server, ExecutorService executor) {
    this.upstream = upstream;
    this.faults = faults;
    this.server = server;
    this.executor = executor;
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /**
   * Starts a proxy to {@code upstream} (e.g. {@code http://127.0.0.1:41234}) with {@code faults}.
   */
  public static FaultInjectingProxy start(URI upstream, Faults faults) {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
      FaultInjectingProxy proxy = new FaultInjectingProxy(upstream, faults, server, executor);
      server.createContext("/", proxy::handle);
      server.setExecutor(executor);
      server.start();
      return proxy;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the fault-injecting proxy", e);
    }
  }

  /** The base URL clients should use instead of the upstream's. */
  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The requests received so far, oldest first. */
  public List<Request> requests() {
    return List.copyOf(requests);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    client.close();
  }

  private void handle(HttpExchange exchange) {
    try (exchange) {
      forward(exchange);
    } catch (IOException e) {
      // The client went away, or the connection was dropped on purpose (a truncated body).
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void forward(HttpExchange exchange) throws IOException, InterruptedException {
    String target =
        exchange.getRequestURI().getRawPath()
            + (exchange.getRequestURI().getRawQuery() == null
                ? ""
                : "?" + exchange.getRequestURI().getRawQuery());
    boolean authorized = authorized(exchange.getRequestHeaders().getFirst("Authorization"));
    requests.add(
        new Request(
            exchange.getRequestMethod(),
            target,
            exchange.getRequestHeaders().getFirst("Range"),
            authorized));
    if (faults.requiredToken() != null && !authorized) {
      sendStatus(exchange, 401, "a bearer token is required");
      return;
    }
    HttpResponse<InputStream> answer;
    try {
      answer =
          client.send(upstreamRequest(exchange, target), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      sendStatus(exchange, 502, "upstream " + upstream + " failed: " + e.getMessage());
      return;
    }
    try (InputStream body = answer.body()) {
      boolean file = answer.headers().firstValue("Content-Type").orElse("").startsWith(FILE_TYPE);
      returnHeaders(answer, exchange.getResponseHeaders());
      if (file && faults.redirectTo() != null && answer.statusCode() / 100 == 2) {
        exchange.getResponseHeaders().remove("Content-Range");
        exchange
            .getResponseHeaders()
            .set("Location", faults.redirectTo().resolve(target).toString());
        exchange.sendResponseHeaders(302, -1);
        return;
      }
      long length = answer.headers().firstValueAsLong("Content-Length").orElse(-1);
      if (exchange.getRequestMethod().equals("HEAD")) {
        if (length >= 0) {
          exchange.getResponseHeaders().set("Content-Length", Long.toString(length));
        }
        exchange.sendResponseHeaders(answer.statusCode(), -1);
        return;
      }
      // The JDK server reads 0 as "chunked" and -1 as "no body".
      exchange.sendResponseHeaders(answer.statusCode(), length == 0 ? -1 : length < 0 ? 0 : length);
      long limit = file && faults.truncateAfter() >= 0 ? faults.truncateAfter() : Long.MAX_VALUE;
      boolean corrupt = file && faults.firstByteFlipped() && startsAtFileOffsetZero(answer);
      copyBody(body, exchange.getResponseBody(), limit, corrupt);
    }
  }

  private HttpRequest upstreamRequest(HttpExchange exchange, String target) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(upstream.resolve(target))
            .method(
                exchange.getRequestMethod(),
                body.length == 0
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    exchange
        .getRequestHeaders()
        .forEach(
            (name, values) -> {
              String lower = name.toLowerCase(Locale.ROOT);
              if (!NOT_FORWARDED.contains(lower)
                  && !(faults.rangeStripped() && lower.equals("range"))) {
                values.forEach(value -> request.header(name, value));
              }
            });
    return request.build();
  }

  private void returnHeaders(HttpResponse<?> answer, Headers into) {
    String upstreamBase = upstream.toString().replaceFirst("/$", "");
    String ownBase = baseUri().toString();
    answer
        .headers()
        .map()
        .forEach(
            (name, values) -> {
              String lower = name.toLowerCase(Locale.ROOT);
              if (REWRITTEN.contains(lower)) {
                into.put(
                    name,
                    values.stream().map(value -> value.replace(upstreamBase, ownBase)).toList());
              } else if (!NOT_RETURNED.contains(lower)) {
                into.put(name, values);
              }
            });
  }

  /** A 200 starts at offset 0; a 206 where its Content-Range says so. */
  private static boolean startsAtFileOffsetZero(HttpResponse<?> answer) {
    return answer.statusCode() == 200
        || (answer.statusCode() == 206
            && answer.headers().firstValue("Content-Range").orElse("").startsWith("bytes 0-"));
  }

  private static void copyBody(InputStream in, OutputStream out, long limit, boolean corrupt)
      throws IOException {
    byte[] buffer = new byte[1 << 16];
    long sent = 0;
    while (sent < limit) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - sent));
      if (n < 0) {
        break;
      }
      if (corrupt && sent == 0 && n > 0) {
        buffer[0] = (byte) ~buffer[0];
      }
      out.write(buffer, 0, n);
      sent += n;
    }
    out.flush();
    // With fewer bytes sent than announced, closing the exchange drops the connection.
  }

  private boolean authorized(String header) {
    if (faults.requiredToken() == null) {
      return header != null;
    }
    byte[] expected = ("Bearer " + faults.requiredToken()).getBytes(StandardCharsets.UTF_8);
    byte[] actual = header == null ? new byte[0] : header.getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(expected, actual);
  }

  private static void sendStatus(HttpExchange exchange, int status, String message)
      throws IOException {
    byte[] body = message.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
  }
}
