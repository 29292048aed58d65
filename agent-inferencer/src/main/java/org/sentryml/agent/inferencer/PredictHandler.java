package org.sentryml.agent.inferencer;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.training.ml.ClassifierSpec;
import org.sentryml.training.serving.MicroBatcher;
import org.sentryml.training.serving.ModelHolder;
import org.sentryml.training.serving.Prediction;
import org.sentryml.training.serving.PredictionInputs;
import org.sentryml.training.serving.ServerBusyException;
import org.sentryml.training.serving.ServingInput;
import org.sentryml.training.serving.ServingMetrics;

/**
 * {@code POST /v1/predict}: a PNG, a UTF-8 text or a JSON batch in; the classes, their
 * probabilities and the root of the model that answered out. 413 for a body or batch over the
 * limit, 415 for an unaccepted type, 400 naming what is wrong with an input, 503 when the queue is
 * full or the answer does not come in time.
 */
final class PredictHandler implements HttpHandler {
  private final ModelHolder models;
  private final MicroBatcher batcher;
  private final ServingMetrics metrics;
  private final Responder responder;
  private final int maxBodyBytes;
  private final int maxInputs;
  private final Duration answerTimeout;

  PredictHandler(
      ModelHolder models,
      MicroBatcher batcher,
      ServingMetrics metrics,
      Responder responder,
      int maxBodyBytes,
      int maxInputs,
      Duration answerTimeout) {
    this.models = models;
    this.batcher = batcher;
    this.metrics = metrics;
    this.responder = responder;
    this.maxBodyBytes = maxBodyBytes;
    this.maxInputs = maxInputs;
    this.answerTimeout = answerTimeout;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    long started = System.nanoTime();
    if (!"POST".equals(exchange.getRequestMethod())) {
      exchange.getResponseHeaders().set("Allow", "POST");
      refuse(exchange, 405, "method", "use POST");
      return;
    }
    ClassifierSpec spec = models.current().spec();
    PredictionInputs.Shape shape;
    try {
      shape =
          PredictionInputs.shapeOf(
              exchange.getRequestHeaders().getFirst("Content-Type"), spec.kind());
    } catch (PredictionInputs.UnsupportedMediaException e) {
      refuse(exchange, 415, "media_type", e.getMessage());
      return;
    }
    Optional<byte[]> body = BoundedBody.read(exchange, maxBodyBytes);
    if (body.isEmpty()) {
      // The rest of the body is not read; the connection is closed rather than drained.
      exchange.getResponseHeaders().set("Connection", "close");
      refuse(
          exchange, 413, "too_large", "the body is over the limit of " + maxBodyBytes + " bytes");
      return;
    }
    List<ServingInput> inputs;
    try {
      inputs = PredictionInputs.parse(shape, body.get(), spec, maxInputs);
    } catch (PredictionInputs.TooManyInputsException e) {
      refuse(exchange, 413, "too_many_inputs", e.getMessage());
      return;
    } catch (MalformedInputException e) {
      refuse(exchange, 400, "bad_input", e.getMessage());
      return;
    }
    MicroBatcher.Answer answer;
    try {
      answer = batcher.submit(inputs).get(answerTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ServerBusyException e) {
      busy(exchange, e.getMessage());
      return;
    } catch (TimeoutException e) {
      busy(exchange, "no answer within " + answerTimeout.toMillis() + " ms");
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      busy(exchange, "the server is stopping");
      return;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof MalformedInputException) {
        refuse(exchange, 400, "bad_input", cause.getMessage());
      } else if (cause instanceof ServerBusyException) {
        busy(exchange, cause.getMessage());
      } else {
        responder.error(exchange, 500, "inference failed: " + cause.getMessage());
      }
      return;
    }
    responder.json(exchange, 200, toJson(answer));
    metrics.predictionLatency(System.nanoTime() - started);
  }

  private static JsonObject toJson(MicroBatcher.Answer answer) {
    JsonObject json = new JsonObject();
    json.addProperty("model_root", "sha256:" + answer.modelRoot());
    JsonArray predictions = new JsonArray();
    for (Prediction prediction : answer.predictions()) {
      JsonObject one = new JsonObject();
      one.addProperty("class", prediction.label());
      JsonArray probabilities = new JsonArray();
      for (float p : prediction.probabilities()) {
        probabilities.add(p);
      }
      one.add("probabilities", probabilities);
      predictions.add(one);
    }
    json.add("predictions", predictions);
    return json;
  }

  private void busy(HttpExchange exchange, String reason) throws IOException {
    exchange.getResponseHeaders().set("Retry-After", "1");
    refuse(exchange, 503, "busy", reason);
  }

  private void refuse(HttpExchange exchange, int status, String reason, String message)
      throws IOException {
    metrics.refusal(reason);
    responder.error(exchange, status, message);
  }
}
