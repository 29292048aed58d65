package org.sentryml.agent.inferencer;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.jspecify.annotations.Nullable;
import org.sentryml.core.errors.IoFailureException;
import org.sentryml.training.serving.MicroBatcher;
import org.sentryml.training.serving.ModelHolder;
import org.sentryml.training.serving.ModelReloader;
import org.sentryml.training.serving.ServingMetrics;

/**
 * The HTTPS front of {@code sentry-inferencer serve}: the JDK's server, TLS 1.3 only, client
 * certificates required when a client CA is configured, one virtual thread per exchange, and four
 * routes ({@code POST /v1/predict}, {@code GET /v1/model}, {@code GET /healthz}, {@code GET
 * /metrics}), each behind the admission limit. An optional plain-HTTP listener answers only {@code
 * /healthz}, for probes that cannot present a client certificate.
 */
final class PredictionServer implements AutoCloseable {
  /** How the server is set up. */
  record Settings(
      InetSocketAddress listen,
      SSLContext tls,
      boolean requireClientCertificate,
      @Nullable InetSocketAddress healthListen,
      int maxBodyBytes,
      int maxInputs,
      int maxConcurrentRequests,
      Duration answerTimeout) {}

  private final HttpsServer server;
  private final @Nullable HttpServer health;
  private final ExecutorService executor;

  private PredictionServer(
      HttpsServer server, @Nullable HttpServer health, ExecutorService executor) {
    this.server = server;
    this.health = health;
    this.executor = executor;
  }

  static PredictionServer start(
      Settings settings,
      ModelHolder models,
      MicroBatcher batcher,
      ModelReloader reloader,
      ServingMetrics metrics) {
    ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    Responder responder = new Responder(metrics);
    AdmissionFilter admission =
        new AdmissionFilter(settings.maxConcurrentRequests(), metrics, responder);
    HttpsServer server;
    HttpServer health = null;
    try {
      server = HttpsServer.create(settings.listen(), 0);
      if (settings.healthListen() != null) {
        health = HttpServer.create(settings.healthListen(), 0);
      }
    } catch (IOException e) {
      executor.shutdownNow();
      throw new IoFailureException("cannot listen on " + settings.listen() + ": " + e.getMessage());
    }
    server.setHttpsConfigurator(configurator(settings.tls(), settings.requireClientCertificate()));
    route(
        server,
        "/v1/predict",
        new PredictHandler(
            models,
            batcher,
            metrics,
            responder,
            settings.maxBodyBytes(),
            settings.maxInputs(),
            settings.answerTimeout()),
        admission);
    route(server, "/v1/model", new ModelInfoHandler(models, reloader, responder), admission);
    route(server, "/healthz", healthz(responder), admission);
    route(
        server,
        "/metrics",
        exchange ->
            responder.text(
                exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.render()),
        admission);
    route(server, "/", exchange -> responder.error(exchange, 404, "no such route"), admission);
    server.setExecutor(executor);
    if (health != null) {
      route(health, "/healthz", healthz(responder), admission);
      route(health, "/", exchange -> responder.error(exchange, 404, "only /healthz"), admission);
      health.setExecutor(executor);
      health.start();
    }
    server.start();
    return new PredictionServer(server, health, executor);
  }

  /** The bound address (the real port when 0 was asked for). */
  InetSocketAddress address() {
    return server.getAddress();
  }

  private static HttpHandler healthz(Responder responder) {
    return exchange -> responder.text(exchange, 200, "text/plain; charset=utf-8", "ok\n");
  }

  private static void route(
      HttpServer server, String path, HttpHandler handler, AdmissionFilter admission) {
    HttpContext context = server.createContext(path, exchange -> handleQuietly(handler, exchange));
    context.getFilters().add(admission);
  }

  /** An exchange always ends closed, whatever the handler did; a broken client is not an error. */
  private static void handleQuietly(HttpHandler handler, HttpExchange exchange) {
    try (exchange) {
      handler.handle(exchange);
    } catch (IOException e) {
      // The client went away or timed out mid-request; its connection is already closed.
    }
  }

  private static HttpsConfigurator configurator(SSLContext tls, boolean requireClientCertificate) {
    return new HttpsConfigurator(tls) {
      @Override
      public void configure(HttpsParameters params) {
        SSLParameters parameters = getSSLContext().getDefaultSSLParameters();
        parameters.setProtocols(new String[] {TlsContexts.PROTOCOL});
        parameters.setNeedClientAuth(requireClientCertificate);
        params.setSSLParameters(parameters);
      }
    };
  }

  /** Stops listening, lets running exchanges finish for up to a second, then stops them. */
  @Override
  public void close() {
    server.stop(1);
    if (health != null) {
      health.stop(0);
    }
    executor.shutdownNow();
  }
}
