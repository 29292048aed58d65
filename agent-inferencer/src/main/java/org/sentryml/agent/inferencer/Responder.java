package org.sentryml.agent.inferencer;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.sentryml.training.serving.ServingMetrics;

/**
 * Every response of the server is sent here, in one place: status, type, a fixed length, and a
 * count in the metrics by route and status. Errors are one JSON object {@code {"error": reason}}.
 */
final class Responder {
  private static final Gson GSON =
      new GsonBuilder().disableHtmlEscaping().serializeNulls().create();

  private final ServingMetrics metrics;

  Responder(ServingMetrics metrics) {
    this.metrics = metrics;
  }

  void json(HttpExchange exchange, int status, JsonObject body) throws IOException {
    send(exchange, status, "application/json", (GSON.toJson(body) + "\n"));
  }

  void error(HttpExchange exchange, int status, String reason) throws IOException {
    JsonObject body = new JsonObject();
    body.addProperty("error", reason);
    json(exchange, status, body);
  }

  void text(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    send(exchange, status, contentType, body);
  }

  private void send(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    metrics.request(exchange.getHttpContext().getPath(), status);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
