package org.sentryml.training.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ServingMetricsTest {
  /** A sample line of the text format: name, optional labels, a number. */
  private static final Pattern SAMPLE =
      Pattern.compile(
          "[a-zA-Z_:][a-zA-Z0-9_:]*(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\\\n]|\\\\[\\\\\"n])*\",?)*\\})? [-+0-9.eE]+|[a-zA-Z_:][a-zA-Z0-9_:]*\\{le=\"\\+Inf\"\\} [0-9]+");

  @Test
  void everyLineIsACommentOrAWellFormedSample() {
    ServingMetrics metrics = new ServingMetrics();
    metrics.request("/v1/predict", 200);
    metrics.request("/v1/predict", 400);
    metrics.refusal("too_large");
    metrics.reload("refused");
    metrics.servedModel("ab\"c\\d");
    metrics.predictionLatency(3_000_000);
    String text = metrics.render();
    for (String line : text.split("\n", -1)) {
      if (line.isEmpty() || line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
        continue;
      }
      assertTrue(SAMPLE.matcher(line).matches(), line);
    }
    assertTrue(text.endsWith("\n"));
    assertTrue(
        text.contains("sentry_requests_total{route=\"/v1/predict\",status=\"400\"} 1\n"), text);
    assertTrue(text.contains("sentry_refusals_total{reason=\"too_large\"} 1\n"), text);
    assertTrue(text.contains("sentry_reloads_total{outcome=\"refused\"} 1\n"), text);
    assertTrue(text.contains("sentry_model_info{root=\"sha256:ab\\\"c\\\\d\"} 1\n"), text);
  }

  @Test
  void theHistogramIsCumulativeAndCountsEveryObservation() {
    ServingMetrics metrics = new ServingMetrics();
    for (long nanos : List.of(500_000L, 2_000_000L, 2_000_000L, 20_000_000_000L)) {
      metrics.predictionLatency(nanos);
    }
    String text = metrics.render();
    assertTrue(text.contains("sentry_prediction_seconds_bucket{le=\"0.001\"} 1\n"), text);
    assertTrue(text.contains("sentry_prediction_seconds_bucket{le=\"0.0025\"} 3\n"), text);
    assertTrue(text.contains("sentry_prediction_seconds_bucket{le=\"10.0\"} 3\n"), text);
    assertTrue(text.contains("sentry_prediction_seconds_bucket{le=\"+Inf\"} 4\n"), text);
    assertTrue(text.contains("sentry_prediction_seconds_count 4\n"), text);
    assertEquals(0, metrics.reloads("ok"));
  }
}
