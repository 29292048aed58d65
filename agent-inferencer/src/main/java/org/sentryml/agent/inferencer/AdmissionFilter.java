package org.sentryml.agent.inferencer;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.concurrent.Semaphore;
import org.sentryml.training.serving.ServingMetrics;

/**
 * At most {@code limit} requests are handled at once; one more is answered 503 at once, with {@code
 * Retry-After}, instead of waiting in an unbounded line. A request holds its connection while it is
 * handled, so this bounds the busy connections; idle keep-alive connections are closed by the
 * server's idle timeout.
 */
final class AdmissionFilter extends Filter {
  private final Semaphore permits;
  private final int limit;
  private final ServingMetrics metrics;
  private final Responder responder;

  AdmissionFilter(int limit, ServingMetrics metrics, Responder responder) {
    this.permits = new Semaphore(limit);
    this.limit = limit;
    this.metrics = metrics;
    this.responder = responder;
  }

  @Override
  public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
    if (!permits.tryAcquire()) {
      metrics.refusal("connections");
      exchange.getResponseHeaders().set("Retry-After", "1");
      exchange.getResponseHeaders().set("Connection", "close");
      responder.error(
          exchange, 503, "the server is handling its limit of " + limit + " requests; retry");
      return;
    }
    metrics.inFlight(1);
    try {
      chain.doFilter(exchange);
    } finally {
      metrics.inFlight(-1);
      permits.release();
    }
  }

  @Override
  public String description() {
    return "at most " + limit + " requests at once";
  }
}
