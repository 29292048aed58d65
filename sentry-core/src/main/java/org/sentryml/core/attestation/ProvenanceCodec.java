package org.sentryml.core.attestation;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.sentryml.core.hashing.Digest;
import org.sentryml.core.hashing.HashAlgorithm;
import org.sentryml.core.json.JsonFields;

/**
 * The training provenance in {@code provenance.sig}: an in-toto statement with a SLSA Provenance v1
 * predicate whose subject is the trained model (its manifest root) and whose resolved dependencies
 * are the data sources it was trained on (each by the subject digest of its {@code
 * dataset_<source>.sig}). The training configuration is the build's external parameters.
 */
public final class ProvenanceCodec {
  public static final String PREDICATE = "https://slsa.dev/provenance/v1";
  public static final String BUILD_TYPE = "https://sentryml.org/buildtypes/training/v1";

  private ProvenanceCodec() {}

  /** A data source the model was trained on. */
  public record Material(String name, String uri, Digest root) {
    public Material {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(uri, "uri");
      Objects.requireNonNull(root, "root");
    }
  }

  /** What a provenance statement says. */
  public record Provenance(
      String modelName,
      Digest modelRoot,
      List<Material> materials,
      JsonObject parameters,
      String builder,
      Instant startedOn,
      Instant finishedOn) {
    public Provenance {
      materials = List.copyOf(materials);
      parameters = parameters.deepCopy();
    }

    @Override
    public JsonObject parameters() {
      return parameters.deepCopy();
    }
  }

  public static byte[] encode(Provenance provenance) {
    JsonArray dependencies = new JsonArray();
    for (Material material : provenance.materials()) {
      JsonObject entry = new JsonObject();
      entry.addProperty("name", material.name());
      entry.addProperty("uri", material.uri());
      JsonObject materialDigest = new JsonObject();
      materialDigest.addProperty("sha256", material.root().hex());
      entry.add("digest", materialDigest);
      dependencies.add(entry);
    }
    JsonObject buildDefinition = new JsonObject();
    buildDefinition.addProperty("buildType", BUILD_TYPE);
    buildDefinition.add("externalParameters", provenance.parameters());
    buildDefinition.add("resolvedDependencies", dependencies);
    JsonObject builder = new JsonObject();
    builder.addProperty("id", provenance.builder());
    JsonObject metadata = new JsonObject();
    metadata.addProperty("startedOn", provenance.startedOn().toString());
    metadata.addProperty("finishedOn", provenance.finishedOn().toString());
    JsonObject runDetails = new JsonObject();
    runDetails.add("builder", builder);
    runDetails.add("metadata", metadata);
    JsonObject predicate = new JsonObject();
    predicate.add("buildDefinition", buildDefinition);
    predicate.add("runDetails", runDetails);

    JsonObject statement =
        StatementCodec.statement(
            provenance.modelName(), provenance.modelRoot(), PREDICATE, predicate);
    return new GsonBuilder()
        .disableHtmlEscaping()
        .create()
        .toJson(statement)
        .getBytes(StandardCharsets.UTF_8);
  }

  /** Decodes a verified provenance statement, checking every field it relies on. */
  public static Provenance decode(byte[] statement, String what) {
    JsonFields json = StatementCodec.parseSingleSubject(statement, PREDICATE, what);
    JsonFields subject = json.element("subject", json.array("subject"), 0);
    Digest modelRoot = sha256(subject.object("digest"));
    JsonFields predicate = json.object("predicate");
    JsonFields definition = predicate.object("buildDefinition");
    if (!BUILD_TYPE.equals(definition.string("buildType"))) {
      throw definition.error("buildType", "must be " + BUILD_TYPE);
    }
    JsonObject parameters =
        definition.required("externalParameters").isJsonObject()
            ? definition.required("externalParameters").getAsJsonObject()
            : null;
    if (parameters == null) {
      throw definition.error("externalParameters", "must be an object");
    }
    List<Material> materials = new ArrayList<>();
    JsonArray dependencies = definition.array("resolvedDependencies");
    for (int i = 0; i < dependencies.size(); i++) {
      JsonFields entry = definition.element("resolvedDependencies", dependencies, i);
      materials.add(
          new Material(entry.string("name"), entry.string("uri"), sha256(entry.object("digest"))));
    }
    JsonFields runDetails = predicate.object("runDetails");
    JsonFields metadata = runDetails.object("metadata");
    return new Provenance(
        subject.string("name"),
        modelRoot,
        materials,
        parameters,
        runDetails.object("builder").string("id"),
        instant(metadata, "startedOn"),
        instant(metadata, "finishedOn"));
  }

  private static Digest sha256(JsonFields digest) {
    String hex = digest.string("sha256");
    if (!hex.matches("[0-9a-f]{64}")) {
      throw digest.error("sha256", "must be 64 lowercase hex digits");
    }
    return Digest.ofHex(HashAlgorithm.SHA256.id(), hex);
  }

  private static Instant instant(JsonFields fields, String name) {
    try {
      return Instant.parse(fields.string(name));
    } catch (DateTimeParseException e) {
      throw fields.error(name, "is not an RFC 3339 time");
    }
  }
}
