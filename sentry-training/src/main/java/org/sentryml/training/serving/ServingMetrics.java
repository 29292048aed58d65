package org.sentryml.training.serving;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server's counters, rendered in the Prometheus text exposition format (version 0.0.4) for
 * {@code GET /metrics}: requests by route and status, a latency histogram of predictions, refusals
 * by reason, reloads by outcome, batches and their inputs, and the served model's root as an info
 * gauge. Thread-safe; recording never blocks a request.
 */
public final class ServingMetrics {
  /** Upper bounds of the latency histogram's buckets, in seconds. */
  static final double[] LATENCY_BUCKETS = {
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
  };

  private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> refusals = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> reloads = new ConcurrentHashMap<>();
  private final LongAdder[] latencyBuckets = new LongAdder[LATENCY_BUCKETS.length];
  private final LongAdder latencyCount = new LongAdder();
  private final LongAdder latencyNanos = new LongAdder();
  private final LongAdder batches = new LongAdder();
  private final LongAdder batchedInputs = new LongAdder();
  private final LongAdder inFlight = new LongAdder();
  private final AtomicReference<String> modelRoot = new AtomicReference<>("");

  public ServingMetrics() {
    for (int i = 0; i < latencyBuckets.length; i++) {
      latencyBuckets[i] = new LongAdder();
    }
  }

  /** One answered request. */
  public void request(String route, int status) {
    requests.computeIfAbsent(route + "\u0000" + status, k -> new LongAdder()).increment();
  }

  /** One refused request, by a short reason such as {@code too_large} or {@code busy}. */
  public void refusal(String reason) {
    refusals.computeIfAbsent(reason, k -> new LongAdder()).increment();
  }

  /** One reload attempt: {@code ok} or {@code refused}. */
  public void reload(String outcome) {
    reloads.computeIfAbsent(outcome, k -> new LongAdder()).increment();
  }

  /** The time one prediction request took, from its first byte read to its answer. */
  public void predictionLatency(long nanos) {
    double seconds = nanos / 1e9;
    for (int i = 0; i < LATENCY_BUCKETS.length; i++) {
      if (seconds <= LATENCY_BUCKETS[i]) {
        latencyBuckets[i].increment();
        break;
      }
    }
    latencyCount.increment();
    latencyNanos.add(nanos);
  }

  /** One forward pass over {@code inputs} inputs. */
  public void batch(int inputs) {
    batches.increment();
    batchedInputs.add(inputs);
  }

  public void inFlight(int delta) {
    inFlight.add(delta);
  }

  public void servedModel(String root) {
    modelRoot.set(root);
  }

  /** The number of reload attempts that ended with {@code outcome}. */
  public long reloads(String outcome) {
    LongAdder adder = reloads.get(outcome);
    return adder == null ? 0 : adder.sum();
  }

  /** Everything, in the Prometheus text format. */
  public String render() {
    StringBuilder out = new StringBuilder();
    header(out, "sentry_requests_total", "counter", "HTTP requests answered, by route and status.");
    new TreeMap<>(requests)
        .forEach(
            (key, count) -> {
              String[] parts = key.split("\u0000", -1);
              out.append("sentry_requests_total{route=\"")
                  .append(escape(parts[0]))
                  .append("\",status=\"")
                  .append(parts[1])
                  .append("\"} ")
                  .append(count.sum())
                  .append('\n');
            });
    header(out, "sentry_refusals_total", "counter", "Requests refused, by reason.");
    labelled(out, "sentry_refusals_total", "reason", refusals);
    header(out, "sentry_reloads_total", "counter", "Model reloads, by outcome (ok, refused).");
    labelled(out, "sentry_reloads_total", "outcome", reloads);
    header(
        out,
        "sentry_prediction_seconds",
        "histogram",
        "Time from a prediction request's arrival to its answer.");
    long cumulative = 0;
    for (int i = 0; i < LATENCY_BUCKETS.length; i++) {
      cumulative += latencyBuckets[i].sum();
      out.append("sentry_prediction_seconds_bucket{le=\"")
          .append(number(LATENCY_BUCKETS[i]))
          .append("\"} ")
          .append(cumulative)
          .append('\n');
    }
    long count = latencyCount.sum();
    out.append("sentry_prediction_seconds_bucket{le=\"+Inf\"} ").append(count).append('\n');
    out.append("sentry_prediction_seconds_sum ")
        .append(number(latencyNanos.sum() / 1e9))
        .append('\n');
    out.append("sentry_prediction_seconds_count ").append(count).append('\n');
    header(out, "sentry_batches_total", "counter", "Forward passes run.");
    out.append("sentry_batches_total ").append(batches.sum()).append('\n');
    header(out, "sentry_batched_inputs_total", "counter", "Inputs classified in forward passes.");
    out.append("sentry_batched_inputs_total ").append(batchedInputs.sum()).append('\n');
    header(out, "sentry_requests_in_flight", "gauge", "Requests being handled now.");
    out.append("sentry_requests_in_flight ").append(inFlight.sum()).append('\n');
    header(out, "sentry_model_info", "gauge", "The served model's root (value 1).");
    out.append("sentry_model_info{root=\"sha256:")
        .append(escape(modelRoot.get()))
        .append("\"} 1\n");
    return out.toString();
  }

  private static void header(StringBuilder out, String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static void labelled(
      StringBuilder out, String name, String label, Map<String, LongAdder> counts) {
    new TreeMap<>(counts)
        .forEach(
            (value, count) ->
                out.append(name)
                    .append('{')
                    .append(label)
                    .append("=\"")
                    .append(escape(value))
                    .append("\"} ")
                    .append(count.sum())
                    .append('\n'));
  }

  private static String number(double value) {
    return String.format(Locale.ROOT, "%s", value);
  }

  /** Label values escape backslash, double quote and line feed, as the format requires. */
  static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
