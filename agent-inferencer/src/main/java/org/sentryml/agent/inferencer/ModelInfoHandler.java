package org.sentryml.agent.inferencer;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import org.sentryml.core.attestation.ProvenanceCodec;
import org.sentryml.data.dataset.SampleKind;
import org.sentryml.training.ml.ClassifierSpec;
import org.sentryml.training.serving.ModelHolder;
import org.sentryml.training.serving.ModelReloader;
import org.sentryml.training.serving.ServedModel;

/**
 * {@code GET /v1/model}: the served model's root, what verified its signature and when, what it
 * takes, a summary of its verified provenance, and the reload history (the last refusal too).
 */
final class ModelInfoHandler implements HttpHandler {
  private final ModelHolder models;
  private final ModelReloader reloader;
  private final Responder responder;

  ModelInfoHandler(ModelHolder models, ModelReloader reloader, Responder responder) {
    this.models = models;
    this.reloader = reloader;
    this.responder = responder;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    if (!"GET".equals(exchange.getRequestMethod())) {
      exchange.getResponseHeaders().set("Allow", "GET");
      responder.error(exchange, 405, "use GET");
      return;
    }
    responder.json(exchange, 200, describe(models.current(), reloader.status()));
  }

  static JsonObject describe(ServedModel model, ModelReloader.Status status) {
    JsonObject json = new JsonObject();
    json.addProperty("model_root", "sha256:" + model.root());
    json.addProperty("model_path", model.modelDir().toString());
    json.addProperty("signer", model.signer());
    json.addProperty("verified_at", model.verifiedAt().toString());
    ClassifierSpec spec = model.spec();
    JsonObject input = new JsonObject();
    input.addProperty("architecture", spec.architecture());
    input.addProperty("kind", spec.kind().extension());
    if (spec.kind() == SampleKind.IMAGE) {
      input.addProperty("channels", spec.channels());
      input.addProperty("height", spec.height());
      input.addProperty("width", spec.width());
    } else {
      input.addProperty("max_tokens", spec.maxTokens());
    }
    input.addProperty("classes", spec.classes());
    json.add("input", input);
    if (model.provenance().isPresent()) {
      ProvenanceCodec.Provenance provenance = model.provenance().get();
      JsonObject summary = new JsonObject();
      summary.addProperty("builder", provenance.builder());
      summary.addProperty("started_on", provenance.startedOn().toString());
      summary.addProperty("finished_on", provenance.finishedOn().toString());
      JsonArray materials = new JsonArray();
      for (ProvenanceCodec.Material material : provenance.materials()) {
        JsonObject one = new JsonObject();
        one.addProperty("name", material.name());
        one.addProperty("root", material.root().algorithm() + ":" + material.root().hex());
        materials.add(one);
      }
      summary.add("materials", materials);
      json.add("provenance", summary);
    } else {
      json.add("provenance", JsonNull.INSTANCE);
    }
    JsonObject reload = new JsonObject();
    reload.addProperty("reloads", status.reloads());
    reload.addProperty("refusals", status.refusals());
    status.lastReload().ifPresent(at -> reload.addProperty("last_reload", at.toString()));
    status
        .lastRefusal()
        .ifPresent(
            refusal -> {
              JsonObject last = new JsonObject();
              last.addProperty("at", refusal.at().toString());
              last.addProperty("reason", refusal.reason());
              reload.add("last_refusal", last);
            });
    json.add("reload", reload);
    return json;
  }
}
