package org.sentryml.agent.keyserver;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.jspecify.annotations.Nullable;
import org.sentryml.confidential.broker.BrokerService;
import org.sentryml.confidential.broker.ClientIdentity;
import org.sentryml.confidential.broker.KbsProtocol;
import org.sentryml.confidential.broker.KbsReply;
import org.sentryml.confidential.broker.TlsFiles;
import org.sentryml.core.errors.SentryException;

/**
 * The key server's HTTPS front: the JDK's {@link HttpsServer} with TLS 1.3 only and client
 * certificates required (the TLS layer refuses a client without one, or with one that does not
 * chain to the client CA or has expired, before any HTTP is read), one virtual thread per exchange,
 * one small handler per protocol route, request bodies read through a bound. Every answer comes
 * from {@link BrokerService} as a {@link KbsReply}; nothing else writes a response.
 */
final class KbsHttpServer implements AutoCloseable {
  /** A request body larger than this is refused unread. */
  static final int MAX_BODY_BYTES = 512 << 10;

  private final HttpsServer server;
  private final ExecutorService executor;

  private KbsHttpServer(HttpsServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Binds {@code address} and starts serving.
   *
   * @throws IOException when the address cannot be bound
   */
  static KbsHttpServer start(InetSocketAddress address, SSLContext tls, BrokerService broker)
      throws IOException {
    HttpsServer server = HttpsServer.create(address, 1024);
    server.setHttpsConfigurator(
        new HttpsConfigurator(tls) {
          @Override
          public void configure(HttpsParameters parameters) {
            SSLParameters ssl = tls.getDefaultSSLParameters();
            ssl.setProtocols(new String[] {TlsFiles.PROTOCOL});
            ssl.setNeedClientAuth(true);
            parameters.setSSLParameters(ssl);
          }
        });
    server.createContext(
        KbsProtocol.AUTH,
        exchange -> handle(exchange, "POST", (client, body) -> broker.auth(client, body)));
    server.createContext(
        KbsProtocol.ATTEST,
        exchange ->
            handle(
                exchange, "POST", (client, body) -> broker.attest(client, cookie(exchange), body)));
    server.createContext(
        KbsProtocol.RESOURCE,
        exchange ->
            handle(
                exchange,
                "GET",
                (client, body) ->
                    broker.resource(
                        client,
                        cookie(exchange),
                        bearer(exchange),
                        exchange.getRequestURI().getRawPath())));
    server.createContext(
        KbsProtocol.CHECKPOINT,
        exchange ->
            handleMethods(
                exchange,
                Set.of("GET", "POST", "DELETE"),
                (client, body) ->
                    broker.checkpoint(
                        client,
                        cookie(exchange),
                        bearer(exchange),
                        exchange.getRequestMethod(),
                        exchange.getRequestURI().getRawPath(),
                        body)));
    server.createContext(
        "/",
        exchange ->
            handle(
                exchange,
                null,
                (client, body) -> problem(404, "InvalidRequestPath", "no such endpoint")));
    ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(executor);
    server.start();
    return new KbsHttpServer(server, executor);
  }

  /** The port bound (useful after binding port 0). */
  int port() {
    return server.getAddress().getPort();
  }

  /** The bound host as a URL writes it (an IPv6 address in brackets). */
  String hostForUrl() {
    String host = server.getAddress().getAddress().getHostAddress();
    return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  @FunctionalInterface
  private interface Route {
    KbsReply answer(ClientIdentity client, byte[] body);
  }

  private static void handle(HttpExchange exchange, @Nullable String method, Route route)
      throws IOException {
    handleMethods(exchange, method == null ? null : Set.of(method), route);
  }

  private static void handleMethods(
      HttpExchange exchange, @Nullable Set<String> methods, Route route) throws IOException {
    try (exchange) {
      KbsReply reply;
      Optional<ClientIdentity> client = client(exchange);
      if (client.isEmpty()) {
        reply = problem(401, "AdminAuth", "no client certificate");
      } else if (methods != null && !methods.contains(exchange.getRequestMethod())) {
        reply =
            problem(
                405,
                "InvalidRequestPath",
                "use " + String.join(" or ", methods.stream().sorted().toList()) + " here");
      } else {
        byte[] body = readBounded(exchange.getRequestBody());
        if (body == null) {
          reply =
              problem(
                  413,
                  "SerdeError",
                  "the request body is larger than " + MAX_BODY_BYTES + " bytes");
        } else {
          reply = answer(route, client.get(), body);
        }
      }
      send(exchange, reply);
    }
  }

  private static KbsReply answer(Route route, ClientIdentity client, byte[] body) {
    try {
      return route.answer(client, body);
    } catch (SentryException e) {
      // The audit log could not be written (or another failure of this host): decide nothing.
      return problem(500, "PluginInternalError", e.getMessage());
    }
  }

  private static void send(HttpExchange exchange, KbsReply reply) throws IOException {
    byte[] body = reply.body();
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    reply.setCookie().ifPresent(cookie -> exchange.getResponseHeaders().add("Set-Cookie", cookie));
    exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static Optional<ClientIdentity> client(HttpExchange exchange) {
    if (!(exchange instanceof HttpsExchange https)) {
      return Optional.empty();
    }
    try {
      Certificate[] chain = https.getSSLSession().getPeerCertificates();
      return chain.length > 0 && chain[0] instanceof X509Certificate leaf
          ? Optional.of(ClientIdentity.of(leaf))
          : Optional.empty();
    } catch (SSLPeerUnverifiedException e) {
      return Optional.empty();
    }
  }

  private static byte @Nullable [] readBounded(InputStream in) throws IOException {
    byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
    return body.length > MAX_BODY_BYTES ? null : body;
  }

  private static @Nullable String cookie(HttpExchange exchange) {
    List<String> headers = exchange.getRequestHeaders().get("Cookie");
    if (headers == null) {
      return null;
    }
    String prefix = KbsProtocol.COOKIE + "=";
    for (String header : headers) {
      for (String part : header.split(";", -1)) {
        String cookie = part.trim();
        if (cookie.startsWith(prefix)) {
          return cookie.substring(prefix.length());
        }
      }
    }
    return null;
  }

  private static @Nullable String bearer(HttpExchange exchange) {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
        ? header.substring(7).trim()
        : null;
  }

  private static KbsReply problem(int status, String type, String detail) {
    return KbsReply.problem(status, type, detail);
  }
}
